/**
 * The entry points: {@link dev.backup4j.core.Repository} (open or create one with
 * {@link dev.backup4j.core.Repository#at}), and the operations it starts: {@link dev.backup4j.core.BackupCommand}
 * ({@code repo.backup()}, run on the calling thread or started in the background as a
 * {@link dev.backup4j.core.backup.RunningBackup}) and {@link dev.backup4j.core.RestoreCommand} ({@code repo.restore(..)}),
 * with their results ({@link dev.backup4j.core.backup.BackupResult}, {@link dev.backup4j.core.RestoreResult}) and progress
 * ({@link dev.backup4j.core.backup.BackupListener}, {@link dev.backup4j.core.backup.BackupStatus}). Maintenance (forget, prune,
 * check, copy, locks) is in {@code maintenance}, browsing a snapshot in {@code browse}, planned restores in
 * {@code restore}, sources in {@code snapshot}, storage in {@code backend}, and the exceptions in {@code common}.
 *
 * <p>A {@code Repository} is thread-safe and meant to be kept open for an application's life; the operations'
 * builders are not (one per operation). docs/backup.md has the embedding notes: lifecycle, threads, cancelling,
 * listeners, logging.
 */
package dev.backup4j.core;
