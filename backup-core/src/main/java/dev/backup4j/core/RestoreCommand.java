package dev.backup4j.core;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.restore.OverwritePolicy;
import dev.backup4j.core.restore.RestoreExecutor;
import dev.backup4j.core.restore.RestoreListener;
import dev.backup4j.core.restore.RestorePlan;
import dev.backup4j.core.restore.RestorePlanner;
import dev.backup4j.core.restore.RestoreReport;
import dev.backup4j.core.restore.RestoreTarget;
import dev.backup4j.core.restore.RestoreTargets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Restores a snapshot into a directory, as {@code restic restore} does: each entry lands at
 * {@code target + its snapshot path} (or, for {@code SNAPSHOT:PATH}, at {@code target + its path below PATH}).
 * Obtained from {@link Repository#restore(String)}; a facade over {@link RestorePlanner} and {@link RestoreExecutor}
 * (use those directly to preview a plan before executing it).
 *
 * <p>Safety: entry names that could escape the target ({@code ..}, {@code .}, empty, containing '/' or NUL) are
 * refused before anything is written; symlinks already in the target are replaced, never followed; file content goes
 * to a temporary name and is renamed into place only when complete and verified (every blob's SHA-256 is checked).
 * A damaged blob fails only the files that use it; the result lists them. Existing identical files are kept
 * ({@link OverwritePolicy#IF_CHANGED}), so running an interrupted restore again resumes it; nothing is deleted
 * unless {@link #delete()} is asked for.
 *
 * <p>Not thread-safe: configure and run it on one thread, once. Several restores (and backups) may run on one
 * {@link Repository} at the same time, each with its own command.
 *
 * <pre>{@code
 * RestoreResult r = repo.restore("latest").target(Path.of("/tmp/restore")).include("/var/www/lms/courses/42").run();
 * }</pre>
 */
public final class RestoreCommand {
    private final Repository repo;
    private final String selector;
    private Path target;
    private final List<String> includes = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();
    private OverwritePolicy overwrite;
    private boolean delete;
    private boolean sparse;
    private boolean noOwners;
    private boolean noLock;
    private dev.backup4j.core.maintenance.RepositoryLock held;
    private RestoreListener listener;
    private boolean ran;

    RestoreCommand(Repository repo, String selector) {
        this.repo = repo;
        this.selector = selector;
    }

    /** The directory to restore into (created if missing). Required. */
    public RestoreCommand target(Path target) {
        if (this.target != null) {
            throw new IllegalStateException("target was already set");
        }
        this.target = Objects.requireNonNull(target, "target").toAbsolutePath().normalize();
        return this;
    }

    /** Restores only entries matching the glob (and what is below them); may be given several times. */
    public RestoreCommand include(String glob) {
        includes.add(Objects.requireNonNull(glob, "glob"));
        return this;
    }

    /** Leaves out entries matching the glob (and what is below them); may be given several times. */
    public RestoreCommand exclude(String glob) {
        excludes.add(Objects.requireNonNull(glob, "glob"));
        return this;
    }

    /** What to do with entries that already exist (default {@link OverwritePolicy#IF_CHANGED}). */
    public RestoreCommand overwrite(OverwritePolicy policy) {
        if (overwrite != null) {
            throw new IllegalStateException("overwrite was already set");
        }
        this.overwrite = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Removes entries of the target that are not in the snapshot, within the restored scope. */
    public RestoreCommand delete() {
        if (delete) {
            throw new IllegalStateException("delete was already set");
        }
        this.delete = true;
        return this;
    }

    /** Leaves holes where file content is zeros instead of writing them (restic 0.15's {@code --sparse}). */
    public RestoreCommand sparse() {
        if (sparse) {
            throw new IllegalStateException("sparse was already set");
        }
        this.sparse = true;
        return this;
    }

    /**
     * Does not restore owners. By default they are restored as restic restores them: always when running as root,
     * otherwise only where permitted, refusals ignored.
     */
    public RestoreCommand withoutOwners() {
        if (noOwners) {
            throw new IllegalStateException("withoutOwners was already set");
        }
        this.noOwners = true;
        return this;
    }

    /** Restores under a lock the caller holds instead of taking a shared one. */
    public RestoreCommand lock(dev.backup4j.core.maintenance.RepositoryLock lock) {
        if (held != null || noLock) {
            throw new IllegalStateException("lock or withoutLock was already set");
        }
        this.held = Objects.requireNonNull(lock, "lock");
        return this;
    }

    /** Restores without a lock (restic's {@code --no-lock}): a prune running meanwhile may remove what is read. */
    public RestoreCommand withoutLock() {
        if (held != null || noLock) {
            throw new IllegalStateException("lock or withoutLock was already set");
        }
        this.noLock = true;
        return this;
    }

    private RestoreTarget directoryTarget() throws IOException {
        return RestoreTargets.directoryTarget(target).owners(!noOwners).sparse(sparse).open();
    }

    /** Receives progress. */
    public RestoreCommand listener(RestoreListener l) {
        if (listener != null) {
            throw new IllegalStateException("listener was already set");
        }
        this.listener = Objects.requireNonNull(l, "listener");
        return this;
    }

    private RestorePlanner planner() {
        RestorePlanner p = RestorePlanner.parse(repo, selector);
        includes.forEach(p::include);
        excludes.forEach(p::exclude);
        if (overwrite != null) {
            p.overwrite(overwrite);
        }
        p.delete(delete);
        return p;
    }

    /**
     * Computes what {@link #run()} would do, writing nothing (the target directory is not even created).
     *
     * @throws IllegalStateException if no target was set
     * @throws IOException if the target exists and is not a directory
     */
    public RestorePlan plan() throws IOException {
        requireTarget();
        try (RestoreTarget t = RestoreTargets.directoryView(target)) {
            RestorePlanner p = planner();
            if (held != null) {
                p.lock(held);
            } else if (noLock) {
                p.withoutLock();
            }
            return p.plan(t);
        }
    }

    private void requireTarget() {
        if (target == null) {
            throw new IllegalStateException("set a target(...) directory first");
        }
    }

    /**
     * Restores the snapshot. The target directory is created only once the plan is made, so an unknown snapshot
     * or path leaves nothing behind.
     *
     * @throws IllegalStateException if no target was set or run twice
     * @throws dev.backup4j.core.common.NoSuchSnapshotException if no snapshot matches (nothing is created)
     * @throws IOException if the target exists and is not a directory (nothing is written)
     * @throws CorruptDataException if a tree is damaged or holds a name that could escape the target
     */
    public RestoreResult run() throws IOException {
        requireTarget();
        if (ran) {
            throw new IllegalStateException("a RestoreCommand runs once");
        }
        ran = true;
        RestoreReport r;
        // one shared lock for planning and executing; its check waits for the end of planning
        try (dev.backup4j.core.maintenance.OperationLock lock = noLock
                ? dev.backup4j.core.maintenance.OperationLock.none()
                : dev.backup4j.core.maintenance.OperationLock.shared(repo, java.util.Optional.ofNullable(held))) {
            RestorePlan plan;
            try (RestoreTarget view = RestoreTargets.directoryView(target)) {
                RestorePlanner p = planner();
                if (lock.lock().isPresent()) {
                    p.lock(lock.lock().get());
                } else {
                    p.withoutLock();
                }
                plan = p.plan(view);
            }
            try (RestoreTarget t = directoryTarget()) {
                RestoreExecutor ex = RestoreExecutor.of(repo);
                if (listener != null) {
                    ex.listener(listener);
                }
                if (lock.lock().isPresent()) {
                    ex.lock(lock.lock().get());
                } else {
                    ex.withoutLock();
                }
                r = ex.execute(plan, t);
            }
        }
        return RestoreResult.of(r);
    }
}
