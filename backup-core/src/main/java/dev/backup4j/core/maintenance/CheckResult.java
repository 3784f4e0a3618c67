package dev.backup4j.core.maintenance;

import dev.backup4j.core.common.Id;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Check} found. {@link #ok()} is true when there are no errors; hints (packs no index lists, a pack
 * listed twice with the same content) are not errors, as with restic.
 *
 * @param errors problems that make data unreadable or the repository inconsistent, one line each
 * @param hints non-critical findings, one line each
 * @param damagedPacks packs whose content is missing or damaged, with what that costs
 * @param snapshotsChecked number of snapshots whose trees were walked
 * @param treesChecked number of distinct trees read
 * @param packsChecked number of packs compared against the index
 * @param packsRead number of packs read and verified blob by blob ({@code --read-data}); 0 without it
 */
public record CheckResult(List<String> errors, List<String> hints, List<DamagedPack> damagedPacks,
        int snapshotsChecked, int treesChecked, int packsChecked, int packsRead) {
    /** Copies the lists. */
    public CheckResult {
        errors = List.copyOf(errors);
        hints = List.copyOf(hints);
        damagedPacks = List.copyOf(damagedPacks);
    }

    /** True if no error was found. */
    public boolean ok() {
        return errors.isEmpty();
    }

    /**
     * A pack that is missing or damaged, and the snapshots and paths that need data from it.
     *
     * @param pack the pack's id
     * @param problem what is wrong with it
     * @param damagedBlobs the blobs of the pack that cannot be read
     * @param affected per snapshot, the paths (files, or directories whose listing is lost) that need those blobs
     */
    public record DamagedPack(Id pack, String problem, List<Id> damagedBlobs, List<AffectedSnapshot> affected) {
        /** Copies the lists. */
        public DamagedPack {
            Objects.requireNonNull(pack, "pack");
            Objects.requireNonNull(problem, "problem");
            damagedBlobs = List.copyOf(damagedBlobs);
            affected = List.copyOf(affected);
        }
    }

    /**
     * A snapshot that cannot be fully restored.
     *
     * @param snapshot its id
     * @param paths the affected paths inside it, sorted
     */
    public record AffectedSnapshot(Id snapshot, List<String> paths) {
        /** Copies the list. */
        public AffectedSnapshot {
            Objects.requireNonNull(snapshot, "snapshot");
            paths = List.copyOf(paths);
        }
    }
}
