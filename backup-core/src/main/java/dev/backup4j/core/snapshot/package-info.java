/**
 * What a snapshot holds: {@link dev.backup4j.core.snapshot.Snapshot} (time, host, tags, paths, root tree),
 * {@link dev.backup4j.core.snapshot.Tree}s of {@link dev.backup4j.core.snapshot.Node}s in restic's JSON, and the
 * {@link dev.backup4j.core.snapshot.SnapshotSource} SPI that backups read from (with built-in sources in
 * {@link dev.backup4j.core.snapshot.SnapshotSources}).
 */
package dev.backup4j.core.snapshot;
