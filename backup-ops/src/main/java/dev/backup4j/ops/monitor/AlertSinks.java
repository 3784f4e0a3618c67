package dev.backup4j.ops.monitor;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ready-made {@link AlertSink}s.
 *
 * <pre>{@code
 * Alerts alerts = Alerts.builder()
 *     .sink(AlertSinks.webhook(URI.create("https://hooks.example.net/backup")))
 *     .sink(AlertSinks.command(List.of("/usr/local/bin/notify-ops")))
 *     .sink(AlertSinks.log())
 *     .build();
 * }</pre>
 */
public final class AlertSinks {
    private static final Logger LOG = LoggerFactory.getLogger("dev.backup4j.ops.alert");

    private AlertSinks() {
    }

    /** POSTs the alert's JSON ({@link Alert#toJson()}) to {@code url}, with a 10 s timeout; a non-2xx reply fails. */
    public static AlertSink webhook(URI url) {
        return webhook(url, Duration.ofSeconds(10));
    }

    /** As {@link #webhook(URI)}, with a timeout for connecting and for the reply. */
    public static AlertSink webhook(URI url, Duration timeout) {
        requireNonNull(url, "url");
        requireNonNull(timeout, "timeout");
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        return new AlertSink() {
            @Override
            public void send(Alert alert) throws IOException {
                HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(alert.toJson(), StandardCharsets.UTF_8)).build();
                try {
                    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 != 2) {
                        throw new IOException("webhook " + url + " answered " + r.statusCode());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while posting to " + url);
                }
            }

            @Override
            public String toString() {
                return "webhook " + url;
            }
        };
    }

    /**
     * Runs {@code command} with the alert's JSON on its standard input and {@code BACKUP4J_ALERT_KIND},
     * {@code BACKUP4J_ALERT_JOB}, {@code BACKUP4J_ALERT_MESSAGE} in its environment; a non-zero exit or a run longer
     * than 30 s fails.
     */
    public static AlertSink command(List<String> command) {
        List<String> cmd = List.copyOf(command);
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        return new AlertSink() {
            @Override
            public void send(Alert alert) throws IOException {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
                pb.environment().put("BACKUP4J_ALERT_KIND", alert.kind().name());
                pb.environment().put("BACKUP4J_ALERT_JOB", alert.job());
                pb.environment().put("BACKUP4J_ALERT_MESSAGE", alert.message());
                Process p = pb.start();
                try (OutputStream in = p.getOutputStream()) {
                    in.write((alert.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
                }
                try {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new IOException("alert command " + cmd + " ran longer than 30 s");
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while running " + cmd);
                }
                if (p.exitValue() != 0) {
                    throw new IOException("alert command " + cmd + " exited with " + p.exitValue());
                }
            }

            @Override
            public String toString() {
                return "command " + cmd;
            }
        };
    }

    /** One line per alert on the SLF4J logger {@code dev.backup4j.ops.alert}: warn for failures, info for recovery. */
    public static AlertSink log() {
        return new AlertSink() {
            @Override
            public void send(Alert alert) {
                if (alert.kind() == Alert.Kind.RECOVERED) {
                    LOG.info("{}", alert);
                } else {
                    LOG.warn("{}", alert);
                }
            }

            @Override
            public String toString() {
                return "log";
            }
        };
    }
}
