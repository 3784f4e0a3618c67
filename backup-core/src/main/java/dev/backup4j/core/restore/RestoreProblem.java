package dev.backup4j.core.restore;

import java.util.Objects;

/**
 * Something the planner found before writing anything that will keep an entry from being restored (or may).
 *
 * @param kind what is wrong
 * @param path the affected entry, relative to the target, starting with '/'
 * @param message a sentence naming the blob, pack or entry concerned
 */
public record RestoreProblem(Kind kind, String path, String message) {
    /** Kinds of problems. */
    public enum Kind {
        /** A file's data blob is not in the index: the file cannot be restored. */
        MISSING_BLOB,
        /** A file's data blob is in a pack a previous check found damaged: restore will try, and may fail. */
        DAMAGED_PACK,
        /** A directory is where the snapshot has a file or symlink; it is left alone (directories are only removed with delete). */
        IN_THE_WAY
    }

    /** Checks the fields. */
    public RestoreProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + path + ": " + message;
    }
}
