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
 * @param filesStillRetained packs and index files left because their retention date (S3 Object Lock) is ahead
 */
public record PruneResult(PrunePlan plan, boolean dryRun, int packsDeleted, int packsWritten, int indexFilesDeleted,
        long bytesDeleted, long bytesWritten, int filesStillRetained) {
    /** A result on storage without retention dates. */
    public PruneResult(PrunePlan plan, boolean dryRun, int packsDeleted, int packsWritten, int indexFilesDeleted,
            long bytesDeleted, long bytesWritten) {
        this(plan, dryRun, packsDeleted, packsWritten, indexFilesDeleted, bytesDeleted, bytesWritten, 0);
    }

    /** Net bytes of pack storage freed ({@code bytesDeleted - bytesWritten}); for a dry run, the expected figure. */
    public long bytesFreed() {
        return dryRun ? plan.stats().expectedFreedBytes() : bytesDeleted - bytesWritten;
    }
}
