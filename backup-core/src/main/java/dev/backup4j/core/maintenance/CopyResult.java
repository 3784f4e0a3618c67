package dev.backup4j.core.maintenance;

import dev.backup4j.core.common.Id;
import java.util.List;
import java.util.Map;

/**
 * What {@link Copy} did.
 *
 * @param copied source snapshot id to the id of its copy in the destination
 * @param skipped source snapshots the destination already had a copy of
 * @param blobsCopied blobs the destination lacked and received
 * @param bytesCopied plaintext bytes of those blobs
 */
public record CopyResult(Map<Id, Id> copied, List<Id> skipped, long blobsCopied, long bytesCopied) {
    /** Copies the collections. */
    public CopyResult {
        copied = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(copied));
        skipped = List.copyOf(skipped);
    }
}
