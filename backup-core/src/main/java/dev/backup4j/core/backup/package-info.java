/**
 * The backup pipeline, laid out like {@code restore}. What applications see: {@link dev.backup4j.core.backup.BackupResult}
 * (what a backup did), {@link dev.backup4j.core.backup.BackupListener} and
 * {@link dev.backup4j.core.backup.BackupStatus} (progress), and {@link dev.backup4j.core.backup.RunningBackup} (a
 * backup in the background); a backup is configured with {@code dev.backup4j.core.BackupCommand}
 * ({@code repo.backup()}).
 *
 * <p>Where to start reading: {@link dev.backup4j.core.backup.BackupRun} runs one backup under its lock: it walks the
 * sources (above their roots: {@code VirtualDir}) through the {@code Archiver}, which saves files
 * ({@code FileSaver}, reading through {@code SourceReads}) and directories ({@code TreeSaver}), compares with the
 * parent snapshot ({@code ParentTrees}) or its directory cache ({@code DirCache}), and counts totals for progress
 * ({@code ProgressScan}); then it saves the snapshot. It uses {@code repository} and {@code maintenance} (locks),
 * never the root package.
 */
package dev.backup4j.core.backup;
