/**
 * Restoring snapshots in three steps that follow the data: {@link dev.backup4j.core.restore.RestorePlanner} chooses
 * a snapshot ({@link dev.backup4j.core.restore.SnapshotSelector}: id, prefix, {@code latest}, or nearest to a time),
 * walks the selected scope and compares it with the {@link dev.backup4j.core.restore.RestoreTarget}; the resulting
 * {@link dev.backup4j.core.restore.RestorePlan} is pure data (one action per entry, the pack ranges to read,
 * problems found up front, a duration estimate) that a user can show and approve; then
 * {@link dev.backup4j.core.restore.RestoreExecutor} carries it out exactly, reading each pack once, verifying every
 * blob, and returning a {@link dev.backup4j.core.restore.RestoreReport}.
 *
 * <p>Start with {@link dev.backup4j.core.restore.RestorePlanner}. Targets come from
 * {@link dev.backup4j.core.restore.RestoreTargets} (a directory, or a tar stream).
 * {@link dev.backup4j.core.restore.SnapshotDump} writes one file (or a tar of a directory) to a stream.
 */
package dev.backup4j.core.restore;
