package dev.backup4j.core.maintenance;

import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.retention.RetentionSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A core {@link Snapshot} as retention sees it: restic's hex id, time, host, paths and tags; {@code held} when one of
 * {@link Forget#hold}'s predicates matched it; {@code storedAt} when the storage said when it received the file.
 */
record RetentionView(Snapshot snapshot, boolean held, java.util.Optional<Instant> storedAt)
        implements dev.backup4j.retention.StoredSnapshot {
    RetentionView(Snapshot snapshot, boolean held) {
        this(snapshot, held, java.util.Optional.empty());
    }

    @Override
    public String id() {
        return snapshot.requireId().toString();
    }

    @Override
    public Instant time() {
        return snapshot.instant();
    }

    @Override
    public String host() {
        return snapshot.hostname();
    }

    @Override
    public List<String> paths() {
        return snapshot.paths();
    }

    @Override
    public Set<String> tags() {
        return Set.copyOf(snapshot.tags());
    }
}
