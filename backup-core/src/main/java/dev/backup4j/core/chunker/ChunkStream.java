package dev.backup4j.core.chunker;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The chunks of one stream, one at a time. {@link #next()} returns the next chunk's length (its bytes are
 * {@code buffer()[0, length)}, valid until the next call), or -1 at the end. Memory: one 8 MiB buffer plus one read
 * block, whatever the stream's length. Not thread-safe.
 */
public final class ChunkStream implements Closeable {
    private static final int READ_BLOCK = 512 * 1024;

    private final Chunker chunker;
    private final InputStream in;
    // Holds the current chunk from index 0, then up to one read block of bytes after it.
    /** The size of a buffer that never needs to grow for chunks up to the minimum size. */
    static final int INITIAL_BUFFER = Chunker.MIN_SIZE + READ_BLOCK;

    private byte[] buf;
    private int filled;
    private int pendingShift;
    private boolean eof;
    private long bytesRead;

    ChunkStream(Chunker chunker, InputStream in, byte[] buffer) {
        this.chunker = chunker;
        this.in = in;
        this.buf = buffer != null && buffer.length >= INITIAL_BUFFER ? buffer : new byte[INITIAL_BUFFER];
    }

    /**
     * The buffer holding the last chunk returned by {@link #next()} at index 0. After the stream is exhausted it may
     * be handed to the next {@link Chunker#split(InputStream, byte[])} so that reading many files allocates nothing.
     */
    public byte[] buffer() {
        return buf;
    }

    /** Bytes read from the stream so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /** The next chunk's length, or -1 when the stream is exhausted (an empty stream has no chunk). */
    public int next() throws IOException {
        if (pendingShift > 0) {
            System.arraycopy(buf, pendingShift, buf, 0, filled - pendingShift);
            filled -= pendingShift;
            pendingShift = 0;
        }
        // Bytes before MIN_SIZE - 64 never decide a cut, so only fill up to MIN_SIZE before hashing.
        while (filled < Chunker.MIN_SIZE && !eof) {
            fill(Chunker.MIN_SIZE - filled);
        }
        if (filled == 0) {
            return -1;
        }
        if (filled < Chunker.MIN_SIZE) { // the stream ended: its last chunk may be short
            pendingShift = filled;
            return filled;
        }
        // A cut can first happen after byte MIN_SIZE (length MIN_SIZE) itself.
        long[] digest = {chunker.windowDigest(buf, Chunker.MIN_SIZE)};
        if ((digest[0] & Chunker.SPLIT_MASK) == 0) {
            pendingShift = Chunker.MIN_SIZE;
            return Chunker.MIN_SIZE;
        }
        int scanned = Chunker.MIN_SIZE;
        while (true) {
            if (scanned == filled) {
                if (eof) {
                    pendingShift = filled;
                    return filled;
                }
                fill(Math.min(READ_BLOCK, Chunker.MAX_SIZE - filled));
                if (scanned == filled) {
                    continue; // hit EOF with nothing new
                }
            }
            int cut = chunker.scan(buf, scanned, filled, digest);
            if (cut > 0) {
                pendingShift = cut;
                return cut;
            }
            scanned = filled;
        }
    }

    private void fill(int want) throws IOException {
        if (want <= 0) {
            return;
        }
        if (buf.length < filled + want) {
            int size = Math.min(Chunker.MAX_SIZE + READ_BLOCK, Math.max(buf.length * 2, filled + want));
            buf = java.util.Arrays.copyOf(buf, size);
        }
        int n = in.readNBytes(buf, filled, want);
        if (n < want) {
            eof = true;
        }
        filled += n;
        bytesRead += n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
