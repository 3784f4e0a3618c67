package dev.backup4j.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Factories for {@link SourceEntry}s made of an application's own records, so that a custom {@link SnapshotSource}
 * needs no entry classes: a file from a name, a size, a modification time and a stream opener; a directory from a
 * name, a time and its entries (listed when the backup reaches it).
 *
 * <p>Times are stored in UTC, as modification, change and access time alike. A file is reused from the parent
 * snapshot without being opened when its size and time are the parent's (restic's rule), so give the time the
 * application records for the content, never "now". A file's size is declared ({@link SourceEntry#declaresSize()}):
 * content of another length is stored as it was read and reported as an error of the file, which marks the
 * snapshot incomplete. Names must be valid path elements (not empty, {@code .} or {@code ..}, no '/' or NUL);
 * an invalid or repeated name is reported as an error of that entry when the backup reaches it.
 *
 * <pre>{@code
 * record Attachment(String name, Instant uploaded, byte[] content) { }   // the application's own records
 * List<Attachment> attachments = List.of(
 *         new Attachment("syllabus.pdf", Instant.parse("2026-09-01T08:00:00Z"), bytes));
 * SnapshotSource source = new SnapshotSource() {
 *     public String path() { return "/lms/attachments"; }
 *     public SourceEntry root() {
 *         return SourceEntries.directory("attachments", Instant.parse("2026-09-01T08:00:00Z"), 0750,
 *                 () -> attachments.stream()
 *                         .map(a -> SourceEntries.file(a.name(), a.content().length, a.uploaded(), 0640,
 *                                 () -> new ByteArrayInputStream(a.content())))
 *                         .toList());
 *     }
 * };
 * }</pre>
 */
public final class SourceEntries {
    private SourceEntries() {
    }

    /** Lists a directory's entries, once, when the backup reaches the directory. */
    @FunctionalInterface
    public interface Lister {
        /**
         * The entries, in any order.
         *
         * @throws IOException if they cannot be listed: an error of the directory (of the whole source, for its
         *     root)
         */
        List<SourceEntry> list() throws IOException;
    }

    /**
     * A regular file with mode 0644.
     *
     * @see #file(String, long, Instant, int, SnapshotSources.StreamOpener)
     */
    public static SourceEntry file(String name, long size, Instant modified, SnapshotSources.StreamOpener opener) {
        return file(name, size, modified, 0644, opener);
    }

    /**
     * A regular file whose content {@code opener} gives (opened at most once per backup, and not at all when the
     * file is unchanged since the parent snapshot).
     *
     * @param name the file's name in its directory
     * @param size the content's length in bytes, as the application records it
     * @param modified when the content last changed
     * @param unixMode permission bits (e.g. {@code 0640})
     * @param opener opens the content; an {@link IOException} from it or from reading is an error of this file
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public static SourceEntry file(String name, long size, Instant modified, int unixMode,
            SnapshotSources.StreamOpener opener) {
        Objects.requireNonNull(opener, "opener");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        OffsetDateTime t = utc(modified);
        Node meta = Node.builder(Objects.requireNonNull(name, "name"), NodeType.FILE).unixMode(unixMode).mtime(t)
                .atime(t).ctime(t).size(size).build();
        return new FileEntry(meta, opener, true);
    }

    /**
     * A directory with mode 0755.
     *
     * @see #directory(String, Instant, int, Lister)
     */
    public static SourceEntry directory(String name, Instant modified, Lister entries) {
        return directory(name, modified, 0755, entries);
    }

    /** A directory with mode 0755 whose entries are known already. */
    public static SourceEntry directory(String name, Instant modified, List<SourceEntry> entries) {
        List<SourceEntry> copy = List.copyOf(entries);
        return directory(name, modified, 0755, () -> copy);
    }

    /**
     * A directory whose entries {@code entries} lists when the backup reaches it. Its tree is stored again only
     * if an entry or the directory's own metadata changed, so a stable {@code modified} (the latest change the
     * application knows of inside it, or its creation time) keeps unchanged directories as they were.
     *
     * @param name the directory's name in its parent (for a source's root, the last element of its path)
     * @param modified the directory's modification time
     * @param unixMode permission bits (e.g. {@code 0750})
     * @param entries lists the directory's entries
     */
    public static SourceEntry directory(String name, Instant modified, int unixMode, Lister entries) {
        Objects.requireNonNull(entries, "entries");
        OffsetDateTime t = utc(modified);
        Node meta = Node.builder(Objects.requireNonNull(name, "name"), NodeType.DIR).unixMode(unixMode).mtime(t)
                .atime(t).ctime(t).build();
        return new DirEntry(meta, entries);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(Objects.requireNonNull(t, "modified"), ZoneOffset.UTC);
    }

    /** A file read from a stream; {@code declared} says whether its size is a promise. */
    static final class FileEntry implements SourceEntry {
        private final Node meta;
        private final SnapshotSources.StreamOpener opener;
        private final boolean declared;

        FileEntry(Node meta, SnapshotSources.StreamOpener opener, boolean declared) {
            this.meta = meta;
            this.opener = opener;
            this.declared = declared;
        }

        @Override
        public Node metadata() {
            return meta;
        }

        @Override
        public List<SourceEntry> children() {
            throw new UnsupportedOperationException("a file has no children");
        }

        @Override
        public InputStream open() throws IOException {
            InputStream in = opener.open();
            if (in == null) {
                throw new IOException("the stream opener of " + meta.name() + " returned null");
            }
            return in;
        }

        @Override
        public boolean declaresSize() {
            return declared;
        }

        @Override
        public String toString() {
            return "file " + meta.name();
        }
    }

    private static final class DirEntry implements SourceEntry {
        private final Node meta;
        private final Lister lister;

        DirEntry(Node meta, Lister lister) {
            this.meta = meta;
            this.lister = lister;
        }

        @Override
        public Node metadata() {
            return meta;
        }

        @Override
        public List<SourceEntry> children() throws IOException {
            List<SourceEntry> out = lister.list();
            if (out == null) {
                throw new IOException("the lister of " + meta.name() + " returned null");
            }
            return out;
        }

        @Override
        public InputStream open() {
            throw new UnsupportedOperationException("a directory has no content");
        }

        @Override
        public String toString() {
            return "directory " + meta.name();
        }
    }
}
