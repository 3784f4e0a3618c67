/**
 * The reference command-line agent, {@code backup-examples/target/backup.jar}: restic's verbs, flags, JSON shapes and
 * exit codes on top of the library. {@link dev.backup4j.examples.cli.BackupCli} is the entry point; each verb is one
 * class. Exit codes: 0 success, 1 error (one line on stderr), 3 backup written but some files could not be read.
 */
package dev.backup4j.examples.cli;
