/**
 * Events of a backup service's jobs: {@link dev.backup4j.ops.event.OpsEvent} (started, progress, finished, failed,
 * missed runs, drill and check results, repository size) and the one listener API,
 * {@link dev.backup4j.ops.event.OpsListener}. The scheduler publishes them; metrics, alerts and logs listen.
 */
package dev.backup4j.ops.event;
