package dev.backup4j.ops.schedule;

import static java.util.Objects.requireNonNull;

import dev.backup4j.ops.event.JobReport;
import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.event.OpsListener;
import dev.backup4j.retention.BackupSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embeddable scheduler for backup jobs (no cron): calendars in the retention simulator's schedule syntax,
 * windows with seeded jitter, priorities, no overlap, retries inside the window, and one catch-up run for runs missed
 * while it was down (see {@link Job} for the rules).
 *
 * <p><b>Time.</b> The scheduler never sleeps and never reads the system time: it reads its injected {@link Clock},
 * says when the next run is due ({@link #nextDue()}) and runs what is due now ({@link #runDue()}). A
 * {@link Waiter} moves time between the two: {@link Waiter#realTime} sleeps, {@link Waiter#advancing} moves a
 * {@link dev.backup4j.retention.SimulatedClock} at once, so {@link #runUntil} drives a year of schedule through the
 * same code in milliseconds. Jobs run one at a time on the thread that calls {@link #runDue()} (or {@link #run}); a
 * job's own work may move a simulated clock (to model its duration), and the scheduler sees the time it took.
 *
 * <p><b>Shutdown.</b> {@link #stop()} makes the loop return after the running job; {@link #shutdown(Duration)}
 * also waits for that job for a grace period and then cancels it ({@link JobContext#cancelled()} turns true and its
 * thread is interrupted, so a backup stops and releases its lock). A cancelled run is not recorded as done, so it is
 * caught up after the restart.
 *
 * <pre>{@code
 * Scheduler s = Scheduler.builder()
 *     .clock(clock)
 *     .listener(OpsListener.all(List.of(metrics, alerts)))
 *     .state(StateStore.file(Path.of("/var/lib/backup4j/scheduler.json")))
 *     .seed(42)
 *     .job(nightly).job(hourlyDump)
 *     .build();
 * s.run(Waiter.realTime(clock));                                   // until stop()
 * // in a test: s.runUntil(end, Waiter.advancing(simulatedClock));
 * }</pre>
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final Duration ONE_NANO = Duration.ofNanos(1);

    private final Clock clock;
    private final OpsListener listener;
    private final StateStore state;
    private final List<JobState> jobs;
    private volatile boolean stopping;
    private volatile Waiter waiter;
    private final Object runLock = new Object();
    private Thread runningThread;
    private volatile boolean cancelRequested;
    private boolean started;

    private Scheduler(Builder b) {
        this.clock = b.clock;
        this.listener = b.listener;
        this.state = b.state;
        List<JobState> l = new ArrayList<>();
        for (Job j : b.jobs.values()) {
            l.add(new JobState(j, j.zone(clock.getZone()), new SplittableRandom(b.seed ^ j.name().hashCode())));
        }
        l.sort(Comparator.comparingInt((JobState s) -> -s.job.priority()).thenComparing(s -> s.job.name()));
        this.jobs = List.copyOf(l);
    }

    /** Starts a scheduler. */
    public static Builder builder() {
        return new Builder();
    }

    /** The scheduler's clock. */
    public Clock clock() {
        return clock;
    }

    /** One planned run being worked on. */
    private static final class Occurrence {
        final BackupSchedule.Run run;
        final Instant startAt;
        final Instant deadline;
        /** Whether its run makes up for missed ones (reported so in the events). */
        final boolean catchUp;
        /** Whether it is an extra run, for missed ones, before the next planned run. */
        final boolean extra;
        int attempts;
        Instant retryAt;

        Occurrence(BackupSchedule.Run run, Instant startAt, Instant deadline, boolean catchUp, boolean extra) {
            this.run = run;
            this.startAt = startAt;
            this.deadline = deadline;
            this.catchUp = catchUp;
            this.extra = extra;
        }

        Instant dueAt() {
            return attempts == 0 ? startAt : retryAt;
        }
    }

    private final class JobState {
        final Job job;
        final ZoneId zone;
        final SplittableRandom random;
        Occurrence current;
        BackupSchedule.Run afterCatchUp;

        JobState(Job job, ZoneId zone, SplittableRandom random) {
            this.job = job;
            this.zone = zone;
            this.random = random;
        }

        BackupSchedule.Run next(BackupSchedule.Run r) {
            return job.schedule().nextRun(r.time().plus(ONE_NANO), zone);
        }

        /** Until when a run may start: its window's end, or the next planned run for a schedule without windows. */
        Instant deadline(BackupSchedule.Run r) {
            return r.hasWindow() ? r.windowEnd() : next(r).time();
        }

        Occurrence occurrence(BackupSchedule.Run r) {
            return occurrence(r, false);
        }

        Occurrence occurrence(BackupSchedule.Run r, boolean catchUp) {
            Instant deadline = deadline(r);
            long room = Duration.between(r.time(), deadline).toNanos() - 1;
            long max = Math.min(job.jitter().toNanos(), room);
            Instant start = max > 0 ? r.time().plusNanos(random.nextLong(max + 1)) : r.time();
            return new Occurrence(r, start, deadline, catchUp, false);
        }

        void init(Instant now) {
            Optional<Instant> last = state.lastRun(job.name());
            if (last.isPresent()) {
                current = occurrence(job.schedule().nextRun(last.get().plus(ONE_NANO), zone));
                return;
            }
            // Never ran: start with the first run still ahead, or one whose window is open now.
            BackupSchedule.Run r = job.schedule().nextRun(now.minus(Duration.ofHours(25)), zone);
            while (r.time().isBefore(now) && !(r.hasWindow() && r.inWindow(now))) {
                r = next(r);
            }
            current = occurrence(r);
        }

        /** Deals with what the passing of time decided: missed runs, retries that missed their window. */
        void settle(Instant now) {
            while (true) {
                Occurrence c = current;
                if (now.isBefore(c.deadline)) {
                    return;
                }
                if (c.extra) {
                    current = occurrence(afterCatchUp);
                    continue;
                }
                if (c.attempts > 0) {
                    listener.onEvent(new OpsEvent.JobFailed(job.name(), now, c.run.time(), c.attempts, false,
                            Duration.ZERO, "the retry after attempt " + c.attempts + " could not start before "
                            + c.deadline, false));
                    done(c);
                    continue;
                }
                int count = 0;
                BackupSchedule.Run r = c.run;
                BackupSchedule.Run last = r;
                while (!now.isBefore(deadline(r))) {
                    count++;
                    last = r;
                    r = next(r);
                }
                state.setLastRun(job.name(), last.time());
                boolean catchUp = job.catchUp() == CatchUp.ONCE;
                listener.onEvent(new OpsEvent.RunsMissed(job.name(), now, c.run.time(), last.time(), count, catchUp));
                if (catchUp && now.isBefore(r.time())) {
                    // an extra run now, before the next planned one
                    afterCatchUp = r;
                    current = new Occurrence(last, now, r.time(), true, true);
                } else {
                    // the next planned run is already open (late): it is the catch-up
                    current = occurrence(r, catchUp && !r.time().isAfter(now));
                }
                return;
            }
        }

        void done(Occurrence c) {
            if (c.extra) {
                current = occurrence(afterCatchUp);
            } else {
                state.setLastRun(job.name(), c.run.time());
                current = occurrence(next(c.run));
            }
        }

        boolean due(Instant now) {
            return !now.isBefore(current.dueAt());
        }
    }

    private void start() {
        if (!started) {
            started = true;
            Instant now = clock.instant();
            for (JobState s : jobs) {
                s.init(now);
            }
        }
    }

    /** When the next run is due (a start, a retry), or empty if there are no jobs. */
    public synchronized Optional<Instant> nextDue() {
        start();
        Instant now = clock.instant();
        Instant min = null;
        for (JobState s : jobs) {
            s.settle(now);
            Instant t = s.current.dueAt();
            if (min == null || t.isBefore(min)) {
                min = t;
            }
        }
        return Optional.ofNullable(min);
    }

    /**
     * Runs every job due now, highest priority first, one after the other; a job whose window closed while others
     * ran has missed its run (and catches up if it may). Returns how many runs were started.
     */
    public synchronized int runDue() {
        start();
        Instant now = clock.instant();
        List<JobState> due = new ArrayList<>();
        for (JobState s : jobs) {
            s.settle(now);
            if (s.due(now)) {
                due.add(s);
            }
        }
        int started = 0;
        for (JobState s : due) {
            if (stopping) {
                break;
            }
            Instant t = clock.instant();
            s.settle(t);
            if (s.due(t)) {
                runOne(s);
                started++;
            }
        }
        return started;
    }

    private void runOne(JobState s) {
        Occurrence c = s.current;
        int attempt = c.attempts + 1;
        String name = s.job.name();
        Instant t0 = clock.instant();
        listener.onEvent(new OpsEvent.JobStarted(name, t0, c.run.time(), c.extra ? c.deadline : c.run.windowEnd(),
                attempt, c.catchUp));
        JobContext ctx = new JobContext(name, c.run.time(), c.extra ? c.deadline : c.run.windowEnd(), attempt,
                c.catchUp, clock, listener, () -> cancelRequested);
        synchronized (runLock) {
            runningThread = Thread.currentThread();
        }
        JobReport report = null;
        Throwable failure = null;
        try {
            report = requireNonNull(s.job.task().run(ctx), "the task returned no report");
        } catch (Throwable e) {
            failure = e;
        } finally {
            synchronized (runLock) {
                runningThread = null;
                runLock.notifyAll();
            }
        }
        Instant t1 = clock.instant();
        Duration took = Duration.between(t0, t1);
        if (cancelRequested) {
            Thread.interrupted(); // the cancel's interrupt was for the job, not for the loop
            LOG.info("{}: cancelled by shutdown after {}", name, took);
            listener.onEvent(new OpsEvent.JobCancelled(name, t1, c.run.time(), took));
            return;
        }
        if (failure == null) {
            listener.onEvent(new OpsEvent.JobFinished(name, t1, c.run.time(), attempt, c.catchUp, took, report));
            s.done(c);
            return;
        }
        if (failure instanceof Error err && !(failure instanceof AssertionError)) {
            throw err;
        }
        String message = failure.getMessage() == null ? failure.toString()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        Instant retryAt = t1.plus(s.job.retryDelay());
        boolean retry = attempt <= s.job.retries() && retryAt.isBefore(c.deadline) && !stopping;
        LOG.warn("{}: attempt {} failed: {}{}", name, attempt, message, retry ? "; retrying at " + retryAt : "");
        listener.onEvent(new OpsEvent.JobFailed(name, t1, c.run.time(), attempt, c.catchUp, took, message, retry));
        if (retry) {
            c.attempts = attempt;
            c.retryAt = retryAt;
        } else {
            s.done(c);
        }
    }

    /**
     * Runs jobs as they come due until {@code end} (exclusive) or {@link #stop()}, waiting with {@code w}; with
     * {@link Waiter#advancing} the clock ends at {@code end}.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void runUntil(Instant end, Waiter w) throws InterruptedException {
        requireNonNull(end, "end");
        this.waiter = requireNonNull(w, "waiter");
        while (!stopping) {
            Optional<Instant> next = nextDue();
            if (next.isEmpty() || !next.get().isBefore(end)) {
                w.waitUntil(end);
                synchronized (this) {
                    Instant now = clock.instant();
                    jobs.forEach(s -> s.settle(now));
                }
                return;
            }
            w.waitUntil(next.get());
            if (!stopping) {
                runDue();
            }
        }
    }

    /**
     * Runs jobs as they come due until {@link #stop()}.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void run(Waiter w) throws InterruptedException {
        runUntil(Instant.MAX, w);
    }

    /** Makes {@link #run} return after the running job, if any; starts nothing new. */
    public void stop() {
        stopping = true;
        Waiter w = waiter;
        if (w != null) {
            w.wake();
        }
    }

    /**
     * Stops, waits up to {@code grace} (real time) for a running job to finish, then cancels it and waits for it to
     * return (a backup interrupted this way stops, removes its partial data and releases its lock).
     *
     * @return true if no job had to be cancelled
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        stop();
        long deadline = System.nanoTime() + grace.toNanos();
        synchronized (runLock) {
            while (runningThread != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                runLock.wait(Math.max(1, left / 1_000_000));
            }
            if (runningThread == null) {
                return true;
            }
            cancelRequested = true;
            LOG.info("cancelling the running job: the grace period of {} is over", grace);
            runningThread.interrupt();
            while (runningThread != null) {
                runLock.wait(1000);
            }
            return false;
        }
    }

    /** The planned time of each job's next run (or retry), by job name, for status pages. */
    public synchronized Map<String, Instant> plan() {
        start();
        Map<String, Instant> m = new LinkedHashMap<>();
        jobs.forEach(s -> m.put(s.job.name(), s.current.dueAt()));
        return m;
    }

    /** Builds a {@link Scheduler}. */
    public static final class Builder {
        private Clock clock;
        private OpsListener listener = OpsListener.NONE;
        private StateStore state;
        private long seed;
        private final Map<String, Job> jobs = new LinkedHashMap<>();

        private Builder() {
        }

        /** The clock (required). */
        public Builder clock(Clock c) {
            this.clock = requireNonNull(c, "clock");
            return this;
        }

        /** Receives every event. */
        public Builder listener(OpsListener l) {
            this.listener = requireNonNull(l, "listener");
            return this;
        }

        /** Where the last run of each job is remembered (default: in memory, so nothing is caught up at start). */
        public Builder state(StateStore s) {
            this.state = requireNonNull(s, "state");
            return this;
        }

        /** The seed of the jitter (default 0): the same seed and jobs give the same start times. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Adds a job.
         *
         * @throws IllegalArgumentException if a job with that name was added
         */
        public Builder job(Job j) {
            requireNonNull(j, "job");
            if (jobs.putIfAbsent(j.name(), j) != null) {
                throw new IllegalArgumentException("two jobs are named '" + j.name() + "'; names must be unique");
            }
            return this;
        }

        /**
         * The scheduler.
         *
         * @throws IllegalStateException if no clock was given
         */
        public Scheduler build() {
            if (clock == null) {
                throw new IllegalStateException("a scheduler needs a clock(...): Clock.systemUTC() or a SimulatedClock");
            }
            if (state == null) {
                state = StateStore.inMemory();
            }
            return new Scheduler(this);
        }
    }
}
