package dev.backup4j.core.maintenance;

import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.backend.RetentionLocked;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.repository.OpenRepository;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Extends the retention dates of everything the repository's snapshots still need (config, keys, snapshot files, index
 * files and the packs they list) on storage with retention dates ({@link RetentionLocked}, S3 Object Lock), as kopia
 * does: what is still in use stays undeletable, what no snapshot needs runs out and a later prune removes it. A file
 * whose date is more than half a period ahead is left alone, so a run touches each file about once per half
 * period. One request per file to read its date; run it as often as half the period (prune runs it at its end).
 *
 * <pre>{@code
 * RetentionExtension.Result r = RetentionExtension.of(repo).run();
 * }</pre>
 */
public final class RetentionExtension {
    private final OpenRepository repo;
    private RepositoryLock held;
    private java.util.Collection<Id> snapshots;
    private boolean data = true;

    private RetentionExtension(OpenRepository repo) {
        this.repo = repo;
    }

    /**
     * Extends the files of these snapshots only (default: every snapshot's). Forget passes the snapshots its policy
     * keeps, prune none: a snapshot file protected for ever could never be forgotten.
     */
    public RetentionExtension snapshots(java.util.Collection<Id> ids) {
        this.snapshots = java.util.List.copyOf(ids);
        return this;
    }

    /**
     * Leaves index files and packs alone (forget: the data of the snapshots it removes is still listed until prune
     * runs, and prune extends what stays).
     */
    public RetentionExtension withoutData() {
        this.data = false;
        return this;
    }

    /** Runs under a lock the caller holds instead of taking a shared one. */
    public RetentionExtension lock(RepositoryLock lock) {
        this.held = java.util.Objects.requireNonNull(lock, "lock");
        return this;
    }

    /** An extension for {@code repo}; a no-op unless its backend has retention dates. */
    public static RetentionExtension of(OpenRepository repo) {
        return new RetentionExtension(java.util.Objects.requireNonNull(repo, "repo"));
    }

    /**
     * What a run did.
     *
     * @param checked files whose date was read
     * @param extended files whose date was moved
     */
    public record Result(int checked, int extended) {
    }

    /** Extends, under a shared lock. */
    public Result run() throws IOException {
        if (!(repo.backend() instanceof RetentionLocked rl)) {
            return new Result(0, 0);
        }
        try (OperationLock lock = OperationLock.shared(repo, Optional.ofNullable(held))) {
            Instant now = repo.clock().instant();
            Duration period = rl.retentionPeriod();
            Instant target = now.plus(period);
            Instant enough = now.plus(period.dividedBy(2));
            Set<Handle> live = new HashSet<>();
            live.add(Handle.CONFIG);
            for (FileType t : data ? new FileType[] {FileType.KEY, FileType.SNAPSHOT, FileType.INDEX}
                    : new FileType[] {FileType.KEY, FileType.SNAPSHOT}) {
                if (t == FileType.SNAPSHOT && snapshots != null) {
                    snapshots.forEach(id -> live.add(Handle.of(FileType.SNAPSHOT, id)));
                    continue;
                }
                for (FileInfo f : repo.backend().list(t)) {
                    if (Id.isValid(f.name())) {
                        live.add(new Handle(t, f.name()));
                    }
                }
            }
            if (data) {
                for (Id pack : repo.index().packs()) {
                    live.add(Handle.of(FileType.PACK, pack));
                }
            }
            int checked = 0;
            int extended = 0;
            for (Handle h : live) {
                Optional<Instant> until = rl.retainedUntil(h);
                checked++;
                if (until.isEmpty() || until.get().isBefore(enough)) {
                    rl.retainUntil(h, target);
                    extended++;
                }
            }
            lock.confirm();
            return new Result(checked, extended);
        }
    }
}
