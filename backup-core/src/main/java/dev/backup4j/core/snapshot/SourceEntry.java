package dev.backup4j.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * One entry offered by a {@link SnapshotSource}: its metadata, and its children (a directory) or its content (a file).
 * {@link SourceEntries} makes the usual ones (a file from a stream opener, a directory from a list of entries).
 *
 * <p>Implementations may be lazy: {@link #children()} and {@link #open()} are called at most once each, in the order
 * the engine walks the tree. An {@link IOException} from either is recorded against this entry's path in the backup
 * report (the snapshot is then marked incomplete) and the walk goes on; for the source's root entry it is a failure of
 * the whole source, handled as the source's {@link SnapshotSource#failurePolicy()} says.
 */
public interface SourceEntry {

    /**
     * The entry's metadata as a node without content or subtree: name, type, mode, times, owner, inode, size
     * (of a file) and link target (of a symlink). The engine fills in content and subtree. The engine asks again
     * after {@link #children()} or after closing {@link #open()}'s stream and takes the access time from that second
     * answer, so a source may report the access time as reading left it.
     */
    Node metadata();

    /** A directory's entries, in any order; never called for other types. */
    List<SourceEntry> children() throws IOException;

    /** Opens a file's content for reading; never called for other types. The engine closes the stream. */
    InputStream open() throws IOException;

    /**
     * The entry's extended attributes. The engine asks only for entries it stores anew (a new or changed file, a
     * directory whose tree is written again): an unchanged file (same size, modification and status change times and
     * inode as in the parent snapshot) keeps the parent's, since changing an attribute changes the status change
     * time. The default gives those of {@link #metadata()}.
     *
     * @throws IOException if they cannot be read; the engine records the error against the entry and stores it
     *     without them
     */
    default java.util.List<ExtendedAttribute> extendedAttributes() throws IOException {
        return metadata().extendedAttributes();
    }

    /**
     * True if {@link #metadata()}'s size is a statement about the content (the size an application's records give
     * for it), false (the default) if it is only a hint. For an entry that declares its size, content of another
     * length is stored as it was read (its size as read), and the difference is reported as an error of the entry,
     * so the snapshot is marked incomplete; restic stores a file that changes while it is read the same way. Local
     * files and streams do not declare theirs: a local file growing while it is read (a log) is stored as read, as
     * restic does, and a stream's length is not known in advance. {@link SourceEntries#file} entries declare it.
     */
    default boolean declaresSize() {
        return false;
    }

    /**
     * Present if the entry could not be read at all (e.g. permission denied on its metadata): the engine records
     * the error against {@code metadata().name()} and leaves the entry out of the snapshot.
     */
    default java.util.Optional<IOException> error() {
        return java.util.Optional.empty();
    }
}
