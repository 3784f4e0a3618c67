package dev.backup4j.core.backup;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.snapshot.LocalSourceOptions;
import dev.backup4j.core.snapshot.SnapshotSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What one backup does, as {@code dev.backup4j.core.BackupCommand} collected and checked it; the options are
 * described there.
 *
 * @param paths the local paths
 * @param sources the other sources
 * @param excludes exclude globs for all sources
 * @param includes include globs (empty: everything)
 * @param tags the snapshot's tags
 * @param localOptions how local paths are read
 * @param host the snapshot's host; null for the repository's
 * @param time the snapshot's time; null for the clock's
 * @param parent the parent snapshot; null for the latest with the same host and paths
 * @param force whether every file is read again
 * @param workers threads each way
 * @param listener progress and errors
 * @param readLimit bytes per second read from the sources; 0 for no limit
 * @param statusInterval how often the listener gets the status
 * @param held the caller's lock; null to take a shared one
 */
public record BackupSpec(List<LocalPath> paths, List<SnapshotSource> sources, List<String> excludes,
        List<String> includes, List<String> tags, LocalSourceOptions localOptions, String host, OffsetDateTime time,
        Id parent, boolean force, int workers, BackupListener listener, long readLimit, Duration statusInterval,
        RepositoryLock held) {

    /**
     * A local path, and the path it is stored under.
     *
     * @param path the local file or directory
     * @param snapshotPath the path it is stored under; null for its own
     */
    public record LocalPath(Path path, String snapshotPath) {
    }
}
