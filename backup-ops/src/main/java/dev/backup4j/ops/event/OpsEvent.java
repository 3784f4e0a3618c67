package dev.backup4j.ops.event;

import static java.util.Objects.requireNonNull;

import dev.backup4j.ops.drill.CheckRecord;
import dev.backup4j.ops.drill.DrillResult;
import java.time.Duration;
import java.time.Instant;

/**
 * Something that happened to a job: every event names the job and the time it happened (on the scheduler's clock).
 * One listener API ({@link OpsListener}) receives them all; metrics and alerts are listeners too.
 *
 * <pre>{@code
 * OpsListener log = e -> {
 *     if (e instanceof OpsEvent.JobFailed f) {
 *         System.err.println(f.job() + " failed: " + f.error());
 *     }
 * };
 * }</pre>
 */
public sealed interface OpsEvent {

    /** The job's name. */
    String job();

    /** When it happened. */
    Instant time();

    /**
     * A run started.
     *
     * @param planned when the run was planned (the start of its window; for a catch-up, the last missed run)
     * @param windowEnd the end of its window (equal to {@code planned} for a schedule without windows)
     * @param attempt 1 for the first attempt, 2 for the first retry...
     * @param catchUp whether this run makes up for runs missed while the scheduler was not running or was busy
     */
    record JobStarted(String job, Instant time, Instant planned, Instant windowEnd, int attempt, boolean catchUp)
            implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public JobStarted {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(planned, "planned");
            requireNonNull(windowEnd, "windowEnd");
        }
    }

    /** Progress of a running job (a backup: about once a second). */
    record JobProgress(String job, Instant time, long files, long bytes, String message) implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public JobProgress {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(message, "message");
        }
    }

    /** A run succeeded. */
    record JobFinished(String job, Instant time, Instant planned, int attempt, boolean catchUp, Duration duration,
            JobReport report) implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public JobFinished {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(planned, "planned");
            requireNonNull(duration, "duration");
            requireNonNull(report, "report");
        }
    }

    /**
     * A run failed.
     *
     * @param willRetry whether the scheduler will try again within the run's window
     */
    record JobFailed(String job, Instant time, Instant planned, int attempt, boolean catchUp, Duration duration,
            String error, boolean willRetry) implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public JobFailed {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(planned, "planned");
            requireNonNull(duration, "duration");
            requireNonNull(error, "error");
        }
    }

    /** A run stopped because the scheduler shut down; it is not counted as done, so it is caught up later. */
    record JobCancelled(String job, Instant time, Instant planned, Duration duration) implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public JobCancelled {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(planned, "planned");
            requireNonNull(duration, "duration");
        }
    }

    /**
     * Planned runs whose window passed without a run (the scheduler was not running, or other jobs ran).
     *
     * @param first the first missed run's planned time
     * @param last the last missed run's planned time
     * @param count how many runs were missed
     * @param catchingUp whether one catch-up run follows now
     */
    record RunsMissed(String job, Instant time, Instant first, Instant last, int count, boolean catchingUp)
            implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public RunsMissed {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(first, "first");
            requireNonNull(last, "last");
        }
    }

    /** A restore drill ended (passed or not); a failed drill also fails its job. */
    record DrillCompleted(String job, Instant time, DrillResult result) implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public DrillCompleted {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(result, "result");
        }
    }

    /** A repository check ended (passed or not); a failed check also fails its job. */
    record CheckCompleted(String job, Instant time, CheckRecord result) implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public CheckCompleted {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(result, "result");
        }
    }

    /** The size of a repository's data, measured after a job wrote to it. */
    record RepositorySize(String job, Instant time, String repository, long bytes) implements OpsEvent {
        /** @throws NullPointerException if an argument is null */
        public RepositorySize {
            requireNonNull(job, "job");
            requireNonNull(time, "time");
            requireNonNull(repository, "repository");
        }
    }
}
