package dev.backup4j.core.pack;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.MasterKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds one pack in memory: {@link #add} sealed blobs, then {@link #finish} to append the sealed header.
 * Not thread-safe.
 */
public final class PackWriter {
    private final MasterKey key;
    private byte[] buf;
    private int size;
    private final List<PackedBlob> blobs = new ArrayList<>();

    /** A writer whose blobs are sealed (by the caller) and whose header is sealed with {@code key}. */
    public PackWriter(MasterKey key, int expectedSize) {
        this(key, new byte[Math.max(1024, expectedSize)]);
    }

    /** A writer that fills {@code buffer} (grown if needed; see {@link Pack#buffer()}), e.g. one from a pool. */
    public PackWriter(MasterKey key, byte[] buffer) {
        this.key = key;
        this.buf = buffer;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    /**
     * Appends a sealed blob.
     *
     * @param uncompressedLength the plaintext length if {@code sealed} holds compressed data, else 0
     */
    public void add(BlobType type, Id id, byte[] sealed, int uncompressedLength) {
        add(type, id, sealed, 0, sealed.length, uncompressedLength);
    }

    /** Appends {@code len} bytes of a sealed blob held in {@code sealed} from {@code off}. */
    public void add(BlobType type, Id id, byte[] sealed, int off, int len, int uncompressedLength) {
        // Grow first: if that fails (out of memory), the writer is unchanged. Listing the blob before its bytes were
        // in place once let a failed backup flush a pack whose header named a blob it did not hold.
        ensure(len);
        System.arraycopy(sealed, off, buf, size, len);
        blobs.add(new PackedBlob(type, id, size, len, uncompressedLength));
        size += len;
    }

    /**
     * True if a sealed blob of {@code len} bytes and the finished header still fit in the buffer without growing it.
     */
    public boolean fits(int len) {
        long header = (long) (blobs.size() + 1) * (1 + 4 + 4 + 32) + MasterKey.OVERHEAD + 4;
        return size + (long) len + header <= buf.length;
    }

    /** Bytes written so far (without the header). */
    public int size() {
        return size;
    }

    /** The blobs added so far, in order. */
    public List<PackedBlob> blobs() {
        return List.copyOf(blobs);
    }

    /** Number of blobs added. */
    public int count() {
        return blobs.size();
    }

    /**
     * The finished pack.
     *
     * @param id SHA-256 of the pack's bytes
     * @param buffer holds the pack in its first {@code length} bytes (may be longer; never modify it)
     * @param length the pack's size
     * @param blobs the blobs, in order
     */
    public record Pack(Id id, byte[] buffer, int length, List<PackedBlob> blobs) {
        /** The pack's bytes, exactly (a copy when the buffer is longer). */
        public byte[] bytes() {
            return buffer.length == length ? buffer : Arrays.copyOf(buffer, length);
        }
    }

    /**
     * Appends the sealed header and its length and returns the pack. The writer must not be used afterwards; the
     * pack shares the writer's buffer, which the caller may recycle once the pack is stored.
     */
    public Pack finish() {
        byte[] tail = tail(key, blobs);
        ensure(tail.length);
        System.arraycopy(tail, 0, buf, size, tail.length);
        size += tail.length;
        return new Pack(Id.hash(buf, 0, size), buf, size, List.copyOf(blobs));
    }

    /**
     * What ends a pack holding {@code blobs} (in order): the sealed header, then its length as 4 bytes little-endian.
     */
    public static byte[] tail(MasterKey key, List<PackedBlob> blobs) {
        ByteBuffer header = ByteBuffer.allocate(blobs.size() * (1 + 4 + 4 + 32)).order(ByteOrder.LITTLE_ENDIAN);
        for (PackedBlob b : blobs) {
            int t = (b.type() == BlobType.DATA ? 0 : 1) + (b.compressed() ? 2 : 0);
            header.put((byte) t);
            header.putInt(b.length());
            if (b.compressed()) {
                header.putInt(b.uncompressedLength());
            }
            header.put(b.id().toBytes());
        }
        byte[] out = new byte[header.position() + MasterKey.OVERHEAD + 4];
        int sealedLen = key.sealInto(header.array(), 0, header.position(), out, 0);
        ByteBuffer.wrap(out, sealedLen, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(sealedLen);
        return out;
    }
}
