package dev.backup4j.core.maintenance;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.retention.RetentionDecision;
import dev.backup4j.retention.RetentionPolicy;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Applies a {@link RetentionPolicy} to the repository's snapshots and deletes the snapshot files of those it removes,
 * as {@code restic forget}. Data stays until {@link Prune} runs.
 *
 * <pre>{@code
 * RetentionPolicy p = RetentionPolicy.builder().zone(ZoneId.of("Europe/Brussels"))
 *     .keepDaily(7).keepWeekly(4)                  // grouped by host and paths
 *     .holdTags("legal-hold")                      // never removes a snapshot tagged legal-hold
 *     .build();
 * ForgetResult r = Forget.on(repo).policy(p)       // takes an exclusive lock while it runs
 *     .hold(s -> s.instant().isBefore(auditEnd)).run();
 * System.out.println(r.decision().explain());
 * }</pre>
 *
 * <p>"Now" for the policy is the repository's clock. The forget holds an exclusive lock (a shared one for a dry run)
 * while it runs, unless the caller passes a lock it holds ({@link #lock}); see {@link OperationLock}.
 *
 * <p>Not thread-safe: configure and run it on one thread; use one per operation.
 */
public final class Forget {
    private final Repository repo;
    private RetentionPolicy policy;
    private boolean dryRun;
    private Predicate<Snapshot> filter;
    private RepositoryLock held;
    private final List<Predicate<? super Snapshot>> holds = new ArrayList<>();

    private Forget(Repository repo) {
        this.repo = repo;
    }

    /** Starts a forget on {@code repo}; a policy is required. */
    public static Forget on(Repository repo) {
        return new Forget(Objects.requireNonNull(repo, "repo"));
    }

    /** The policy (grouping is part of it: host and paths by default, as restic). */
    public Forget policy(RetentionPolicy p) {
        if (policy != null) {
            throw new IllegalStateException("policy was already set");
        }
        policy = Objects.requireNonNull(p, "policy");
        return this;
    }

    /** Only decides; deletes nothing. */
    public Forget dryRun(boolean dry) {
        this.dryRun = dry;
        return this;
    }

    /** Applies the policy only to the snapshots that match (restic's {@code --host}, {@code --tag}, {@code --path}). */
    public Forget only(Predicate<Snapshot> which) {
        if (filter != null) {
            throw new IllegalStateException("only(...) was already set");
        }
        filter = Objects.requireNonNull(which, "which");
        return this;
    }

    /**
     * Runs under a lock the caller holds (exclusive, unless this is a dry run) instead of taking one.
     *
     * @throws IllegalStateException if already set
     */
    public Forget lock(RepositoryLock lock) {
        if (held != null) {
            throw new IllegalStateException("lock was already set");
        }
        held = Objects.requireNonNull(lock, "lock");
        return this;
    }

    /**
     * Puts the snapshots {@code which} accepts on hold for this run: the policy sees them as
     * {@link dev.backup4j.retention.RetentionSnapshot#held() held}, so they are never removed (reason {@code held}).
     * Held snapshots take part in the policy's rules like any other (see {@link RetentionPolicy}). May be called
     * several times: a snapshot any predicate accepts is held. Holds by tag or by retention's view of a snapshot can
     * also be part of the policy ({@code RetentionPolicy.Builder.holdTags}, {@code hold}).
     *
     * @throws NullPointerException if {@code which} is null
     */
    public Forget hold(Predicate<? super Snapshot> which) {
        holds.add(Objects.requireNonNull(which, "which"));
        return this;
    }

    /**
     * Decides and, unless this is a dry run, deletes the removed snapshots' files, holding an exclusive lock.
     *
     * @throws IllegalStateException if no policy was set
     * @throws IllegalArgumentException if the caller's lock is shared and this is not a dry run
     * @throws dev.backup4j.core.common.RepositoryLockedException if another process holds a lock (a backup, a
     *     restore) and still does after the repository's lock wait
     */
    public ForgetResult run() throws IOException {
        if (policy == null) {
            throw new IllegalStateException("set a policy first: policy(RetentionPolicy...)");
        }
        try (OperationLock lock = dryRun ? OperationLock.shared(repo, Optional.ofNullable(held))
                : OperationLock.exclusive(repo, Optional.ofNullable(held))) {
            return runLocked();
        }
    }

    private ForgetResult runLocked() throws IOException {
        List<RetentionView> views = new ArrayList<>();
        for (Snapshot s : repo.snapshots()) {
            if (filter == null || filter.test(s)) {
                views.add(new RetentionView(s, holds.stream().anyMatch(h -> h.test(s))));
            }
        }
        RetentionDecision d = policy.apply(views, repo.clock().instant());
        Set<String> removedIds = d.removedIds();
        List<Snapshot> kept = new ArrayList<>();
        List<Snapshot> removed = new ArrayList<>();
        for (RetentionView v : views) {
            (removedIds.contains(v.id()) ? removed : kept).add(v.snapshot());
        }
        if (!dryRun) {
            for (Snapshot s : removed) {
                try {
                    repo.backend().delete(Handle.of(FileType.SNAPSHOT, s.requireId()));
                } catch (NoSuchFileException e) {
                    // removed by someone else meanwhile: the outcome is the same
                }
            }
        }
        return new ForgetResult(d, kept, removed, dryRun);
    }
}
