package dev.backup4j.core.compress;

import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import dev.backup4j.core.common.CorruptDataException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/** zstd compression and decompression of whole buffers. Thread-safe. */
public final class Zstd {
    /** The level used unless configured: zstd's default, close to restic's "auto" mode. */
    public static final int DEFAULT_LEVEL = 3;

    private Zstd() {
    }

    /** Compresses {@code len} bytes of {@code data} from {@code off} into one zstd frame. */
    public static byte[] compress(byte[] data, int off, int len, int level) {
        byte[] dst = new byte[(int) com.github.luben.zstd.Zstd.compressBound(len)];
        long n = com.github.luben.zstd.Zstd.compressByteArray(dst, 0, dst.length, data, off, len, level);
        if (com.github.luben.zstd.Zstd.isError(n)) {
            throw new IllegalStateException("zstd compression failed: " + com.github.luben.zstd.Zstd.getErrorName(n));
        }
        return java.util.Arrays.copyOf(dst, (int) n);
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
        long n = com.github.luben.zstd.Zstd.compressByteArray(dst, dstOff, dst.length - dstOff, data, off, len,
                level);
        if (com.github.luben.zstd.Zstd.isError(n)) {
            throw new IllegalStateException("zstd compression failed: " + com.github.luben.zstd.Zstd.getErrorName(n));
        }
        return (int) n;
    }

    /**
     * Decompresses a frame whose decompressed size is known (a blob's {@code uncompressed_length}).
     *
     * @throws CorruptDataException if the data is not a valid frame of that size
     */
    public static byte[] decompress(byte[] data, int expectedLength) throws CorruptDataException {
        byte[] out = new byte[expectedLength];
        long n;
        try {
            n = com.github.luben.zstd.Zstd.decompressByteArray(out, 0, out.length, data, 0, data.length);
        } catch (ZstdException e) {
            throw new CorruptDataException("invalid zstd data: " + e.getMessage(), e);
        }
        if (com.github.luben.zstd.Zstd.isError(n)) {
            throw new CorruptDataException("invalid zstd data: " + com.github.luben.zstd.Zstd.getErrorName(n));
        }
        if (n != expectedLength) {
            throw new CorruptDataException("zstd data decompressed to " + n + " bytes, expected " + expectedLength);
        }
        return out;
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
