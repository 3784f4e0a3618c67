package dev.backup4j.ops.history;

import static java.util.Objects.requireNonNull;

import dev.backup4j.core.Repository;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.ops.drill.RepositoryRecords;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * "Versions of a file": every distinct version (content) of each file at or below a path across the repository's
 * snapshots, with when it was first and last seen and the newest snapshot to restore it from. Drill and check
 * records are skipped. A file edited A, B, then back to A has two versions, A (first seen before B, last seen after)
 * and B; versions are listed in the order they first appeared.
 *
 * <pre>{@code
 * FileHistory.Result h = FileHistory.of(repo).path("/srv/app/config.yml").run();
 * for (FileVersion v : h.versions("/srv/app/config.yml")) {
 *     System.out.println(v.firstSeen() + " " + v.size() + " " + v.contentId().substring(0, 8));
 * }
 * }</pre>
 */
public final class FileHistory {
    private final Repository repo;
    private String path;
    private Predicate<Snapshot> only = s -> true;

    private FileHistory(Repository repo) {
        this.repo = repo;
    }

    /** The history of files in {@code repo}. */
    public static FileHistory of(Repository repo) {
        return new FileHistory(requireNonNull(repo, "repo"));
    }

    /**
     * The file, or the directory whose files, to follow (absolute snapshot path). Required.
     *
     * @throws IllegalArgumentException if it does not start with '/'
     * @throws IllegalStateException if already set
     */
    public FileHistory path(String p) {
        requireNonNull(p, "path");
        if (path != null) {
            throw new IllegalStateException("path was already set");
        }
        if (!p.startsWith("/")) {
            throw new IllegalArgumentException("an absolute snapshot path is needed, starting with '/': " + p);
        }
        this.path = p;
        return this;
    }

    /** Only these snapshots (for example one host's). */
    public FileHistory only(Predicate<Snapshot> which) {
        this.only = requireNonNull(which, "which");
        return this;
    }

    /** Every file's versions, by path. */
    public record Result(Map<String, List<FileVersion>> byPath, int snapshotsRead) {
        /** Copies the map. */
        public Result {
            byPath = java.util.Collections.unmodifiableMap(new TreeMap<>(byPath));
        }

        /** The versions of one file, oldest first (empty if no snapshot holds it). */
        public List<FileVersion> versions(String file) {
            return byPath.getOrDefault(file, List.of());
        }
    }

    /**
     * Reads the snapshots.
     *
     * @throws IllegalStateException if no path was set
     * @throws IOException if a snapshot or tree cannot be read
     */
    public Result run() throws IOException {
        if (path == null) {
            throw new IllegalStateException("set a path(...) first");
        }
        TreeFiles trees = new TreeFiles(repo, 4096);
        List<Snapshot> snaps = new ArrayList<>();
        for (Snapshot s : repo.snapshots()) {
            if (!RepositoryRecords.isRecord(s) && only.test(s)) {
                snaps.add(s);
            }
        }
        snaps.sort(Comparator.comparing(Snapshot::instant).thenComparing(Snapshot::requireId));
        // path -> content -> version being built (insertion order = first appearance)
        Map<String, Map<String, FileVersion>> versions = new TreeMap<>();
        for (Snapshot s : snaps) {
            String id = s.requireId().toString();
            for (Map.Entry<String, TreeFiles.Facts> f : trees.filesUnder(s, path).entrySet()) {
                TreeFiles.Facts facts = f.getValue();
                versions.computeIfAbsent(f.getKey(), k -> new LinkedHashMap<>()).merge(facts.content(),
                        new FileVersion(f.getKey(), facts.content(), facts.size(), facts.mtime(), s.instant(), id,
                                s.instant(), id, 1),
                        (old, now) -> new FileVersion(old.path(), old.contentId(), old.size(), now.mtime(),
                                old.firstSeen(), old.firstSnapshot(), now.lastSeen(), now.lastSnapshot(),
                                old.snapshots() + 1));
            }
        }
        Map<String, List<FileVersion>> out = new TreeMap<>();
        versions.forEach((p, byContent) -> out.put(p, List.copyOf(byContent.values())));
        return new Result(out, snaps.size());
    }
}
