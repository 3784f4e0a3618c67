package dev.backup4j.core.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A backup running in the background, from {@link dev.backup4j.core.BackupCommand#start()} or {@link dev.backup4j.core.BackupCommand#start(
 * java.util.concurrent.Executor)}: its result, its progress, and a way to stop it.
 *
 * <p>Cancelling: {@link #cancel()} stops a backup that has not begun to save its snapshot. Files being read are
 * abandoned (their reads interrupted and their streams closed), nothing more is read, the blobs already handed to the
 * storing threads are stored, and then, before the lock is released, what was packed is uploaded and listed in an
 * index file: the backup ends with no snapshot, no lock file, no staging file and no unindexed pack of its own, and a
 * later backup reuses the blobs it stored (until then, prune would remove them as unreferenced). The result is then
 * a {@link CancellationException}. Once the backup saves its snapshot (its data has all been read), a cancel comes
 * too late and the backup completes.
 *
 * <p>Thread-safe: any thread may watch, wait for or cancel the backup.
 *
 * <pre>{@code
 * RunningBackup running = repo.backup().path(Path.of("/var/lib/moodledata")).start(scheduler);
 * double done = running.status().fractionDone();   // e.g. for a progress bar, from any thread
 * // ...
 * if (running.cancel()) {                 // the user pressed "stop"
 *     try {
 *         running.await();
 *     } catch (CancellationException expected) {
 *         // stopped: no snapshot, lock released, nothing left half-written
 *     }
 * }
 * }</pre>
 */
public final class RunningBackup {
    /** Where a backup is in its life. */
    public enum State {
        /** Started on an executor that has not run it yet. */
        QUEUED,
        /** Taking its lock, walking and reading the sources, storing data. */
        RUNNING,
        /** Cancel requested: stopping, storing what was packed, releasing the lock. */
        CANCELLING,
        /** Every source is read: saving the snapshot. A cancel comes too late. */
        SAVING,
        /** Ended with its snapshot saved. */
        SUCCEEDED,
        /** Ended with an exception and no snapshot. */
        FAILED,
        /** Ended by {@link #cancel()}, with no snapshot. */
        CANCELLED;

        /** True for the states of a backup that has ended. */
        public boolean done() {
            return this == SUCCEEDED || this == FAILED || this == CANCELLED;
        }
    }

    private static final BackupStatus NOTHING_YET = new BackupStatus(0, 0, 0, 0, false, List.of(), 0, Duration.ZERO);

    private final boolean background;
    private final Object lock = new Object();
    private final CompletableFuture<BackupResult> done = new CompletableFuture<>();
    private final CompletableFuture<BackupResult> result = new CompletableFuture<>();
    private State state = State.QUEUED;
    /** Set while a failure is being cleaned up: the backup fails, whatever a cancel says. */
    private boolean ending;
    private Thread runner;
    private Archiver archiver;
    private volatile Supplier<BackupStatus> live;
    private volatile BackupStatus last = NOTHING_YET;

    RunningBackup(boolean background) {
        this.background = background;
        if (!background) {
            state = State.RUNNING;
        }
        done.whenComplete((r, e) -> {
            if (e == null) {
                result.complete(r);
            } else {
                result.completeExceptionally(e instanceof CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            }
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                cancel();
            }
        });
    }

    /**
     * The backup's outcome as a future: completed with the result once the snapshot is saved, or exceptionally
     * with what {@link dev.backup4j.core.BackupCommand#run()} would have thrown, or with a {@link CancellationException}. Cancelling
     * this future cancels the backup as {@link #cancel()} does; the future then completes at once, while the backup
     * still stops and cleans up: {@link #await()} waits for that. The same future on every call.
     */
    public CompletableFuture<BackupResult> result() {
        return result;
    }

    /**
     * Waits until the backup has ended, its lock released and its threads stopped, and returns its result.
     *
     * @throws CancellationException if it was cancelled (no snapshot was saved)
     * @throws InterruptedException if the waiting thread is interrupted (the backup goes on)
     * @throws IOException what {@link dev.backup4j.core.BackupCommand#run()} would have thrown: {@code SourceFailedException},
     *     {@code RepositoryLockedException}, a failure to write the repository, ...
     */
    public BackupResult await() throws IOException, InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
    }

    /**
     * Asks the backup to stop without saving a snapshot, and returns at once (use {@link #await()} to wait until it
     * has stopped and released its lock). Idempotent.
     *
     * @return true if the backup will end {@link State#CANCELLED}; false if it has ended already, is saving its
     *     snapshot, or is ending with a failure of its own
     */
    public boolean cancel() {
        Archiver a = null;
        boolean neverStarted = false;
        synchronized (lock) {
            switch (state) {
                case QUEUED -> {
                    state = State.CANCELLED;
                    neverStarted = true;
                }
                case RUNNING -> {
                    if (ending) {
                        return false;
                    }
                    state = State.CANCELLING;
                    if (runner != null) {
                        runner.interrupt(); // a wait for a lock, a listing, a semaphore: stops now
                    }
                    a = archiver;
                }
                case CANCELLING -> {
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }
        if (a != null) {
            a.cancel();
        }
        if (neverStarted) {
            done.completeExceptionally(new CancellationException("backup cancelled before it started"));
        }
        return true;
    }

    /** Where the backup is now. */
    public State state() {
        synchronized (lock) {
            return state;
        }
    }

    /** True once the backup has ended (its lock released, its threads stopped). */
    public boolean isDone() {
        return state().done();
    }

    /**
     * The progress now: files and bytes done, totals from the scan, files being read, errors so far; all zero before
     * the backup starts walking, and the last figures once it has ended. The same figures as
     * {@link BackupListener#onStatus}, computed when asked.
     */
    public BackupStatus status() {
        Supplier<BackupStatus> s = live;
        return s != null ? s.get() : last;
    }

    @Override
    public String toString() {
        return "RunningBackup[" + state() + "]";
    }

    // ---- for BackupCommand

    /** False if the backup runs in the caller's thread ({@link dev.backup4j.core.BackupCommand#run()}). */
    boolean background() {
        return background;
    }

    /** The backup's thread begins; false if it was cancelled while queued (then it must not run). */
    boolean begin(Thread thread) {
        synchronized (lock) {
            if (state != State.QUEUED) {
                return false;
            }
            state = State.RUNNING;
            runner = thread;
            return true;
        }
    }

    /** The pipeline is built: status comes from it, and a cancel stops it (at once if one was asked for already). */
    void attach(Supplier<BackupStatus> status, Archiver a) {
        boolean cancelNow;
        synchronized (lock) {
            archiver = a;
            live = Objects.requireNonNull(status);
            cancelNow = state == State.CANCELLING;
        }
        if (cancelNow) {
            a.cancel();
        }
    }

    /** The pipeline is gone; {@code status} is its last word. */
    void detach(BackupStatus status) {
        last = status;
        live = null;
        synchronized (lock) {
            archiver = null;
        }
    }

    /**
     * Every source is read and the snapshot is about to be saved: from now on a cancel is refused.
     *
     * @throws CancellationException if a cancel came first
     */
    void saving() {
        synchronized (lock) {
            if (state == State.CANCELLING) {
                throw new CancellationException("backup cancelled");
            }
            state = State.SAVING;
            runner = null; // nothing interrupts a snapshot being saved
        }
    }

    /** The backup is cleaning up after a failure or a cancel: no interrupt reaches its thread any more. */
    void ending() {
        synchronized (lock) {
            ending = true;
            runner = null;
        }
    }

    /**
     * What the backup ends with, given the exception it stopped with: a {@link CancellationException} if it was
     * cancelled; for {@link dev.backup4j.core.BackupCommand#run()} on an interrupted thread, an {@link InterruptedIOException};
     * otherwise {@code e}.
     */
    Throwable outcome(Throwable e) {
        synchronized (lock) {
            if (state == State.CANCELLING) {
                if (e instanceof CancellationException) {
                    return e;
                }
                CancellationException c = new CancellationException("backup cancelled");
                c.initCause(e);
                return c;
            }
        }
        if (background || e instanceof InterruptedIOException || !Thread.currentThread().isInterrupted()) {
            return e;
        }
        // interrupted: whatever broke first (a channel closed by the interrupt, say) is the cause
        InterruptedIOException i = new InterruptedIOException("backup interrupted");
        i.initCause(e);
        return i;
    }

    /** The backup has ended, its lock released; for a background backup, its thread is handed back clean. */
    void finish(BackupResult r, Throwable failure) {
        synchronized (lock) {
            runner = null;
            state = r != null ? State.SUCCEEDED
                    : failure instanceof CancellationException ? State.CANCELLED : State.FAILED;
        }
        if (background) {
            Thread.interrupted(); // a cancel's interrupt must not reach the executor's next task
        }
        if (r != null) {
            done.complete(r);
        } else {
            done.completeExceptionally(failure);
        }
    }
}
