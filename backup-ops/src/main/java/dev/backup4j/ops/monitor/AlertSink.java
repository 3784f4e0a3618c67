package dev.backup4j.ops.monitor;

import java.io.IOException;

/**
 * Where alerts go: a webhook, a command, a log line ({@link AlertSinks}), or your own. Called on the job's thread;
 * a sink that fails is logged by {@link Alerts} and does not stop the others.
 *
 * <pre>{@code
 * AlertSink pager = alert -> log.error("page the on-call: {} {}", alert.job(), alert.message());
 * }</pre>
 */
@FunctionalInterface
public interface AlertSink {
    /**
     * Delivers one alert.
     *
     * @throws IOException if it could not be delivered
     */
    void send(Alert alert) throws IOException;
}
