package dev.backup4j.ops.history;

import static java.util.Objects.requireNonNull;

import dev.backup4j.core.Repository;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.retention.RetentionSnapshot;
import dev.backup4j.retention.SnapshotFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A repository's files as retention's {@link SnapshotFiles} sees them, for
 * {@link dev.backup4j.retention.VersionRule} ("keep 5 versions of each file"): path to content key (SHA-256 over the
 * file's blob ids). Snapshots are found by id among the repository's; trees are read once per id and cached, so one
 * catalog serves a forget over hundreds of snapshots cheaply. Use one catalog per forget: it remembers snapshots.
 *
 * <pre>{@code
 * RetentionPolicy b = RetentionPresets.daily7Weekly4FirstOfMonth3(ZoneId.of("UTC")).toBuilder()
 *     .keep(VersionRule.keepVersions(5, FileCatalog.of(repo)).under("/srv/app"))
 *     .build();
 * Forget.on(repo).policy(b).run();
 * }</pre>
 */
public final class FileCatalog implements SnapshotFiles {
    private final Repository repo;
    private final TreeFiles trees;
    private final Map<String, Snapshot> byId = new HashMap<>();

    private FileCatalog(Repository repo) {
        this.repo = repo;
        this.trees = new TreeFiles(repo, 4096);
    }

    /** A catalog of {@code repo}'s snapshots. */
    public static FileCatalog of(Repository repo) {
        return new FileCatalog(requireNonNull(repo, "repo"));
    }

    /**
     * @throws UncheckedIOException if the repository cannot be read
     * @throws IllegalArgumentException if no snapshot of the repository has the id
     */
    @Override
    public synchronized Map<String, String> filesUnder(RetentionSnapshot snapshot, String under) {
        try {
            Snapshot s = byId.get(snapshot.id());
            if (s == null) {
                for (Snapshot x : repo.snapshots()) {
                    byId.put(x.requireId().toString(), x);
                }
                s = byId.get(snapshot.id());
                if (s == null && Id.isValid(snapshot.id())) {
                    throw new IllegalArgumentException("no snapshot " + snapshot.id() + " in " + repo);
                }
                if (s == null) {
                    throw new IllegalArgumentException("not a snapshot id: " + snapshot.id());
                }
            }
            Map<String, String> out = new HashMap<>();
            trees.filesUnder(s, under).forEach((p, f) -> out.put(p, f.content()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
