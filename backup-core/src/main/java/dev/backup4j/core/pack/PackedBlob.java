package dev.backup4j.core.pack;

import dev.backup4j.core.common.Id;
import java.util.Objects;

/**
 * Where one blob sits inside a pack.
 *
 * @param type data or tree
 * @param id SHA-256 of the blob's plaintext (before compression)
 * @param offset byte offset of the sealed blob in the pack
 * @param length length of the sealed blob (IV, ciphertext, MAC)
 * @param uncompressedLength plaintext length if the blob is compressed, 0 if it is stored uncompressed
 */
public record PackedBlob(BlobType type, Id id, long offset, int length, int uncompressedLength) {
    /** Checks the fields. */
    public PackedBlob {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (offset < 0 || length < 0 || uncompressedLength < 0) {
            throw new IllegalArgumentException("negative offset or length in " + id);
        }
    }

    /** True if the blob is zstd-compressed before encryption. */
    public boolean compressed() {
        return uncompressedLength != 0;
    }

    /** The plaintext length: the uncompressed length, or the sealed length minus the crypto overhead. */
    public int plaintextLength() {
        return compressed() ? uncompressedLength : length - 32;
    }
}
