/**
 * What a snapshot holds: {@link dev.backup4j.core.snapshot.Snapshot} (time, host, tags, paths, root tree),
 * {@link dev.backup4j.core.snapshot.Tree}s of {@link dev.backup4j.core.snapshot.Node}s in restic's JSON, and the
 * {@link dev.backup4j.core.snapshot.SnapshotSource} SPI that backups read from (with built-in sources in
 * {@link dev.backup4j.core.snapshot.SnapshotSources}, entries for an application's own records in
 * {@link dev.backup4j.core.snapshot.SourceEntries}, and what a failing source does in
 * {@link dev.backup4j.core.snapshot.FailurePolicy}).
 */
package dev.backup4j.core.snapshot;
