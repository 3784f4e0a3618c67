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
 */
public record ForgetResult(RetentionDecision decision, List<Snapshot> kept, List<Snapshot> removed, boolean dryRun) {
    /** Copies the lists. */
    public ForgetResult {
        Objects.requireNonNull(decision, "decision");
        kept = List.copyOf(kept);
        removed = List.copyOf(removed);
    }
}
