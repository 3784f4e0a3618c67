package dev.backup4j.core.compress;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import dev.backup4j.core.common.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/** zstd compression and decompression of whole buffers. Thread-safe. */
public final class Zstd {
    /** The level for metadata (trees, index, snapshots): zstd's default. */
    public static final int DEFAULT_LEVEL = 3;
    /**
     * The level for data blobs in {@code Compression.AUTO}: the level whose ratio is closest to restic's "auto" mode
     * (the Go zstd encoder's default speed, which compresses a little less than zstd level 3). On the bench tree
     * (1.4 GB of system files), the repository after one backup: level 3 577-579 MB, level 2 590-591 MB, level 1
     * 608 MB, restic 0.14 586 MB; the backup took 7 % less time at level 2 than at level 3.
     */
    public static final int DATA_LEVEL = 2;

    /*
     * zstd-jni's static one-shot calls create and free a native context per call: a decompression context's setup
     * was most of the main thread's native time in a restore profile, and a compression context re-allocates its
     * work space for every blob. Contexts are pooled instead, at most POOL_MAX of each kind kept (the others are
     * freed), so native memory stays bounded by the peak number of threads compressing at once.
     */
    private static final int POOL_MAX = 4 * Runtime.getRuntime().availableProcessors() + 4;
    private static final Pool<ZstdDecompressCtx> DECOMPRESSORS = new Pool<>();
    private static final java.util.concurrent.ConcurrentHashMap<Integer, Pool<ZstdCompressCtx>> COMPRESSORS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A bounded stack of idle contexts. */
    private static final class Pool<T extends java.io.Closeable> {
        private final java.util.concurrent.ConcurrentLinkedDeque<T> idle = new java.util.concurrent.ConcurrentLinkedDeque<>();
        private final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();

        T poll() {
            T t = idle.pollFirst();
            if (t != null) {
                size.decrementAndGet();
            }
            return t;
        }

        void offer(T t) {
            if (size.incrementAndGet() <= POOL_MAX) {
                idle.offerFirst(t);
                return;
            }
            size.decrementAndGet();
            try {
                t.close();
            } catch (IOException ignored) {
                // zstd-jni's close does not throw
            }
        }
    }

    private Zstd() {
    }

    private static ZstdCompressCtx compressor(int level) {
        ZstdCompressCtx c = COMPRESSORS.computeIfAbsent(level, l -> new Pool<>()).poll();
        return c != null ? c : new ZstdCompressCtx().setLevel(level).setChecksum(false);
    }

    /** Compresses {@code len} bytes of {@code data} from {@code off} into one zstd frame. */
    public static byte[] compress(byte[] data, int off, int len, int level) {
        byte[] dst = new byte[bound(len)];
        int n = compressInto(data, off, len, dst, 0, level);
        return java.util.Arrays.copyOf(dst, n);
    }

    /** The largest compressed size of {@code len} bytes. */
    public static int bound(int len) {
        return (int) com.github.luben.zstd.Zstd.compressBound(len);
    }

    /**
     * Compresses into {@code dst} (at least {@link #bound(int)} bytes long); returns the compressed length.
     */
    public static int compressInto(byte[] data, int off, int len, byte[] dst, int level) {
        return compressInto(data, off, len, dst, 0, level);
    }

    /**
     * Compresses into {@code dst} from {@code dstOff} (at least {@link #bound(int)} bytes from there); returns the
     * compressed length.
     */
    public static int compressInto(byte[] data, int off, int len, byte[] dst, int dstOff, int level) {
        ZstdCompressCtx c = compressor(level);
        try {
            int n = c.compressByteArray(dst, dstOff, dst.length - dstOff, data, off, len);
            COMPRESSORS.get(level).offer(c);
            return n;
        } catch (ZstdException e) {
            c.close(); // a context in an unknown state is not reused
            throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decompresses a frame whose decompressed size is known (a blob's {@code uncompressed_length}).
     *
     * @throws CorruptDataException if the data is not a valid frame of that size
     */
    public static byte[] decompress(byte[] data, int expectedLength) throws CorruptDataException {
        return decompress(data, 0, data.length, expectedLength);
    }

    /** As {@link #decompress(byte[], int)}, for the frame in {@code len} bytes of {@code data} from {@code off}. */
    public static byte[] decompress(byte[] data, int off, int len, int expectedLength) throws CorruptDataException {
        byte[] out = new byte[expectedLength];
        decompressInto(data, off, len, out, expectedLength);
        return out;
    }

    /**
     * Decompresses the frame in {@code len} bytes of {@code data} from {@code off} into the first
     * {@code expectedLength} bytes of {@code out}.
     *
     * @throws CorruptDataException if the data is not a valid frame of that size
     */
    public static void decompressInto(byte[] data, int off, int len, byte[] out, int expectedLength)
            throws CorruptDataException {
        long n;
        ZstdDecompressCtx d = DECOMPRESSORS.poll();
        if (d == null) {
            d = new ZstdDecompressCtx();
        }
        try {
            n = d.decompressByteArray(out, 0, expectedLength, data, off, len);
            DECOMPRESSORS.offer(d);
        } catch (ZstdException e) {
            d.close(); // a context in an unknown state is not reused
            throw new CorruptDataException("invalid zstd data: " + e.getMessage(), e);
        }
        if (n != expectedLength) {
            throw new CorruptDataException("zstd data decompressed to " + n + " bytes, expected " + expectedLength);
        }
    }

    /**
     * Decompresses frames of unknown size (metadata files).
     *
     * @throws CorruptDataException if the data is not valid zstd
     */
    public static byte[] decompress(byte[] data, int off, int len) throws CorruptDataException {
        try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(data, off, len))) {
            return in.readAllBytes();
        } catch (IOException | ZstdException e) {
            throw new CorruptDataException("invalid zstd data: " + e.getMessage(), e);
        }
    }

    /** A metadata file's plaintext in format version 2: version byte 2, then a zstd frame. */
    public static byte[] packUnpacked(byte[] json) {
        byte[] z = compress(json, 0, json.length, DEFAULT_LEVEL);
        byte[] out = new byte[z.length + 1];
        out[0] = 2;
        System.arraycopy(z, 0, out, 1, z.length);
        return out;
    }

    /**
     * The JSON inside a metadata file's plaintext: as is if it starts with '{' or '[' (format 1, or written
     * uncompressed), decompressed if it starts with version byte 2.
     *
     * @throws CorruptDataException for any other first byte or invalid zstd data
     */
    public static byte[] unpackUnpacked(byte[] plain) throws CorruptDataException {
        if (plain.length == 0 || plain[0] == '{' || plain[0] == '[') {
            return plain;
        }
        if (plain[0] != 2) {
            throw new CorruptDataException("unknown encoding version " + (plain[0] & 0xff));
        }
        return decompress(plain, 1, plain.length - 1);
    }
}
