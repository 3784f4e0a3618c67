package dev.backup4j.core.chunker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Splits byte streams into content-defined chunks, exactly where restic's chunker splits them for the same
 * polynomial. Immutable and thread-safe; each {@link #split} call returns a stream with its own state.
 *
 * <p>The cut rule: a chunk of length {@code L} ends when {@code L >= 512 KiB} and either the Rabin fingerprint of its
 * last 64 bytes has its low 20 bits all zero, or {@code L == 8 MiB}; the last chunk of a stream takes what is left.
 *
 * <pre>{@code
 * Chunker chunker = Chunker.of(repo.config().chunkerPolynomial());    // what repo.chunker() returns
 * try (ChunkStream chunks = chunker.split(in)) {
 *     for (int n; (n = chunks.next()) >= 0; ) {
 *         Id blob = repo.saveBlob(BlobType.DATA, chunks.buffer(), 0, n);   // the chunk is at index 0
 *     }
 * }
 * }</pre>
 */
public final class Chunker {
    /** The smallest chunk, except a stream's last. */
    public static final int MIN_SIZE = 512 * 1024;
    /** The largest chunk. */
    public static final int MAX_SIZE = 8 * 1024 * 1024;
    static final int WINDOW = 64;
    static final long SPLIT_MASK = (1L << 20) - 1;

    private final long polynomial;
    private final int polShift;
    final long[] outTable = new long[256];
    final long[] modTable = new long[256];

    private Chunker(long polynomial) {
        this.polynomial = polynomial;
        int k = Polynomial.degree(polynomial);
        this.polShift = k - 8;
        for (int b = 0; b < 256; b++) {
            long h = Polynomial.mod(b, polynomial);
            for (int i = 0; i < WINDOW - 1; i++) {
                h = Polynomial.mod(h << 8, polynomial);
            }
            outTable[b] = h;
            modTable[b] = Polynomial.mod((long) b << k, polynomial) | ((long) b << k);
        }
    }

    /**
     * A chunker for a repository's polynomial.
     *
     * @throws IllegalArgumentException unless the polynomial has degree 9..53 (restic's is irreducible of degree 53)
     */
    public static Chunker of(long polynomial) {
        int deg = Polynomial.degree(polynomial);
        if (deg > 53 || deg < 9) {
            throw new IllegalArgumentException("chunker polynomial must have degree at most 53, got " + deg);
        }
        return new Chunker(polynomial);
    }

    /** The polynomial. */
    public long polynomial() {
        return polynomial;
    }

    /** Splits {@code in}; the returned stream owns {@code in} and closes it. */
    public ChunkStream split(InputStream in) {
        return split(in, null);
    }

    /**
     * Splits {@code in} reusing {@code buffer} (e.g. the {@link ChunkStream#buffer()} of a finished stream) when it is
     * large enough; a null or small buffer is replaced by a new one.
     */
    public ChunkStream split(InputStream in, byte[] buffer) {
        return new ChunkStream(this, Objects.requireNonNull(in, "in"), buffer);
    }

    /**
     * Scans {@code buf[from, to)} of a chunk that starts at index 0 of {@code buf}, with {@code from >= MIN_SIZE}
     * and {@code digestHolder[0]} the fingerprint of the 64 bytes before {@code from} (updated on return).
     * Returns the chunk's length if it ends in that range, else -1.
     */
    int scan(byte[] buf, int from, int to, long[] digestHolder) {
        long digest = digestHolder[0];
        final long[] out = outTable;
        final long[] mod = modTable;
        final int shift = polShift;
        for (int i = from; i < to; i++) {
            int b = buf[i] & 0xff;
            digest ^= out[buf[i - WINDOW] & 0xff];
            digest = ((digest << 8) | b) ^ mod[(int) (digest >>> shift)];
            if ((digest & SPLIT_MASK) == 0 || i + 1 >= MAX_SIZE) {
                digestHolder[0] = digest;
                return i + 1;
            }
        }
        digestHolder[0] = digest;
        return -1;
    }

    /** The fingerprint of the 64 bytes ending before {@code end} (with {@code end >= 64}). */
    long windowDigest(byte[] buf, int end) {
        long digest = 0;
        for (int i = end - WINDOW; i < end; i++) {
            int b = buf[i] & 0xff;
            digest = ((digest << 8) | b) ^ modTable[(int) (digest >>> polShift)];
        }
        return digest;
    }

    /** Reads all of {@code in} and returns the chunk lengths; a convenience for tests and tools. */
    public java.util.List<Integer> chunkLengths(InputStream in) throws IOException {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        try (ChunkStream s = split(in)) {
            for (int n; (n = s.next()) >= 0; ) {
                out.add(n);
            }
        }
        return out;
    }
}
