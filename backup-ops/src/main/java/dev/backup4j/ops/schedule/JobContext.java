package dev.backup4j.ops.schedule;

import static java.util.Objects.requireNonNull;

import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.event.OpsListener;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What a running {@link JobTask} knows and may do: which run it is, the clock, whether it was asked to stop, and
 * publishing events (progress, drill and check results).
 */
public final class JobContext {
    private final String job;
    private final Instant planned;
    private final Instant windowEnd;
    private final int attempt;
    private final boolean catchUp;
    private final Clock clock;
    private final OpsListener listener;
    private final BooleanSupplier cancelled;

    JobContext(String job, Instant planned, Instant windowEnd, int attempt, boolean catchUp, Clock clock,
            OpsListener listener, BooleanSupplier cancelled) {
        this.job = job;
        this.planned = planned;
        this.windowEnd = windowEnd;
        this.attempt = attempt;
        this.catchUp = catchUp;
        this.clock = clock;
        this.listener = listener;
        this.cancelled = cancelled;
    }

    /** The job's name. */
    public String job() {
        return job;
    }

    /** When this run was planned. */
    public Instant planned() {
        return planned;
    }

    /** The end of this run's window (equal to {@link #planned()} without a window). */
    public Instant windowEnd() {
        return windowEnd;
    }

    /** 1 for the first attempt, 2 for the first retry... */
    public int attempt() {
        return attempt;
    }

    /** Whether this run makes up for missed runs. */
    public boolean catchUp() {
        return catchUp;
    }

    /** The scheduler's clock: use it for every time the task records. */
    public Clock clock() {
        return clock;
    }

    /** Whether the scheduler asked this run to stop (shutdown); stop at the next safe point. */
    public boolean cancelled() {
        return cancelled.getAsBoolean();
    }

    /** Publishes a progress event for this job. */
    public void progress(long files, long bytes, String message) {
        listener.onEvent(new OpsEvent.JobProgress(job, clock.instant(), files, bytes, requireNonNull(message, "message")));
    }

    /** Publishes any event (a drill or check result, a repository size) to the scheduler's listeners. */
    public void publish(OpsEvent event) {
        listener.onEvent(requireNonNull(event, "event"));
    }
}
