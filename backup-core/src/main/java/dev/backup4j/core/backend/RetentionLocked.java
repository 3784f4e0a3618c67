package dev.backup4j.core.backend;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A backend whose files carry a retention date before which nobody can delete or overwrite them (S3 Object Lock).
 * Prune asks it which files it may not delete yet and leaves those (and the packs an index file it must leave
 * still lists) for a later prune; it then extends the retention of what the remaining snapshots need, so that what
 * is still used stays protected. Lock files never carry a date: they must be removable.
 */
public interface RetentionLocked {

    /** How long new files are retained, and how far an extension reaches. */
    Duration retentionPeriod();

    /** The file's retention date, if it has one. */
    Optional<Instant> retainedUntil(Handle handle) throws IOException;

    /** Moves the file's retention date to {@code until} (never earlier than it is). */
    void retainUntil(Handle handle, Instant until) throws IOException;
}
