package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where a restore writes: the SPI behind {@link RestoreTargets#directory} and {@link RestoreTargets#tar}.
 *
 * <p>Paths are relative to the target, '/'-separated and start with '/' ({@code "/var/www/index.html"}); the
 * planner has already refused unsafe names, and an implementation must still never write outside itself nor follow
 * a symlink it finds while writing. Entries arrive parents first; file content may arrive at any offset, from
 * several threads at once. The inspection methods let the planner compare the target with the snapshot; a target
 * that cannot be read (a stream) reports itself empty.
 */
public interface RestoreTarget extends Closeable {

    /** What is at {@code path} now, without following symlinks; empty if nothing. */
    Optional<Existing> inspect(String path) throws IOException;

    /** Names of the entries of directory {@code path}, sorted; empty if it is not a directory. */
    List<String> list(String path) throws IOException;

    /** Opens an existing file's content, to compare it with the snapshot's. */
    InputStream read(String path) throws IOException;

    /**
     * Creates a directory, symlink, FIFO or device node, replacing a non-directory entry in the way. Directory
     * metadata is set later by {@link #finishDirectory}, after its content; other entries get theirs here.
     *
     * @throws MetadataNotRestoredException if the entry was created but some of its metadata could not be applied
     */
    void create(String path, Node node) throws IOException;

    /**
     * Creates {@code path} as a hard link to {@code existing}, a file this restore wrote or kept, replacing a
     * non-directory entry in the way (as restic restores the further links of a file). The default refuses.
     *
     * @throws IOException if the link cannot be made; the caller reports the entry as not restored
     */
    default void hardLink(String path, String existing, Node node) throws IOException {
        throw new IOException("hard links are not supported by " + this);
    }

    /**
     * Starts writing a file. Its content is written under a temporary name and appears under {@code path} only on
     * {@link FileSink#commit()}, with the node's metadata.
     */
    FileSink openFile(String path, Node node) throws IOException;

    /** Removes an entry (a directory must be empty). */
    void delete(String path) throws IOException;

    /**
     * Applies a directory's (or a kept entry's) metadata after everything inside it is written.
     *
     * @throws MetadataNotRestoredException if some of the metadata could not be applied
     */
    void finishDirectory(String path, Node node) throws IOException;

    /**
     * Called once at the end, after every entry and the directories' metadata: applies what the target deferred to
     * do in one batch (extended attributes it sets through a helper program).
     *
     * @return the entries whose metadata could not all be applied, by path, with what was not applied and why
     */
    default java.util.Map<String, String> finishEntries() throws IOException {
        return java.util.Map.of();
    }

    /**
     * The entry was restored, but not all of its metadata: reported as a warning, not as an error. The message says
     * what was not applied and why (e.g. an extended attribute outside the {@code user.} namespace).
     */
    final class MetadataNotRestoredException extends IOException {
        private static final long serialVersionUID = 1L;

        /** With the message saying what was not restored. */
        public MetadataNotRestoredException(String message) {
            super(message);
        }
    }

    /**
     * What the target already holds at a path.
     *
     * @param type the entry's type
     * @param size a file's size (0 otherwise)
     * @param mtime modification time
     * @param permissions Unix permission bits (07777)
     * @param linkTarget a symlink's target ("" otherwise)
     * @param device a device node's number ({@code st_rdev}), 0 otherwise
     */
    record Existing(NodeType type, long size, Instant mtime, int permissions, String linkTarget, long device) {
        /** An entry that is not a device node. */
        public Existing(NodeType type, long size, Instant mtime, int permissions, String linkTarget) {
            this(type, size, mtime, permissions, linkTarget, 0);
        }
    }

    /** A file being written. {@link #write} is thread-safe; exactly one of commit and abort ends it. */
    interface FileSink {
        /**
         * Writes {@code len} bytes of {@code data} at {@code offset} of the file. {@code data} is the caller's buffer,
         * reused once this returns: copy what must outlive the call.
         */
        void write(long offset, byte[] data, int off, int len) throws IOException;

        /**
         * Sets the metadata and moves the complete file to its final name.
         *
         * @throws MetadataNotRestoredException if the file is in place but some of its metadata could not be applied
         */
        void commit() throws IOException;

        /** Discards what was written; nothing appears under the final name. */
        void abort();
    }
}
