package dev.backup4j.ops.schedule;

import static java.util.Objects.requireNonNull;

import dev.backup4j.retention.BackupSchedule;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A job for the {@link Scheduler}: a name, a calendar ({@link BackupSchedule}, the same objects the retention
 * simulator runs), what to run, and how. Immutable.
 *
 * <ul>
 *   <li><b>Window.</b> A run is planned at the start of its window and may start until its end (a schedule without
 *       windows: until the next planned run). {@link Builder#jitter} starts it at a random offset inside the window
 *       (seeded by the scheduler, so a simulation replays), never after the window's end.</li>
 *   <li><b>Priority.</b> When several jobs are due at once they run one after the other, highest priority first
 *       (ties: by name). A job whose window ends while others run has missed that run.</li>
 *   <li><b>No overlap.</b> A job never runs twice at once; a run planned while the previous one still runs is
 *       started after it if its window is still open, else it is missed.</li>
 *   <li><b>Retries.</b> A failed run is tried again after {@link Builder#retries retryDelay}, up to the given number
 *       of times, while its window is open.</li>
 *   <li><b>Catch-up.</b> Runs missed while the scheduler was down (known from its {@link StateStore}) or busy are
 *       made up by one run ({@link CatchUp#ONCE}, the default) or skipped ({@link CatchUp#SKIP}).</li>
 * </ul>
 *
 * <pre>{@code
 * Job nightly = Job.builder("nightly", BackupSchedule.parse("daily@01:00-02:00 Asia/Kolkata"), task)
 *     .priority(10)
 *     .jitter(Duration.ofMinutes(30))
 *     .retries(2, Duration.ofMinutes(5))
 *     .build();
 * }</pre>
 */
public final class Job {
    private final String name;
    private final BackupSchedule schedule;
    private final JobTask task;
    private final int priority;
    private final Duration jitter;
    private final int retries;
    private final Duration retryDelay;
    private final CatchUp catchUp;
    private final Optional<ZoneId> zone;

    private Job(Builder b) {
        this.name = b.name;
        this.schedule = b.schedule;
        this.task = b.task;
        this.priority = b.priority;
        this.jitter = b.jitter;
        this.retries = b.retries;
        this.retryDelay = b.retryDelay;
        this.catchUp = b.catchUp;
        this.zone = Optional.ofNullable(b.zone);
    }

    /**
     * Starts a job.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    public static Builder builder(String name, BackupSchedule schedule, JobTask task) {
        return new Builder(name, schedule, task);
    }

    /** The job's unique name. */
    public String name() {
        return name;
    }

    /** Its calendar. */
    public BackupSchedule schedule() {
        return schedule;
    }

    /** What it runs. */
    public JobTask task() {
        return task;
    }

    /** Higher runs first. */
    public int priority() {
        return priority;
    }

    /** The largest random delay after a window's start (zero: none). */
    public Duration jitter() {
        return jitter;
    }

    /** How many times a failed run is tried again. */
    public int retries() {
        return retries;
    }

    /** The pause before a retry. */
    public Duration retryDelay() {
        return retryDelay;
    }

    /** What happens to missed runs. */
    public CatchUp catchUp() {
        return catchUp;
    }

    /** The zone the schedule is read in: the job's, else the schedule's own, else the scheduler clock's. */
    ZoneId zone(ZoneId fallback) {
        return zone.orElse(schedule.zone().orElse(fallback));
    }

    @Override
    public String toString() {
        return name + " (" + schedule + ")";
    }

    /** Builds a {@link Job}; each option may be set once. */
    public static final class Builder {
        private final String name;
        private final BackupSchedule schedule;
        private final JobTask task;
        private int priority;
        private Duration jitter = Duration.ZERO;
        private int retries;
        private Duration retryDelay = Duration.ofMinutes(5);
        private CatchUp catchUp = CatchUp.ONCE;
        private ZoneId zone;
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private Builder(String name, BackupSchedule schedule, JobTask task) {
            this.name = requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a job needs a name");
            }
            this.schedule = requireNonNull(schedule, "schedule");
            this.task = requireNonNull(task, "task");
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set for job " + name);
            }
        }

        /** Higher runs first when several jobs are due (default 0). */
        public Builder priority(int p) {
            once("priority");
            this.priority = p;
            return this;
        }

        /**
         * Starts each run at a random offset of up to {@code max} after its window opens (clamped to the window).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder jitter(Duration max) {
            once("jitter");
            if (requireNonNull(max, "max").isNegative()) {
                throw new IllegalArgumentException("jitter must not be negative: " + max);
            }
            this.jitter = max;
            return this;
        }

        /**
         * Tries a failed run again up to {@code n} times, {@code delay} apart, while its window is open.
         *
         * @throws IllegalArgumentException if {@code n} is negative or {@code delay} is not positive
         */
        public Builder retries(int n, Duration delay) {
            once("retries");
            if (n < 0 || requireNonNull(delay, "delay").isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("retries need n >= 0 and a positive delay, got " + n + ", " + delay);
            }
            this.retries = n;
            this.retryDelay = delay;
            return this;
        }

        /** What happens to missed runs (default {@link CatchUp#ONCE}). */
        public Builder catchUp(CatchUp c) {
            once("catchUp");
            this.catchUp = requireNonNull(c, "catchUp");
            return this;
        }

        /** Reads the schedule in this zone (default: the schedule's own zone, else the scheduler clock's). */
        public Builder zone(ZoneId z) {
            once("zone");
            this.zone = requireNonNull(z, "zone");
            return this;
        }

        /** The job. */
        public Job build() {
            return new Job(this);
        }
    }
}
