package dev.backup4j.core.repository;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.compress.Zstd;
import dev.backup4j.core.crypto.MasterKey;
import dev.backup4j.core.pack.PackedBlob;
import java.io.IOException;

/** Sealing and opening what a repository stores: metadata files (JSON) and blobs read from packs. Thread-safe. */
final class BlobCodec {
    private final Backend backend;
    private final MasterKey key;
    private final RepositoryConfig config;

    BlobCodec(Backend backend, MasterKey key, RepositoryConfig config) {
        this.backend = backend;
        this.key = key;
        this.config = config;
    }

    /** Seals JSON as restic stores metadata (compressed in format 2) and writes it; returns the file's id. */
    Id saveJson(FileType type, byte[] json) throws IOException {
        if (type == FileType.CONFIG || type == FileType.KEY || type == FileType.PACK) {
            throw new IllegalArgumentException(type + " files are not written through saveJson");
        }
        byte[] plain = config.version() >= 2 ? Zstd.packUnpacked(json) : json;
        byte[] sealed = key.seal(plain);
        Id id = Id.hash(sealed);
        backend.write(Handle.of(type, id), sealed);
        return id;
    }

    /** Reads, verifies (name = SHA-256 of the content) and decrypts a metadata file; returns its JSON. */
    byte[] loadJson(Handle h) throws IOException {
        byte[] sealed = backend.readAll(h);
        if (Id.isValid(h.name()) && !Id.hash(sealed).toString().equals(h.name())) {
            throw new CorruptDataException(h + ": content does not match its name (damaged file)");
        }
        try {
            return Zstd.unpackUnpacked(key.open(sealed));
        } catch (CorruptDataException e) {
            throw new CorruptDataException(h + ": " + e.getMessage(), e);
        }
    }

    /** Decrypts, decompresses and verifies a blob at {@code offset} in {@code data}, in place; a new plaintext. */
    byte[] decodeBlob(byte[] data, int offset, PackedBlob b, Handle h) throws CorruptDataException {
        if (b.length() < MasterKey.OVERHEAD) {
            throw new CorruptDataException(h + ": blob " + b.id().shortString() + ": ciphertext too short ("
                    + b.length() + " bytes)");
        }
        byte[] out = new byte[b.plaintextLength()];
        decodeBlobInto(data, offset, b, h, out);
        return out;
    }

    /** As {@link #decodeBlob}, into {@code out}; returns the plaintext's length. */
    int decodeBlobInto(byte[] data, int offset, PackedBlob b, Handle h, byte[] out) throws CorruptDataException {
        int n;
        try {
            int ct = key.openInPlace(data, offset, b.length());
            int from = offset + MasterKey.IV;
            if (b.compressed()) {
                n = b.uncompressedLength();
                Zstd.decompressInto(data, from, ct, out, n);
            } else {
                n = ct;
                System.arraycopy(data, from, out, 0, n);
            }
        } catch (CorruptDataException e) {
            throw new CorruptDataException(h + ": blob " + b.id().shortString() + ": " + e.getMessage(), e);
        }
        if (!Id.hash(out, 0, n).equals(b.id())) {
            throw new CorruptDataException(h + ": blob " + b.id().shortString() + " does not match its hash");
        }
        return n;
    }
}
