package dev.backup4j.core.repository;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.MasterKey;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackWriter;
import dev.backup4j.core.pack.PackedBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A pack being filled with sealed blobs: in a memory buffer, or streamed to a staging file of the local backend (as
 * restic does), so that a backup holds no pack in memory. Not thread-safe: the repository calls it under its pack
 * lock.
 */
abstract class OpenPack {
    /** Appends a sealed blob. If this throws, the pack is broken: {@link #discard()} it. */
    abstract void add(BlobType type, Id id, byte[] sealed, int off, int len, int uncompressed) throws IOException;

    /** Bytes so far, without the header. */
    abstract int size();

    /** The blobs added so far, in order. */
    abstract List<PackedBlob> blobs();

    /** The number of blobs added so far. */
    abstract int count();

    /** False if the blob would make the pack outgrow its buffer. */
    abstract boolean fits(int len);

    /** Appends the header; the pack must not be used afterwards. If this throws, {@link #discard()} it. */
    abstract Finished finish() throws IOException;

    /** Drops whatever the pack holds outside the heap (its staging file). */
    abstract void discard();

    /** A complete pack to store: in {@code buffer}'s first {@code length} bytes, or in the file {@code staged}. */
    record Finished(Id id, int length, List<PackedBlob> blobs, byte[] buffer, Path staged) {
    }

    /** In a (pooled) memory buffer. */
    static final class InMemory extends OpenPack {
        private final PackWriter w;

        InMemory(MasterKey key, byte[] buffer) {
            this.w = new PackWriter(key, buffer);
        }

        @Override
        void add(BlobType type, Id id, byte[] sealed, int off, int len, int uncompressed) {
            w.add(type, id, sealed, off, len, uncompressed);
        }

        @Override
        int size() {
            return w.size();
        }

        @Override
        List<PackedBlob> blobs() {
            return w.blobs();
        }

        @Override
        int count() {
            return w.count();
        }

        @Override
        boolean fits(int len) {
            return w.fits(len);
        }

        @Override
        Finished finish() {
            PackWriter.Pack p = w.finish();
            return new Finished(p.id(), p.length(), p.blobs(), p.buffer(), null);
        }

        @Override
        void discard() {
            // garbage
        }
    }

    /** Streamed to a staging file; the pack's id is hashed as its bytes go out. */
    static final class Staged extends OpenPack {
        /** Largest single write: the JDK keeps a per-thread direct buffer as large as the largest write. */
        private static final int SLICE = 1024 * 1024;
        private final MasterKey key;
        private final Path file;
        private final FileChannel ch;
        private final MessageDigest sha;
        private final List<PackedBlob> blobs = new ArrayList<>();
        private long size;

        Staged(MasterKey key, Path file) throws IOException {
            this.key = key;
            this.file = file;
            this.ch = FileChannel.open(file, StandardOpenOption.WRITE);
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private void write(byte[] b, int off, int len) throws IOException {
            for (int done = 0; done < len; ) {
                done += ch.write(ByteBuffer.wrap(b, off + done, Math.min(SLICE, len - done)));
            }
            sha.update(b, off, len);
        }

        @Override
        void add(BlobType type, Id id, byte[] sealed, int off, int len, int uncompressed) throws IOException {
            if (size + len > Integer.MAX_VALUE - 1024L * 1024 * 1024) {
                throw new IOException("pack too large");
            }
            write(sealed, off, len);
            blobs.add(new PackedBlob(type, id, size, len, uncompressed));
            size += len;
        }

        @Override
        int size() {
            return (int) size;
        }

        @Override
        List<PackedBlob> blobs() {
            return List.copyOf(blobs);
        }

        @Override
        int count() {
            return blobs.size();
        }

        @Override
        boolean fits(int len) {
            return true; // a file has no capacity to outgrow; the pack ends when it reaches the pack size
        }

        @Override
        Finished finish() throws IOException {
            byte[] tail = PackWriter.tail(key, blobs);
            write(tail, 0, tail.length);
            ch.close();
            return new Finished(Id.of(sha.digest()), (int) (size + tail.length), List.copyOf(blobs), null, file);
        }

        @Override
        void discard() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // deleting it is what matters
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover staging file is skipped by every listing
            }
        }
    }
}
