package dev.backup4j.ops.monitor;

import static java.util.Objects.requireNonNull;

import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.event.OpsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The job events as Micrometer meters, for a service that already has a {@link MeterRegistry}. Micrometer is an
 * optional dependency of backup-ops: add {@code io.micrometer:micrometer-core} to use this class; nothing else in
 * the module needs it. Meters (tag {@code job}; {@code repository} for the size):
 * <ul>
 *   <li>{@code backup4j.job.duration} (timer, tag {@code outcome} = {@code success}|{@code failure})</li>
 *   <li>{@code backup4j.job.bytes.read}, {@code backup4j.job.bytes.added}, {@code backup4j.job.files},
 *       {@code backup4j.job.errors}, {@code backup4j.job.missed} (counters)</li>
 *   <li>{@code backup4j.job.last.success} (gauge, Unix seconds of the last success)</li>
 *   <li>{@code backup4j.repository.size} (gauge, bytes)</li>
 *   <li>{@code backup4j.drill.rto} (gauge, seconds of the last drill), {@code backup4j.drill.failures} (counter)</li>
 * </ul>
 *
 * <pre>{@code
 * MeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
 * Scheduler s = Scheduler.builder().clock(clock).listener(new MicrometerMetrics(registry)).job(nightly).build();
 * }</pre>
 */
public final class MicrometerMetrics implements OpsListener {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sizes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rto = new ConcurrentHashMap<>();

    /** Meters in {@code registry}. */
    public MicrometerMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
    }

    @Override
    public void onEvent(OpsEvent event) {
        String job = event.job();
        if (event instanceof OpsEvent.JobFinished f) {
            Timer.builder("backup4j.job.duration").tag("job", job).tag("outcome", "success").register(registry)
                    .record(f.duration());
            counter("backup4j.job.bytes.read", job).increment(f.report().bytesRead());
            counter("backup4j.job.bytes.added", job).increment(f.report().bytesAdded());
            counter("backup4j.job.files", job).increment(f.report().files());
            counter("backup4j.job.errors", job).increment(f.report().errors());
            gauge("backup4j.job.last.success", "job", job, lastSuccess).set(f.time().getEpochSecond());
        } else if (event instanceof OpsEvent.JobFailed f) {
            Timer.builder("backup4j.job.duration").tag("job", job).tag("outcome", "failure").register(registry)
                    .record(f.duration());
        } else if (event instanceof OpsEvent.RunsMissed m) {
            counter("backup4j.job.missed", job).increment(m.count());
        } else if (event instanceof OpsEvent.RepositorySize r) {
            gauge("backup4j.repository.size", "repository", r.repository(), sizes).set(r.bytes());
        } else if (event instanceof OpsEvent.DrillCompleted d) {
            gauge("backup4j.drill.rto", "job", job, rto).set(d.result().rto().toSeconds());
            if (!d.result().ok()) {
                counter("backup4j.drill.failures", job).increment();
            }
        }
    }

    private Counter counter(String name, String job) {
        return Counter.builder(name).tag("job", job).register(registry);
    }

    private AtomicLong gauge(String name, String tag, String value, Map<String, AtomicLong> values) {
        return values.computeIfAbsent(value, v -> {
            AtomicLong a = new AtomicLong();
            Gauge.builder(name, a, AtomicLong::doubleValue).tag(tag, v).register(registry);
            return a;
        });
    }
}
