package dev.backup4j.core.repository;

import dev.backup4j.core.pack.BlobType;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of blobs stored: by a repository instance, or by one backup. Thread-safe. */
public final class BlobStats {
    private final AtomicLong blobsAdded = new AtomicLong();
    private final AtomicLong bytesAdded = new AtomicLong();
    private final AtomicLong bytesStored = new AtomicLong();
    private final AtomicLong dataBlobsAdded = new AtomicLong();
    private final AtomicLong dataBytesAdded = new AtomicLong();

    /** Zero counters. */
    public BlobStats() {
    }

    /** Counts a new blob of {@code len} plaintext bytes, {@code sealedLen} bytes as stored. */
    void add(BlobType type, long len, long sealedLen) {
        blobsAdded.incrementAndGet();
        bytesAdded.addAndGet(len);
        if (type == BlobType.DATA) {
            dataBlobsAdded.incrementAndGet();
            dataBytesAdded.addAndGet(len);
        }
        bytesStored.addAndGet(sealedLen);
    }

    /** Data blobs (file content) that were new to the repository. */
    public long dataBlobsAdded() {
        return dataBlobsAdded.get();
    }

    /** Plaintext bytes of the new data blobs. */
    public long dataBytesAdded() {
        return dataBytesAdded.get();
    }

    /** Blobs that were new to the repository. */
    public long blobsAdded() {
        return blobsAdded.get();
    }

    /** Plaintext bytes of the new blobs. */
    public long bytesAdded() {
        return bytesAdded.get();
    }

    /** Bytes of the new blobs as stored (compressed and sealed). */
    public long bytesStored() {
        return bytesStored.get();
    }
}
