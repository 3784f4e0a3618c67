package dev.backup4j.core.maintenance;

import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.retention.RetentionDecision;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Forget} decided and did.
 *
 * @param decision the retention decision, with a reason for every kept snapshot ({@link RetentionDecision#explain()},
 *     {@link RetentionDecision#toJson()})
 * @param kept the kept snapshots, oldest first
 * @param removed the removed snapshots (or, in a dry run, those that would be), oldest first
 * @param dryRun true if no snapshot file was deleted
 * @param stillRetained removed snapshots whose files are under a retention date (S3 Object Lock) and stay until
 *     it passes; a later forget deletes them
 */
public record ForgetResult(RetentionDecision decision, List<Snapshot> kept, List<Snapshot> removed, boolean dryRun,
        List<Snapshot> stillRetained) {
    /** Copies the lists. */
    public ForgetResult {
        Objects.requireNonNull(decision, "decision");
        kept = List.copyOf(kept);
        removed = List.copyOf(removed);
        stillRetained = List.copyOf(stillRetained);
    }

    /** A result on storage without retention dates. */
    public ForgetResult(RetentionDecision decision, List<Snapshot> kept, List<Snapshot> removed, boolean dryRun) {
        this(decision, kept, removed, dryRun, List.of());
    }
}
