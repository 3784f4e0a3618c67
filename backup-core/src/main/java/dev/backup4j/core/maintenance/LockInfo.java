package dev.backup4j.core.maintenance;

import dev.backup4j.core.common.Id;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One lock file as restic writes it ({@code locks/ID}), with the staleness verdict of the process that read it.
 *
 * @param id the lock file's id
 * @param time when the lock was created or last refreshed
 * @param exclusive true for an exclusive lock (prune, forget, key removal), false for a shared one
 * @param hostname the host of the process holding it
 * @param username the user of that process
 * @param pid the process id
 * @param uid the user's numeric id (0 if not recorded)
 * @param gid the group's numeric id (0 if not recorded)
 * @param stale true if restic's rules say the holder is gone: no refresh for 30 minutes, or a process on this host
 *     that no longer exists
 */
public record LockInfo(Id id, OffsetDateTime time, boolean exclusive, String hostname, String username, long pid,
        long uid, long gid, boolean stale) {
    /** Checks the fields. */
    public LockInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(username, "username");
    }

    /** A one-line description as used in error messages, like restic's. */
    public String describe(OffsetDateTime now) {
        Duration age = Duration.between(time, now);
        return (exclusive ? "exclusive" : "shared") + " lock " + id.shortString() + " of PID " + pid + " on "
                + hostname + " by " + username + " (UID " + uid + ", GID " + gid + "), created at " + time
                + " (" + age.withNanos(0).toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " ago)"
                + (stale ? ", stale" : "");
    }
}
