package dev.backup4j.core.maintenance;

import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.repository.OpenRepository;
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
    private final OpenRepository repo;
    private RetentionPolicy policy;
    private boolean dryRun;
    private Predicate<Snapshot> filter;
    private RepositoryLock held;
    private final List<Predicate<? super Snapshot>> holds = new ArrayList<>();
    private java.time.Duration settle;
    private java.time.Duration maxSkew;
    private double maxShare = 1.0;
    private java.time.Duration keepSomeOlderThan;
    private boolean force;

    private Forget(OpenRepository repo) {
        this.repo = repo;
    }

    /** Starts a forget on {@code repo}; a policy is required. */
    public static Forget on(OpenRepository repo) {
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
     * Protects the policy against forged snapshots ({@link dev.backup4j.retention.ProtectedRetention}): snapshots are
     * also judged by the time the storage received them (their file's modification time, an object's LastModified).
     * One stored less than {@code settle} ago, or whose claimed time is more than {@code maxSkew} from its storage
     * time (reported as suspicious), is kept and takes no part in the rules, so snapshots added by someone who can
     * only add them never push real ones out. Storage that tells no times (REST) leaves snapshots unprotected.
     *
     * @throws IllegalStateException if already set
     */
    public Forget protect(java.time.Duration settle, java.time.Duration maxSkew) {
        if (this.settle != null) {
            throw new IllegalStateException("protect was already set");
        }
        this.settle = Objects.requireNonNull(settle, "settle");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        return this;
    }

    /**
     * Stops before removing anything, with {@link ForgetLimitException}, if the decision would remove more than
     * {@code share} (0 to 1) of the snapshots considered, or, with {@code keepSomeOlderThan}, every snapshot older
     * than that age (when there is one): the mark of a mistaken policy or of an attack. {@link #force()} overrides.
     *
     * @throws IllegalArgumentException if {@code share} is outside [0, 1]
     */
    public Forget limits(double share, java.time.Duration keepSomeOlderThan) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("the share of snapshots a forget may remove is 0 to 1, got " + share);
        }
        this.maxShare = share;
        this.keepSomeOlderThan = keepSomeOlderThan;
        return this;
    }

    /** Removes what the policy decides even beyond {@link #limits} (restic has no limits; the CLI's --force). */
    public Forget force() {
        this.force = true;
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
     * @throws dev.backup4j.core.common.AppendOnlyRepositoryException if snapshots are to be removed from an
     *     append-only repository (nothing is removed; a dry run still decides)
     * @throws dev.backup4j.core.common.RepositoryLockedException if another process holds a lock (a backup, a
     *     restore) and still does after the repository's lock wait
     */
    public ForgetResult run() throws IOException {
        if (policy == null) {
            throw new IllegalStateException("set a policy first: policy(RetentionPolicy...)");
        }
        try (OperationLock lock = dryRun ? OperationLock.shared(repo, Optional.ofNullable(held))
                : OperationLock.exclusive(repo, Optional.ofNullable(held))) {
            return runLocked(lock.lock().orElseThrow());
        }
    }

    private ForgetResult runLocked(RepositoryLock heldLock) throws IOException {
        java.util.Map<String, java.util.Optional<java.time.Instant>> storedAt = new java.util.HashMap<>();
        if (settle != null) {
            for (dev.backup4j.core.backend.FileInfo f : repo.backend().list(FileType.SNAPSHOT)) {
                storedAt.put(f.name(), f.modified());
            }
        }
        List<RetentionView> views = new ArrayList<>();
        for (Snapshot s : repo.snapshots()) {
            if (filter == null || filter.test(s)) {
                views.add(new RetentionView(s, holds.stream().anyMatch(h -> h.test(s)),
                        storedAt.getOrDefault(s.requireId().toString(), java.util.Optional.empty())));
            }
        }
        java.time.Instant now = repo.clock().instant();
        RetentionDecision d = settle != null
                ? dev.backup4j.retention.ProtectedRetention.of(policy, settle, maxSkew).apply(views, now)
                : policy.apply(views, now);
        Set<String> removedIds = d.removedIds();
        List<Snapshot> kept = new ArrayList<>();
        List<Snapshot> removed = new ArrayList<>();
        for (RetentionView v : views) {
            (removedIds.contains(v.id()) ? removed : kept).add(v.snapshot());
        }
        if (!force && !removed.isEmpty()) {
            checkLimits(views.size(), removed, now);
        }
        List<Snapshot> retained = new ArrayList<>();
        if (!dryRun && !removed.isEmpty()) {
            repo.requireDeletable("forget");
            for (Snapshot s : removed) {
                Handle h = Handle.of(FileType.SNAPSHOT, s.requireId());
                if (repo.backend() instanceof dev.backup4j.core.backend.RetentionLocked rl) {
                    java.util.Optional<java.time.Instant> until = rl.retainedUntil(h);
                    if (until.isPresent() && until.get().isAfter(now)) {
                        retained.add(s); // under retention: a later forget deletes it
                        continue;
                    }
                }
                try {
                    repo.backend().delete(h);
                } catch (NoSuchFileException e) {
                    // removed by someone else meanwhile: the outcome is the same
                } catch (java.nio.file.AccessDeniedException e) {
                    throw repo.refusedDelete("forget", e);
                }
            }
        }
        if (!dryRun && repo.backend() instanceof dev.backup4j.core.backend.RetentionLocked) {
            // the kept snapshots' files stay protected; removed ones run out (the data: prune's extension)
            List<dev.backup4j.core.common.Id> keep = new ArrayList<>();
            kept.forEach(s -> keep.add(s.requireId()));
            RetentionExtension.of(repo).lock(heldLock).snapshots(keep).withoutData().run();
        }
        return new ForgetResult(d, kept, removed, dryRun, retained);
    }

    private void checkLimits(int considered, List<Snapshot> removed, java.time.Instant now) throws IOException {
        if (removed.size() > maxShare * considered) {
            throw new ForgetLimitException("forget would remove " + removed.size() + " of " + considered
                    + " snapshots, more than the limit of " + Math.round(maxShare * 100) + "%; nothing was removed "
                    + "(check the policy, or force it)");
        }
        if (keepSomeOlderThan != null) {
            java.time.Instant cutoff = now.minus(keepSomeOlderThan);
            long older = 0;
            long olderRemoved = 0;
            for (Snapshot s : repo.snapshots()) {
                if ((filter == null || filter.test(s)) && s.instant().isBefore(cutoff)) {
                    older++;
                }
            }
            for (Snapshot s : removed) {
                if (s.instant().isBefore(cutoff)) {
                    olderRemoved++;
                }
            }
            if (older > 0 && olderRemoved == older) {
                throw new ForgetLimitException("forget would remove every snapshot older than " + keepSomeOlderThan
                        + " (" + older + "); nothing was removed (check the policy, or force it)");
            }
        }
    }
}
