package dev.backup4j.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.backup4j.ops.event.JobReport;
import dev.backup4j.ops.event.OpsEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook against an in-process HTTP server on 127.0.0.1, the command sink, and the once-per-incident rule. */
class AlertSinksTest {
    @TempDir
    Path tmp;

    private HttpServer server;
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(204);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/alerts", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " " + ex.getRequestHeaders().getFirst("Content-Type") + " " + ex.getRequestMethod());
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
    }

    private static final Instant T = Instant.parse("2024-06-01T02:00:00Z");

    private static OpsEvent failed(String job, int attempt, boolean retry) {
        return new OpsEvent.JobFailed(job, T.plusSeconds(attempt), T, attempt, false, Duration.ZERO, "boom " + attempt,
                retry);
    }

    @Test
    void aFailureAlertsOnceAcrossRetriesAndLaterFailuresAndRecoveryIsReported() throws Exception {
        Alerts alerts = Alerts.builder().sink(AlertSinks.webhook(url())).sink(AlertSinks.log()).build();
        alerts.onEvent(failed("nightly", 1, true));   // will retry: no alert
        alerts.onEvent(failed("nightly", 2, false));  // gave up: alert
        alerts.onEvent(failed("nightly", 1, false));  // the next night fails too: quiet
        alerts.onEvent(new OpsEvent.RunsMissed("nightly", T, T, T, 1, true)); // same incident: quiet
        alerts.onEvent(failed("db", 1, false));       // another job: its own alert
        alerts.onEvent(new OpsEvent.JobFinished("nightly", T.plusSeconds(99), T, 1, false, Duration.ZERO,
                JobReport.of("snapshot 1234abcd")));
        alerts.onEvent(new OpsEvent.JobFinished("nightly", T.plusSeconds(199), T, 1, false, Duration.ZERO,
                JobReport.of("snapshot 5678abcd"))); // already recovered: quiet
        assertEquals(3, bodies.size(), bodies.toString());
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(bodies.get(0).substring(0, bodies.get(0).indexOf("} ") + 1));
        assertEquals("FAILED", first.get("kind").asText());
        assertEquals("nightly", first.get("job").asText());
        assertEquals("boom 2", first.get("message").asText());
        assertTrue(bodies.get(0).endsWith(" application/json POST"), bodies.get(0));
        JsonNode recovered = m.readTree(bodies.get(2).substring(0, bodies.get(2).indexOf("} ") + 1));
        assertEquals("RECOVERED", recovered.get("kind").asText());
        assertEquals(3, recovered.get("failures").asInt());
        assertEquals(0, alerts.sinkFailures());
    }

    @Test
    void aWebhookThatAnswersAnErrorFailsAndOtherSinksStillGetTheAlert() throws Exception {
        status.set(500);
        Path out = tmp.resolve("alert.json");
        Alerts alerts = Alerts.builder().sink(AlertSinks.webhook(url()))
                .sink(AlertSinks.command(List.of("sh", "-c", "cat > '" + out + "'; echo \"$BACKUP4J_ALERT_JOB\" >> '"
                        + out + "'"))).build();
        alerts.onEvent(failed("copy", 1, false));
        assertEquals(1, alerts.sinkFailures());
        String written = Files.readString(out);
        assertTrue(written.contains("\"kind\":\"FAILED\"") && written.endsWith("copy\n"), written);
        IOException e = assertThrows(IOException.class, () -> AlertSinks.webhook(url()).send(alerts.sent().get(0)));
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertThrows(IOException.class, () -> AlertSinks.command(List.of("false")).send(alerts.sent().get(0)));
    }
}
