package dev.backup4j.retention;

import java.util.Map;

/**
 * The files of a snapshot, as a {@link VersionRule} sees them: path to content key. Retention is pure logic and
 * never reads a repository; backup-ops implements this over a repository's trees
 * ({@code dev.backup4j.ops.history.FileCatalog}), tests over a map.
 *
 * <p>Implementations must be pure (the same snapshot always gives the same files), thread-safe if the policy is
 * used from several threads, and must not return null. A failure to read is an unchecked exception
 * ({@link java.io.UncheckedIOException}): it fails the {@link RetentionPolicy#apply} call, which then removes nothing.
 *
 * <pre>{@code
 * Map<String, Map<String, String>> byId = Map.of("4f2a9c01", Map.of("/srv/app/config.yml", "c0ffee"));
 * SnapshotFiles files = (s, under) -> byId.getOrDefault(s.id(), Map.of());
 * }</pre>
 */
@FunctionalInterface
public interface SnapshotFiles {

    /**
     * The regular files of {@code snapshot} at or below the path {@code under} ("/" for all): absolute
     * '/'-separated path to a key that is equal for two versions exactly when their contents are equal (for
     * restic snapshots, a hash of the file's blob ids).
     */
    Map<String, String> filesUnder(RetentionSnapshot snapshot, String under);
}
