package dev.backup4j.ops.monitor;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;

/**
 * {@link OpsMetrics} in Prometheus's text exposition format (version 0.0.4), for node_exporter's textfile
 * collector or any scraper that reads a file. Written to a temporary name and renamed, so a reader never sees half a
 * file. Every series is a gauge or counter with a {@code job} label (the backup job's name; Prometheus renames it
 * {@code exported_job} when it adds its own).
 *
 * <pre>{@code
 * PrometheusFile.write(metrics, Path.of("/var/lib/node_exporter/textfile/backup4j.prom"));
 * }</pre>
 */
public final class PrometheusFile {
    private PrometheusFile() {
    }

    /** The metrics as Prometheus text. */
    public static String format(OpsMetrics metrics) {
        requireNonNull(metrics, "metrics");
        StringBuilder b = new StringBuilder();
        Map<String, OpsMetrics.JobFigures> jobs = metrics.jobs();
        family(b, "backup4j_job_runs_total", "counter", "Finished and failed runs of the job.", jobs, f -> f.runs());
        family(b, "backup4j_job_failures_total", "counter", "Failed runs (attempts) of the job.", jobs,
                f -> f.failures());
        family(b, "backup4j_job_missed_runs_total", "counter", "Planned runs whose window passed without a run.", jobs,
                f -> f.missed());
        family(b, "backup4j_job_last_duration_seconds", "gauge", "Duration of the last run.", jobs,
                f -> f.lastDurationSeconds());
        family(b, "backup4j_job_last_bytes_read", "gauge", "Content bytes the last successful run read.", jobs,
                f -> f.lastBytesRead());
        family(b, "backup4j_job_last_bytes_added", "gauge", "Bytes the last successful run added to the repository.",
                jobs, f -> f.lastBytesAdded());
        family(b, "backup4j_job_last_files", "gauge", "Files the last successful run processed.", jobs,
                f -> f.lastFiles());
        family(b, "backup4j_job_last_errors", "gauge", "Entries the last successful run could not read.", jobs,
                f -> f.lastErrors());
        family(b, "backup4j_job_bytes_read_total", "counter", "Content bytes read by all runs.", jobs,
                f -> f.bytesReadTotal());
        family(b, "backup4j_job_bytes_added_total", "counter", "Bytes added to the repository by all runs.", jobs,
                f -> f.bytesAddedTotal());
        family(b, "backup4j_job_last_success_timestamp_seconds", "gauge", "When the job last succeeded (Unix time).",
                jobs, f -> f.lastSuccess().map(t -> (Number) (t.toEpochMilli() / 1000.0)).orElse(null));
        family(b, "backup4j_job_last_failure_timestamp_seconds", "gauge", "When the job last failed (Unix time).",
                jobs, f -> f.lastFailure().map(t -> (Number) (t.toEpochMilli() / 1000.0)).orElse(null));
        family(b, "backup4j_drill_last_ok", "gauge", "1 if the job's last restore drill passed, 0 if not.", jobs,
                f -> f.lastDrillOk().map(ok -> (Number) (ok ? 1 : 0)).orElse(null));
        family(b, "backup4j_drill_last_rto_seconds", "gauge", "Restore and verification time of the last drill.",
                jobs, f -> f.lastDrillOk().isPresent() ? f.lastDrillRtoSeconds() : null);
        family(b, "backup4j_check_last_ok", "gauge", "1 if the job's last repository check passed, 0 if not.", jobs,
                f -> f.lastCheckOk().map(ok -> (Number) (ok ? 1 : 0)).orElse(null));
        Map<String, Long> sizes = metrics.repositorySizes();
        if (!sizes.isEmpty()) {
            b.append("# HELP backup4j_repository_size_bytes Bytes of pack files in the repository.\n");
            b.append("# TYPE backup4j_repository_size_bytes gauge\n");
            sizes.forEach((repo, size) -> b.append("backup4j_repository_size_bytes{repository=\"").append(escape(repo))
                    .append("\"} ").append(size).append('\n'));
        }
        return b.toString();
    }

    private static void family(StringBuilder b, String name, String type, String help,
            Map<String, OpsMetrics.JobFigures> jobs, java.util.function.Function<OpsMetrics.JobFigures, Number> value) {
        StringBuilder lines = new StringBuilder();
        jobs.forEach((job, f) -> {
            Number v = value.apply(f);
            if (v != null) {
                lines.append(name).append("{job=\"").append(escape(job)).append("\"} ").append(number(v)).append('\n');
            }
        });
        if (lines.length() > 0) {
            b.append("# HELP ").append(name).append(' ').append(help).append('\n');
            b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            b.append(lines);
        }
    }

    private static String number(Number v) {
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : String.format(Locale.ROOT, "%s", d);
        }
        return v.toString();
    }

    /** Label values escape backslash, double quote and newline. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * Writes {@link #format} to {@code file} atomically (temporary file in the same directory, then a rename).
     *
     * @throws IOException if it cannot be written
     */
    public static void write(OpsMetrics metrics, Path file) throws IOException {
        Path abs = requireNonNull(file, "file").toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        Files.writeString(tmp, format(metrics), StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
