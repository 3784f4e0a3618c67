package dev.backup4j.core.chunker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {
    /** restic's test polynomial (irreducible, degree 53). */
    static final long POL = 0x3DA3358B4DC173L;
    static final Chunker CHUNKER = Chunker.of(POL);

    /** Delivers a stream in reads of sizes drawn from a seeded generator, down to one byte at a time. */
    static final class OddReads extends InputStream {
        private final byte[] data;
        private final Random rnd;
        private final int maxRead;
        private int pos;

        OddReads(byte[] data, long seed, int maxRead) {
            this.data = data;
            this.rnd = new Random(seed);
            this.maxRead = maxRead;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + rnd.nextInt(maxRead)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** Random data with stretches of zeros and of a repeated byte, so both early (MIN) and MAX cuts occur. */
    static byte[] data(long seed, int size) {
        Random r = new Random(seed);
        byte[] d = new byte[size];
        r.nextBytes(d);
        int regions = r.nextInt(4);
        for (int i = 0; i < regions && size > 0; i++) {
            int start = r.nextInt(size);
            int len = Math.min(size - start, r.nextInt(3 * 1024 * 1024));
            Arrays.fill(d, start, start + len, (byte) (r.nextBoolean() ? 0 : 0x5a));
        }
        return d;
    }

    static List<byte[]> chunks(InputStream in) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (ChunkStream s = CHUNKER.split(in)) {
            for (int n; (n = s.next()) >= 0; ) {
                out.add(Arrays.copyOf(s.buffer(), n));
            }
        }
        return out;
    }

    /** The cut rule, evaluated from scratch at every position: the obviously correct model. */
    static List<Integer> referenceLengths(byte[] d) {
        List<Integer> out = new ArrayList<>();
        int start = 0;
        while (start < d.length) {
            int len = -1;
            for (int l = Chunker.MIN_SIZE; l <= Math.min(Chunker.MAX_SIZE, d.length - start); l++) {
                if (l == Chunker.MAX_SIZE || (windowFingerprint(d, start + l) & Chunker.SPLIT_MASK) == 0) {
                    len = l;
                    break;
                }
            }
            if (len < 0) {
                len = d.length - start;
            }
            out.add(len);
            start += len;
        }
        return out;
    }

    /** Rabin fingerprint of the 64 bytes before {@code end}: their polynomial modulo POL, by long division. */
    static long windowFingerprint(byte[] d, int end) {
        long h = 0;
        for (int i = end - 64; i < end; i++) {
            h = Polynomial.mod((h << 8) | (d[i] & 0xff), POL);
        }
        return h;
    }

    @Test
    void chunksReassembleTheInputAndRespectTheSizeBounds() {
        qt().withExamples(25).forAll(longs().all(), integers().between(0, 6 * 1024 * 1024)).checkAssert((seed, size) -> {
            byte[] d = data(seed, size);
            try {
                List<byte[]> cs = chunks(new ByteArrayInputStream(d));
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int i = 0; i < cs.size(); i++) {
                    int n = cs.get(i).length;
                    assertTrue(n <= Chunker.MAX_SIZE);
                    assertTrue(n >= Chunker.MIN_SIZE || i == cs.size() - 1, "only the last chunk may be short");
                    assertTrue(n > 0);
                    all.writeBytes(cs.get(i));
                }
                assertArrayEquals(d, all.toByteArray());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void boundariesDoNotDependOnReadSizes() {
        qt().withExamples(20).forAll(longs().all(), integers().between(1, 100_000)).checkAssert((seed, maxRead) -> {
            byte[] d = data(seed, 3 * 1024 * 1024 + (int) (Math.abs(seed) % 100_000));
            try {
                List<Integer> whole = lengths(chunks(new ByteArrayInputStream(d)));
                List<Integer> odd = lengths(chunks(new OddReads(d, seed, maxRead)));
                assertEquals(whole, odd);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void oneByteAtATimeGivesTheSameChunks() throws IOException {
        byte[] d = data(3, 2 * 1024 * 1024 + 77);
        assertEquals(lengths(chunks(new ByteArrayInputStream(d))), lengths(chunks(new OddReads(d, 1, 1))));
    }

    @Test
    void cutsMatchTheReferenceModel() {
        qt().withExamples(4).forAll(longs().all()).checkAssert(seed -> {
            byte[] d = data(seed, 5 * 1024 * 1024);
            try {
                assertEquals(referenceLengths(d), lengths(chunks(new ByteArrayInputStream(d))));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void edgeCasesMinAndMaxAndEmpty() throws IOException {
        assertTrue(chunks(new ByteArrayInputStream(new byte[0])).isEmpty(), "an empty stream has no chunk");
        // zeros fingerprint to 0: every chunk is cut at the minimum size
        assertEquals(List.of(Chunker.MIN_SIZE, Chunker.MIN_SIZE, 10),
                lengths(chunks(new ByteArrayInputStream(new byte[2 * Chunker.MIN_SIZE + 10]))));
        byte[] same = new byte[Chunker.MAX_SIZE + 5];
        Arrays.fill(same, (byte) 0x5a);
        assertFalse((windowFingerprint(same, 64) & Chunker.SPLIT_MASK) == 0, "premise: 0x5a never cuts");
        assertEquals(List.of(Chunker.MAX_SIZE, 5), lengths(chunks(new ByteArrayInputStream(same))));
        assertEquals(List.of(100), lengths(chunks(new ByteArrayInputStream(new byte[100]))));
    }

    static List<Integer> lengths(List<byte[]> cs) {
        return cs.stream().map(c -> c.length).toList();
    }
}
