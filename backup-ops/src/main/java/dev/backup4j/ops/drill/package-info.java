/**
 * Restore drills and recorded checks: {@link dev.backup4j.ops.drill.RestoreDrill} restores a snapshot (all of it or
 * a random sample) into an isolated directory, verifies every byte against the snapshot and measures the time
 * (RTO); {@link dev.backup4j.ops.drill.DrillResult} and {@link dev.backup4j.ops.drill.CheckRecord} are the results,
 * kept in a local {@link dev.backup4j.ops.drill.OpsJournal} (JSON lines) and, through
 * {@link dev.backup4j.ops.drill.RepositoryRecords}, as tagged snapshots in the repository itself.
 */
package dev.backup4j.ops.drill;
