package dev.backup4j.core.maintenance;

import dev.backup4j.core.repository.OpenRepository;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The lock a library operation holds while it runs, so that a call from Java is as safe as the CLI: every operation
 * that reads the repository holds a shared lock (backup, restore, dump, check, copy, listing a snapshot's files), and
 * every one that deletes an exclusive one (forget, prune, removing a key), as restic locks its commands. A prune
 * therefore never deletes a pack that a backup in another process or another {@code Repository} instance is writing:
 * one of the two finds the other's lock and backs off (or waits, with {@link dev.backup4j.core.Repository.Opener#lockWait}).
 *
 * <p>An operation takes its own lock unless the caller passes one it holds ({@code .lock(held)} on each operation's
 * builder), which it then neither confirms twice nor releases; an exclusive operation refuses a shared lock. Read-only
 * operations can also run {@code withoutLock()}, restic's {@code --no-lock}: faster, and a concurrent prune may then
 * remove what they read. Applications that do not use the library's operations get locks from {@link Locks}.
 */
public final class OperationLock implements AutoCloseable {
    private final RepositoryLock lock;
    private final boolean owned;

    private OperationLock(RepositoryLock lock, boolean owned) {
        this.lock = lock;
        this.owned = owned;
    }

    /**
     * A shared lock for a reading operation: {@code held} if given, else a new one whose second check is left to
     * {@link #confirm()}, so that the pause before it overlaps the operation's first reads.
     *
     * @throws dev.backup4j.core.common.RepositoryLockedException if an exclusive lock is held and still is after the
     *     repository's lock wait
     */
    public static OperationLock shared(OpenRepository repo, Optional<RepositoryLock> held) throws IOException {
        Objects.requireNonNull(repo, "repo");
        OperationLock l = held.isPresent() ? new OperationLock(held.get(), false)
                : new OperationLock(Locks.on(repo).acquireUnconfirmed(false, repo.lockWait()), true);
        refresh(repo, l);
        return l;
    }

    /** Under the lock, the index as the repository has it now (another process may have pruned since it loaded). */
    private static void refresh(OpenRepository repo, OperationLock l) throws IOException {
        try {
            repo.refreshIndex();
        } catch (IOException | RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /**
     * A confirmed exclusive lock for an operation that deletes: {@code held} if given (it must be exclusive), else a
     * new one.
     *
     * @throws IllegalArgumentException if {@code held} is a shared lock
     * @throws dev.backup4j.core.common.RepositoryLockedException if another lock is held and still is after the
     *     repository's lock wait
     */
    public static OperationLock exclusive(OpenRepository repo, Optional<RepositoryLock> held) throws IOException {
        Objects.requireNonNull(repo, "repo");
        if (held.isPresent()) {
            if (!held.get().exclusive()) {
                throw new IllegalArgumentException("this operation deletes and needs an exclusive lock, not "
                        + held.get());
            }
            held.get().confirm();
            OperationLock l = new OperationLock(held.get(), false);
            refresh(repo, l);
            return l;
        }
        OperationLock l = new OperationLock(Locks.on(repo).acquire(true, repo.lockWait()), true);
        refresh(repo, l);
        return l;
    }

    /** No lock: for a read-only operation the caller runs {@code withoutLock()}. */
    public static OperationLock none() {
        return new OperationLock(null, false);
    }

    /**
     * Makes the lock's second check if it is still to be made (a no-op otherwise); call before relying on what was
     * read, or before writing.
     *
     * @throws dev.backup4j.core.common.RepositoryLockedException if a conflicting lock appeared meanwhile (this
     *     operation's lock is then released)
     */
    public void confirm() throws IOException {
        if (lock != null) {
            lock.confirm();
        }
    }

    /** The lock held, if any. */
    public Optional<RepositoryLock> lock() {
        return Optional.ofNullable(lock);
    }

    /** Releases the lock if this operation took it; a caller's lock stays held. */
    @Override
    public void close() throws IOException {
        if (owned) {
            lock.close();
        }
    }
}
