package dev.backup4j.core.maintenance;

import dev.backup4j.core.common.Id;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a prune will do, decided before anything is written: pure data, as big as the index (ids and sizes), never
 * a copy of the data.
 *
 * @param removeUnindexed packs that no index lists (left by an interrupted backup or prune), with their sizes
 * @param removePacks packs none of whose blobs is used any more
 * @param repackPacks partly used packs to rewrite, mapped to the ids of the blobs to keep from each
 * @param forgetMissing packs the index lists but the storage lacks, none of whose blobs is used (dropped from the
 *     index)
 * @param keptPacks packs that stay as they are
 * @param oldIndexFiles the index files to replace
 * @param stats sizes and counts behind the decision
 */
public record PrunePlan(Map<Id, Long> removeUnindexed, Set<Id> removePacks, Map<Id, Set<Id>> repackPacks,
        Set<Id> forgetMissing, Set<Id> keptPacks, List<Id> oldIndexFiles, Stats stats) {
    /** Copies the collections. */
    public PrunePlan {
        removeUnindexed = Map.copyOf(removeUnindexed);
        removePacks = Set.copyOf(removePacks);
        repackPacks = Map.copyOf(repackPacks);
        forgetMissing = Set.copyOf(forgetMissing);
        keptPacks = Set.copyOf(keptPacks);
        oldIndexFiles = List.copyOf(oldIndexFiles);
    }

    /** True if carrying out the plan would change nothing. */
    public boolean nothingToDo() {
        return removeUnindexed.isEmpty() && removePacks.isEmpty() && repackPacks.isEmpty() && forgetMissing.isEmpty();
    }

    /**
     * Counts and sizes in bytes (sizes of blobs as stored, i.e. sealed and possibly compressed).
     *
     * @param usedBlobs blobs some snapshot needs
     * @param usedBytes their size
     * @param unusedBlobs indexed blobs no snapshot needs (including duplicates)
     * @param unusedBytes their size
     * @param unindexedBytes size of the packs no index lists
     * @param removeBytes bytes of unused blobs in packs that are deleted whole
     * @param repackBytes bytes of the packs that are rewritten
     * @param repackUnusedBytes unused bytes inside those packs, dropped by repacking
     * @param unusedAfterBytes unused bytes that stay (in kept packs), within the {@code --max-unused} limit
     * @param totalPackBytes size of all packs before the prune
     */
    public record Stats(long usedBlobs, long usedBytes, long unusedBlobs, long unusedBytes, long unindexedBytes,
            long removeBytes, long repackBytes, long repackUnusedBytes, long unusedAfterBytes, long totalPackBytes) {
        /** The bytes the prune is expected to free: everything unused except what stays in kept packs. */
        public long expectedFreedBytes() {
            return unindexedBytes + removeBytes + repackUnusedBytes;
        }
    }
}
