package dev.backup4j.core.restore;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.PackedBlob;
import java.util.List;
import java.util.Objects;

/**
 * The reads a restore makes from one pack: each pack is read once, in a few range requests that cover its needed
 * blobs (neighbouring blobs are merged into one range when the gap between them is small).
 *
 * @param pack the pack's id
 * @param ranges the byte ranges, in pack order, each with the blobs it covers
 */
public record PackRead(Id pack, List<Range> ranges) {
    /** Copies the ranges. */
    public PackRead {
        Objects.requireNonNull(pack, "pack");
        ranges = List.copyOf(ranges);
    }

    /**
     * One range read.
     *
     * @param offset first byte in the pack
     * @param length bytes read
     * @param blobs the blobs inside the range, by offset
     */
    public record Range(long offset, int length, List<PackedBlob> blobs) {
        /** Copies the blobs. */
        public Range {
            blobs = List.copyOf(blobs);
        }
    }

    /** Bytes read from this pack. */
    public long bytes() {
        long n = 0;
        for (Range r : ranges) {
            n += r.length();
        }
        return n;
    }

    /** Number of distinct blobs read from this pack. */
    public int blobCount() {
        int n = 0;
        for (Range r : ranges) {
            n += r.blobs().size();
        }
        return n;
    }
}
