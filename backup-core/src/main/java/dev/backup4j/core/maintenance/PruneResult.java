package dev.backup4j.core.maintenance;

/**
 * What a prune did.
 *
 * @param plan the plan it carried out (or, for a dry run, would have)
 * @param dryRun true if nothing was changed
 * @param packsDeleted packs removed
 * @param packsWritten new packs written by repacking
 * @param indexFilesDeleted old index files removed
 * @param bytesDeleted bytes of the removed packs
 * @param bytesWritten bytes of the new packs
 */
public record PruneResult(PrunePlan plan, boolean dryRun, int packsDeleted, int packsWritten, int indexFilesDeleted,
        long bytesDeleted, long bytesWritten) {
    /** Net bytes of pack storage freed ({@code bytesDeleted - bytesWritten}); for a dry run, the expected figure. */
    public long bytesFreed() {
        return dryRun ? plan.stats().expectedFreedBytes() : bytesDeleted - bytesWritten;
    }
}
