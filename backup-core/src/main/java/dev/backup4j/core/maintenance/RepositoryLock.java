package dev.backup4j.core.maintenance;

import dev.backup4j.core.common.Id;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held repository lock, from {@link Locks#acquire}. While held it is refreshed in the background; closing it
 * stops the refreshes and removes the lock file.
 *
 * <pre>{@code
 * try (RepositoryLock lock = Locks.on(repo).acquire(false)) {
 *     repo.restore("latest").target(dir).run();
 * }
 * }</pre>
 */
public final class RepositoryLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RepositoryLock.class);

    private final Locks locks;
    private final boolean exclusive;
    private final Optional<ScheduledExecutorService> ownScheduler;
    private final ScheduledFuture<?> refresher;
    private Id id;
    private boolean closed;
    private int failedRefreshes;

    RepositoryLock(Locks locks, Id id, boolean exclusive, Optional<ScheduledExecutorService> scheduler,
            Duration interval) {
        this.locks = locks;
        this.id = id;
        this.exclusive = exclusive;
        ScheduledExecutorService s;
        if (scheduler.isPresent()) {
            s = scheduler.get();
            ownScheduler = Optional.empty();
        } else {
            s = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "backup4j-lock-refresh");
                t.setDaemon(true);
                return t;
            });
            ownScheduler = Optional.of(s);
        }
        long ms = interval.toMillis();
        this.refresher = s.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** A check still to make before the lock counts as held (see {@link Locks#acquireUnconfirmed}). */
    interface Check {
        void run() throws IOException;
    }

    private Check pending;

    synchronized void checkLater(Check check) {
        this.pending = check;
    }

    /**
     * Makes the check {@link Locks#acquireUnconfirmed} left for later, once; a no-op for locks from
     * {@link Locks#acquire}. If a conflicting lock appeared, this lock is released and the exception thrown.
     *
     * @throws dev.backup4j.core.common.RepositoryLockedException if a conflicting lock appeared meanwhile
     */
    public void confirm() throws IOException {
        Check c;
        synchronized (this) {
            c = pending;
            pending = null;
        }
        if (c == null) {
            return;
        }
        try {
            c.run();
        } catch (IOException | RuntimeException e) {
            try {
                close();
            } catch (IOException closing) {
                LOG.warn("could not remove lock {}: {}", id().shortString(), closing.getMessage());
            }
            throw e;
        }
    }

    /** The current lock file's id (it changes on every refresh). */
    public synchronized Id id() {
        return id;
    }

    /** True for an exclusive lock. */
    public boolean exclusive() {
        return exclusive;
    }

    /** Refreshes that failed since the last successful one. */
    public synchronized int failedRefreshes() {
        return failedRefreshes;
    }

    /**
     * Refreshes now: writes a lock file with the current time, then removes the previous one (restic's order, so
     * the repository is never without this lock).
     *
     * @throws IllegalStateException if the lock was released
     */
    public synchronized void refresh() throws IOException {
        if (closed) {
            throw new IllegalStateException("the lock was released");
        }
        Id fresh = locks.write(exclusive);
        Id old = id;
        id = fresh;
        try {
            locks.delete(old);
        } catch (NoSuchFileException e) {
            LOG.warn("lock {} was removed by someone else (unlock --remove-all?)", old.shortString());
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
            synchronized (this) {
                failedRefreshes = 0;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                failedRefreshes++;
            }
            LOG.warn("could not refresh lock: {}", e.getMessage());
        }
    }

    /** True once the lock is released: by {@link #close()}, or by a {@link #confirm()} that found a conflict. */
    public synchronized boolean released() {
        return closed;
    }

    /** Stops refreshing and removes the lock file. Idempotent. */
    @Override
    public void close() throws IOException {
        refresher.cancel(false);
        ownScheduler.ifPresent(ScheduledExecutorService::shutdown);
        Id toDelete;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toDelete = id;
        }
        try {
            locks.delete(toDelete);
        } catch (NoSuchFileException e) {
            LOG.warn("lock {} was already removed", toDelete.shortString());
        }
    }

    @Override
    public synchronized String toString() {
        return "RepositoryLock[" + (exclusive ? "exclusive " : "shared ") + id.shortString()
                + (closed ? ", released" : "") + "]";
    }
}
