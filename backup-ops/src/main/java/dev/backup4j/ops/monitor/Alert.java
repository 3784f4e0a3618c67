package dev.backup4j.ops.monitor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One alert: a job started failing ({@link Kind#FAILED}), missed its window ({@link Kind#MISSED}), or works again
 * ({@link Kind#RECOVERED}).
 *
 * @param kind what happened
 * @param job the job
 * @param time when (on the scheduler's clock)
 * @param message one line, for people
 * @param failures for {@code RECOVERED}: how many failed runs and missed windows came before the recovery; else 1
 */
public record Alert(Kind kind, String job, Instant time, String message, int failures) {

    /** What an alert says. */
    public enum Kind {
        /** A run failed for good (after its retries). */
        FAILED,
        /** Planned runs passed without a run. */
        MISSED,
        /** A job that had failed or missed succeeded again. */
        RECOVERED
    }

    /** @throws NullPointerException if an argument is null */
    public Alert {
        requireNonNull(kind, "kind");
        requireNonNull(job, "job");
        requireNonNull(time, "time");
        requireNonNull(message, "message");
    }

    /** {@code {"kind":"FAILED","job":...,"time":...,"message":...,"failures":1}}: what the webhook posts. */
    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("kind", kind.name());
        o.put("job", job);
        o.put("time", time.toString());
        o.put("message", message);
        o.put("failures", failures);
        try {
            return m.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For example {@code FAILED nightly: IOException: disk full}. */
    @Override
    public String toString() {
        return kind + " " + job + ": " + message;
    }
}
