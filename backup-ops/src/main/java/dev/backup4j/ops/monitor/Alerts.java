package dev.backup4j.ops.monitor;

import static java.util.Objects.requireNonNull;

import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.event.OpsListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns job events into alerts, once per incident: the first failure of a job (after its retries: a failed attempt
 * that will be retried alerts nobody) or the first missed window sends {@link Alert.Kind#FAILED} or
 * {@link Alert.Kind#MISSED}; further failures of the same job stay quiet; its next success sends
 * {@link Alert.Kind#RECOVERED} with the count. Every alert goes to every sink; a sink that throws is logged and
 * counted ({@link #sinkFailures()}), and the others still get it. Thread-safe.
 *
 * <pre>{@code
 * Alerts alerts = Alerts.builder().sink(AlertSinks.webhook(URI.create("http://127.0.0.1:9000/alerts"))).build();
 * Scheduler s = Scheduler.builder().clock(clock).listener(alerts).job(nightly).build();
 * }</pre>
 */
public final class Alerts implements OpsListener {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

    private final List<AlertSink> sinks;
    private final Map<String, Integer> failing = new HashMap<>();
    private final List<Alert> sent = new ArrayList<>();
    private int sinkFailures;

    private Alerts(List<AlertSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    /** Starts the alert rules. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onEvent(OpsEvent event) {
        Alert a = null;
        synchronized (this) {
            if (event instanceof OpsEvent.JobFailed f && !f.willRetry()) {
                a = incident(f.job(), new Alert(Alert.Kind.FAILED, f.job(), f.time(), f.error(), 1));
            } else if (event instanceof OpsEvent.RunsMissed m) {
                a = incident(m.job(), new Alert(Alert.Kind.MISSED, m.job(), m.time(), m.count() + " planned run"
                        + (m.count() == 1 ? "" : "s") + " from " + m.first() + " to " + m.last() + " did not run"
                        + (m.catchingUp() ? "; catching up now" : ""), 1));
            } else if (event instanceof OpsEvent.JobFinished f) {
                Integer n = failing.remove(f.job());
                if (n != null) {
                    a = new Alert(Alert.Kind.RECOVERED, f.job(), f.time(), "works again after " + n + " failure"
                            + (n == 1 ? "" : "s") + ": " + f.report().summary(), n);
                }
            }
            if (a != null) {
                sent.add(a);
            }
        }
        if (a != null) {
            deliver(a);
        }
    }

    private Alert incident(String job, Alert alert) {
        Integer n = failing.merge(job, 1, Integer::sum);
        return n == 1 ? alert : null;
    }

    private void deliver(Alert a) {
        for (AlertSink s : sinks) {
            try {
                s.send(a);
            } catch (Exception e) {
                synchronized (this) {
                    sinkFailures++;
                }
                LOG.warn("alert sink {} failed for '{}': {}", s, a, e.toString());
            }
        }
    }

    /** Every alert sent so far, oldest first. */
    public synchronized List<Alert> sent() {
        return List.copyOf(sent);
    }

    /** How many deliveries failed. */
    public synchronized int sinkFailures() {
        return sinkFailures;
    }

    /** Builds {@link Alerts}. */
    public static final class Builder {
        private final List<AlertSink> sinks = new ArrayList<>();

        private Builder() {
        }

        /** Adds a sink. */
        public Builder sink(AlertSink s) {
            sinks.add(requireNonNull(s, "sink"));
            return this;
        }

        /** The alert rules. */
        public Alerts build() {
            return new Alerts(sinks);
        }
    }
}
