/**
 * Operations for a backup service built on backup4j. Where to start:
 * <ul>
 *   <li>{@link dev.backup4j.ops.schedule.Scheduler}: jobs on calendars, windows, priorities, catch-up, on an
 *       injected clock;</li>
 *   <li>{@link dev.backup4j.ops.drill.RestoreDrill}: restore tests with byte-for-byte verification and an RTO
 *       figure, recorded in a journal and in the repository;</li>
 *   <li>{@link dev.backup4j.ops.event.OpsListener}: every job event; {@link dev.backup4j.ops.monitor.Alerts} and
 *       {@link dev.backup4j.ops.monitor.OpsMetrics} listen;</li>
 *   <li>{@link dev.backup4j.ops.history.FileHistory}: versions of a file across snapshots;</li>
 *   <li>{@link dev.backup4j.ops.agent.Agent}: all of it from a config file.</li>
 * </ul>
 * Layers: {@code drill} and {@code history} use backup-core; {@code event} carries their results; {@code schedule}
 * publishes events; {@code monitor} listens; {@code agent} wires them.
 */
package dev.backup4j.ops;
