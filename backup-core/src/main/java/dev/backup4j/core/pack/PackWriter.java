package dev.backup4j.core.pack;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.MasterKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one pack in memory: {@link #add} sealed blobs, then {@link #finish} to append the sealed header.
 * Not thread-safe.
 */
public final class PackWriter {
    private final MasterKey key;
    private final ByteArrayOutputStream body;
    private final List<PackedBlob> blobs = new ArrayList<>();

    /** A writer whose blobs are sealed (by the caller) and whose header is sealed with {@code key}. */
    public PackWriter(MasterKey key, int expectedSize) {
        this.key = key;
        this.body = new ByteArrayOutputStream(Math.max(1024, expectedSize));
    }

    /**
     * Appends a sealed blob.
     *
     * @param uncompressedLength the plaintext length if {@code sealed} holds compressed data, else 0
     */
    public void add(BlobType type, Id id, byte[] sealed, int uncompressedLength) {
        blobs.add(new PackedBlob(type, id, body.size(), sealed.length, uncompressedLength));
        body.writeBytes(sealed);
    }

    /** Bytes written so far (without the header). */
    public int size() {
        return body.size();
    }

    /** Number of blobs added. */
    public int count() {
        return blobs.size();
    }

    /** The finished pack. */
    public record Pack(Id id, byte[] bytes, List<PackedBlob> blobs) {
    }

    /** Appends the sealed header and its length; returns the pack bytes, its id (SHA-256 of the bytes) and blobs. */
    public Pack finish() {
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
        byte[] sealedHeader = key.seal(header.array(), 0, header.position());
        body.writeBytes(sealedHeader);
        byte[] len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(sealedHeader.length).array();
        body.writeBytes(len);
        byte[] bytes = body.toByteArray();
        return new Pack(Id.hash(bytes), bytes, List.copyOf(blobs));
    }
}
