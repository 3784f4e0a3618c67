/**
 * Monitoring of a backup service's jobs, as listeners on their events: {@link dev.backup4j.ops.monitor.Alerts}
 * (one alert per incident, recovery reported) with pluggable {@link dev.backup4j.ops.monitor.AlertSink}s
 * ({@link dev.backup4j.ops.monitor.AlertSinks}: webhook, command, log), {@link dev.backup4j.ops.monitor.OpsMetrics}
 * with {@link dev.backup4j.ops.monitor.PrometheusFile} (text format, no client library), and
 * {@link dev.backup4j.ops.monitor.MicrometerMetrics} for services with Micrometer (an optional dependency).
 */
package dev.backup4j.ops.monitor;
