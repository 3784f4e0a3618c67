/**
 * File history: {@link dev.backup4j.ops.history.FileHistory} lists every distinct version of a file (or of each
 * file under a directory) across snapshots, and {@link dev.backup4j.ops.history.FileCatalog} gives retention's
 * {@link dev.backup4j.retention.VersionRule} the files of each snapshot, for "keep N versions per file".
 */
package dev.backup4j.ops.history;
