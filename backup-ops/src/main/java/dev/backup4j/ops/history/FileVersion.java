package dev.backup4j.ops.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One distinct version of a file across a repository's snapshots: a content, with the snapshots that hold it.
 *
 * @param path the file's absolute snapshot path
 * @param contentId SHA-256 over the file's blob ids, hex: equal for equal contents (the same chunks)
 * @param size the file's size in bytes
 * @param mtime the modification time recorded in the newest snapshot holding this version
 * @param firstSeen the time of the oldest snapshot holding it
 * @param firstSnapshot that snapshot's id
 * @param lastSeen the time of the newest snapshot holding it
 * @param lastSnapshot that snapshot's id (restore this one to get the version back)
 * @param snapshots how many snapshots hold it
 */
public record FileVersion(String path, String contentId, long size, OffsetDateTime mtime, Instant firstSeen,
        String firstSnapshot, Instant lastSeen, String lastSnapshot, int snapshots) {

    /** @throws NullPointerException if an argument is null */
    public FileVersion {
        requireNonNull(path, "path");
        requireNonNull(contentId, "contentId");
        requireNonNull(mtime, "mtime");
        requireNonNull(firstSeen, "firstSeen");
        requireNonNull(firstSnapshot, "firstSnapshot");
        requireNonNull(lastSeen, "lastSeen");
        requireNonNull(lastSnapshot, "lastSnapshot");
    }
}
