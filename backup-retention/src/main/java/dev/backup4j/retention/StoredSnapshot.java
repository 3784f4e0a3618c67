package dev.backup4j.retention;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot together with when the storage saw it arrive (a file's modification time on the server, an object's
 * {@code LastModified}), for {@link ProtectedRetention}: the time a snapshot claims is written by whoever made it,
 * the storage time is not.
 */
public interface StoredSnapshot extends RetentionSnapshot {

    /** When the storage received the snapshot, if the storage tells (a REST server does not). */
    Optional<Instant> storedAt();
}
