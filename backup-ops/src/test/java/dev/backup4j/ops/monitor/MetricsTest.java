package dev.backup4j.ops.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.ops.event.JobReport;
import dev.backup4j.ops.event.OpsEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same events counted in memory, written as Prometheus text, and recorded as Micrometer meters. */
class MetricsTest {
    @TempDir
    Path tmp;

    private static final Instant T = Instant.parse("2024-06-01T02:00:00Z");

    private static List<OpsEvent> events() {
        return List.of(
                new OpsEvent.JobFinished("night\"ly", T, T, 1, false, Duration.ofSeconds(90),
                        new JobReport(120, 5000, 700, 2, "ok")),
                new OpsEvent.JobFailed("night\"ly", T.plusSeconds(86400), T, 1, false, Duration.ofSeconds(3), "x", false),
                new OpsEvent.RunsMissed("db", T, T, T.plusSeconds(3600), 2, true),
                new OpsEvent.RepositorySize("night\"ly", T, "/srv/repo", 123456));
    }

    @Test
    void prometheusTextHasHelpTypeAndEscapedLabels() throws Exception {
        OpsMetrics m = new OpsMetrics();
        events().forEach(m::onEvent);
        Path f = tmp.resolve("out/backup4j.prom");
        PrometheusFile.write(m, f);
        String text = Files.readString(f);
        assertTrue(text.contains("# TYPE backup4j_job_runs_total counter\nbackup4j_job_runs_total{job=\"db\"} 0\n"
                + "backup4j_job_runs_total{job=\"night\\\"ly\"} 2\n"), text);
        assertTrue(text.contains("backup4j_job_last_success_timestamp_seconds{job=\"night\\\"ly\"} 1717207200\n"), text);
        assertTrue(text.contains("backup4j_job_missed_runs_total{job=\"db\"} 2\n"), text);
        assertTrue(text.contains("backup4j_job_last_bytes_added{job=\"night\\\"ly\"} 700\n"), text);
        assertTrue(text.contains("backup4j_repository_size_bytes{repository=\"/srv/repo\"} 123456\n"), text);
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("# ") || line.matches("[a-z0-9_]+\\{[a-z]+=\"(\\\\.|[^\"\\\\])*\"} [0-9.e+-]+"), line);
        }
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count()); // no temporary file left
        }
    }

    @Test
    void micrometerMetersFollowTheEvents() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        MicrometerMetrics mm = new MicrometerMetrics(r);
        events().forEach(mm::onEvent);
        assertEquals(1, r.get("backup4j.job.duration").tag("job", "night\"ly").tag("outcome", "success").timer().count());
        assertEquals(5000, r.get("backup4j.job.bytes.read").counter().count());
        assertEquals(2, r.get("backup4j.job.missed").tag("job", "db").counter().count());
        assertEquals(T.getEpochSecond(), r.get("backup4j.job.last.success").gauge().value());
        assertEquals(123456, r.get("backup4j.repository.size").gauge().value());
    }
}
