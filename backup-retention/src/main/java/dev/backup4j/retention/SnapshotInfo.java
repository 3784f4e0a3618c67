package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedSet;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * An immutable {@link RetentionSnapshot}.
 *
 * <pre>{@code
 * SnapshotInfo s = SnapshotInfo.of("4f2a9c01", Instant.parse("2024-03-17T01:00:00Z"))
 *     .withHost("lms1").withPaths(List.of("/srv/moodle")).withTags(Set.of("nightly"));
 * }</pre>
 *
 * @param id the unique id, not empty
 * @param time when it was taken
 * @param host the host, empty when unknown
 * @param paths the paths, as recorded
 * @param tags the tags (kept sorted)
 * @param held whether it is pinned / on legal hold
 */
public record SnapshotInfo(String id, Instant time, String host, List<String> paths, Set<String> tags, boolean held)
        implements RetentionSnapshot {

    /**
     * Validates and copies the collections.
     *
     * @throws NullPointerException if any argument or element is null
     * @throws IllegalArgumentException if {@code id} is empty
     */
    public SnapshotInfo {
        requireNonNull(id, "id");
        requireNonNull(time, "time");
        requireNonNull(host, "host");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("snapshot id must not be empty");
        }
        paths = ImmutableList.copyOf(paths);
        tags = ImmutableSortedSet.copyOf(tags);
    }

    /**
     * A snapshot with no host, paths or tags, not held.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code id} is empty
     */
    public static SnapshotInfo of(String id, Instant time) {
        return new SnapshotInfo(id, time, "", List.of(), Set.of(), false);
    }

    /** A copy of any {@link RetentionSnapshot}. */
    public static SnapshotInfo copyOf(RetentionSnapshot s) {
        requireNonNull(s, "snapshot");
        return s instanceof SnapshotInfo info ? info
                : new SnapshotInfo(s.id(), s.time(), s.host(), s.paths(), s.tags(), s.held());
    }

    /** This snapshot with another host. */
    public SnapshotInfo withHost(String newHost) {
        return new SnapshotInfo(id, time, newHost, paths, tags, held);
    }

    /** This snapshot with other paths. */
    public SnapshotInfo withPaths(Collection<String> newPaths) {
        return new SnapshotInfo(id, time, host, List.copyOf(newPaths), tags, held);
    }

    /** This snapshot with other tags. */
    public SnapshotInfo withTags(Collection<String> newTags) {
        return new SnapshotInfo(id, time, host, paths, Set.copyOf(newTags), held);
    }

    /** This snapshot, held (pinned / legal hold) or not. */
    public SnapshotInfo withHeld(boolean newHeld) {
        return new SnapshotInfo(id, time, host, paths, tags, newHeld);
    }
}
