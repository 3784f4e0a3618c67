package dev.backup4j.ops.monitor;

import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.event.OpsListener;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Metrics kept in memory from the events, per job: runs, failures, missed runs, the last run's duration, bytes
 * read and added, files and errors, totals, the last success and failure times; per repository its size; the last
 * drill's and check's outcome. Read them with {@link #jobs()}, or write them for Prometheus with
 * {@link PrometheusFile}. Needs no metrics library; {@link MicrometerMetrics} is the Micrometer counterpart.
 * Thread-safe.
 *
 * <pre>{@code
 * OpsMetrics metrics = new OpsMetrics();
 * Scheduler s = Scheduler.builder().clock(clock).listener(metrics).job(nightly).build();
 * PrometheusFile.write(metrics, Path.of("/var/lib/node_exporter/backup4j.prom"));
 * }</pre>
 */
public final class OpsMetrics implements OpsListener {

    /** One job's figures; {@code last*} are those of the last finished run. */
    public record JobFigures(long runs, long failures, long missed, double lastDurationSeconds, long lastBytesRead,
            long lastBytesAdded, long lastFiles, long lastErrors, long bytesReadTotal, long bytesAddedTotal,
            Optional<Instant> lastSuccess, Optional<Instant> lastFailure, Optional<Boolean> lastDrillOk,
            double lastDrillRtoSeconds, Optional<Boolean> lastCheckOk) {
    }

    private static final class Figures {
        long runs;
        long failures;
        long missed;
        double lastDuration;
        long lastRead;
        long lastAdded;
        long lastFiles;
        long lastErrors;
        long readTotal;
        long addedTotal;
        Instant lastSuccess;
        Instant lastFailure;
        Boolean drillOk;
        double drillRto;
        Boolean checkOk;

        JobFigures freeze() {
            return new JobFigures(runs, failures, missed, lastDuration, lastRead, lastAdded, lastFiles, lastErrors,
                    readTotal, addedTotal, Optional.ofNullable(lastSuccess), Optional.ofNullable(lastFailure),
                    Optional.ofNullable(drillOk), drillRto, Optional.ofNullable(checkOk));
        }
    }

    private final Map<String, Figures> jobs = new TreeMap<>();
    private final Map<String, Long> repositorySizes = new TreeMap<>();

    /** Empty metrics. */
    public OpsMetrics() {
    }

    @Override
    public synchronized void onEvent(OpsEvent event) {
        if (event instanceof OpsEvent.RepositorySize r) {
            repositorySizes.put(r.repository(), r.bytes());
            return;
        }
        Figures f = jobs.computeIfAbsent(event.job(), k -> new Figures());
        if (event instanceof OpsEvent.JobFinished e) {
            f.runs++;
            f.lastDuration = e.duration().toNanos() / 1e9;
            f.lastRead = e.report().bytesRead();
            f.lastAdded = e.report().bytesAdded();
            f.lastFiles = e.report().files();
            f.lastErrors = e.report().errors();
            f.readTotal += e.report().bytesRead();
            f.addedTotal += e.report().bytesAdded();
            f.lastSuccess = e.time();
        } else if (event instanceof OpsEvent.JobFailed e) {
            f.runs++;
            f.failures++;
            f.lastDuration = e.duration().toNanos() / 1e9;
            f.lastFailure = e.time();
        } else if (event instanceof OpsEvent.RunsMissed e) {
            f.missed += e.count();
        } else if (event instanceof OpsEvent.DrillCompleted e) {
            f.drillOk = e.result().ok();
            f.drillRto = e.result().rto().toNanos() / 1e9;
        } else if (event instanceof OpsEvent.CheckCompleted e) {
            f.checkOk = e.result().ok();
        }
    }

    /** The figures of every job that had an event, by name. */
    public synchronized Map<String, JobFigures> jobs() {
        Map<String, JobFigures> m = new TreeMap<>();
        jobs.forEach((k, v) -> m.put(k, v.freeze()));
        return m;
    }

    /** The last measured size of each repository, in bytes, by its location. */
    public synchronized Map<String, Long> repositorySizes() {
        return new TreeMap<>(repositorySizes);
    }
}
