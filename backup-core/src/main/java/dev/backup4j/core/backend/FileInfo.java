package dev.backup4j.core.backend;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A listed file: its name, size in bytes, and when the storage last wrote it, if the storage tells (a local file's
 * or SFTP file's modification time, an object's {@code LastModified}; a REST server does not). Repository files are
 * written once, so that is when the storage received the file: what forged-snapshot protection judges snapshots by.
 *
 * @param name the file name inside its folder
 * @param size the size in bytes
 * @param modified when the storage wrote the file, if known
 */
public record FileInfo(String name, long size, Optional<Instant> modified) {
    /** Checks the fields. */
    public FileInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modified, "modified");
    }

    /** A file whose storage time is not known. */
    public FileInfo(String name, long size) {
        this(name, size, Optional.empty());
    }
}
