package dev.backup4j.core.browse;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.index.Index.BlobKey;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sizes and counts over one or more snapshots, as {@code restic stats --mode ...} computes them (restic 0.14).
 *
 * <ul>
 *   <li>{@link Mode#RESTORE_SIZE}: what a restore of each snapshot would write. Every entry counts as a file
 *       (directories and symlinks too, as restic counts them), once per snapshot; sizes add up, except that entries
 *       with the same non-zero inode in one snapshot (hard links) count their size once.</li>
 *   <li>{@link Mode#FILES_BY_CONTENTS}: entries with distinct content (the same list of blobs) over all snapshots,
 *       each counted once with its size; all entries without content count as one.</li>
 *   <li>{@link Mode#BLOBS_PER_FILE}: for each file with content not seen before, its distinct blobs (plaintext
 *       size) per path; files counted once per path.</li>
 *   <li>{@link Mode#RAW_DATA}: the distinct blobs (data and tree) the snapshots reference, at their stored
 *       (compressed, encrypted) size; {@code totalFileCount} is 0.</li>
 * </ul>
 *
 * <pre>{@code
 * SnapshotStats.Result r = SnapshotStats.of(repo).mode(SnapshotStats.Mode.RAW_DATA).snapshots(repo.snapshots()).run();
 * System.out.println(r.totalBlobCount() + " blobs, " + r.totalSize() + " bytes stored");
 * }</pre>
 *
 * <p>Not thread-safe: configure and run it on one thread; use one per operation.
 */
public final class SnapshotStats {
    /** The counting modes, with restic's names. */
    public enum Mode {
        /** The size of the restored files (restic's default). */
        RESTORE_SIZE("restore-size"),
        /** Files unique by content. */
        FILES_BY_CONTENTS("files-by-contents"),
        /** Blobs per file, unique by content and path. */
        BLOBS_PER_FILE("blobs-per-file"),
        /** Stored blobs. */
        RAW_DATA("raw-data");

        private final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        /** restic's name for the mode ({@code --mode} value). */
        public String flag() {
            return flag;
        }

        /**
         * The mode for a {@code --mode} value.
         *
         * @throws IllegalArgumentException for an unknown name
         */
        public static Mode parse(String flag) {
            for (Mode m : values()) {
                if (m.flag.equals(flag.toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown counting mode: " + flag
                    + " (use restore-size, files-by-contents, blobs-per-file or raw-data)");
        }
    }

    /**
     * The totals.
     *
     * @param mode the counting mode
     * @param totalSize bytes, as the mode counts them
     * @param totalFileCount files, as the mode counts them (0 in raw-data mode)
     * @param totalBlobCount blobs (raw-data and blobs-per-file modes; 0 otherwise)
     * @param snapshotsCount snapshots walked
     */
    public record Result(Mode mode, long totalSize, long totalFileCount, long totalBlobCount, int snapshotsCount) {
        /** Checks the fields. */
        public Result {
            Objects.requireNonNull(mode, "mode");
        }
    }

    private final OpenRepository repo;
    private Mode mode;
    private final List<Snapshot> snapshots = new ArrayList<>();

    private SnapshotStats(OpenRepository repo) {
        this.repo = repo;
    }

    /** Statistics over snapshots of {@code repo}; the mode defaults to {@link Mode#RESTORE_SIZE}. */
    public static SnapshotStats of(OpenRepository repo) {
        return new SnapshotStats(Objects.requireNonNull(repo, "repo"));
    }

    /**
     * The counting mode.
     *
     * @throws IllegalStateException if already set
     */
    public SnapshotStats mode(Mode m) {
        if (mode != null) {
            throw new IllegalStateException("mode was already set to " + mode.flag());
        }
        mode = Objects.requireNonNull(m, "mode");
        return this;
    }

    /** Adds a snapshot to walk (a snapshot given twice is walked twice, as restic would not; give each once). */
    public SnapshotStats snapshot(Snapshot s) {
        snapshots.add(Objects.requireNonNull(s, "snapshot"));
        return this;
    }

    /** Adds snapshots to walk, in order. */
    public SnapshotStats snapshots(List<Snapshot> list) {
        list.forEach(this::snapshot);
        return this;
    }

    /** Walks the snapshots under a shared lock and returns the totals. */
    public Result run() throws IOException {
        Mode m = mode == null ? Mode.RESTORE_SIZE : mode;
        try (dev.backup4j.core.maintenance.OperationLock lock = dev.backup4j.core.maintenance.OperationLock.shared(
                repo, java.util.Optional.empty())) {
            Counter c = new Counter(m);
            for (Snapshot s : snapshots) {
                c.snapshot(s);
            }
            lock.confirm();
            return c.result();
        }
    }

    private final class Counter {
        final Mode mode;
        long size;
        long files;
        long blobs;
        int snapshots;
        /** files-by-contents and blobs-per-file: contents seen, over all snapshots. */
        final Set<List<Id>> contents = new HashSet<>();
        /** blobs-per-file: blobs seen per file path. */
        final Map<String, Set<Id>> fileBlobs = new HashMap<>();
        /** raw-data: blobs referenced. */
        final Set<BlobKey> used = new HashSet<>();

        Counter(Mode mode) {
            this.mode = mode;
        }

        void snapshot(Snapshot s) throws IOException {
            snapshots++;
            if (mode == Mode.RAW_DATA) {
                collectUsed(s.tree(), "/");
                return;
            }
            walk(s.tree(), "/", new HashSet<>(), new HashSet<>());
        }

        /**
         * Visits every entry below tree {@code id}. In the content modes a directory whose tree was already walked
         * in this snapshot is passed over (as restic's walker does; its entries cannot add anything new).
         */
        void walk(Id id, String prefix, Set<Long> inodes, Set<Id> walkedTrees) throws IOException {
            for (Node n : SnapshotPaths.ordered(repo.loadTree(id).nodes())) {
                String p = SnapshotPaths.join(prefix, n.name());
                Id sub = null;
                if (n.type() == NodeType.DIR) {
                    sub = subtree(n, p);
                    if (mode != Mode.RESTORE_SIZE && walkedTrees.contains(sub)) {
                        continue;
                    }
                }
                count(n, p, inodes);
                if (sub != null) {
                    walkedTrees.add(sub);
                    walk(sub, p, inodes, walkedTrees);
                }
            }
        }

        void count(Node n, String path, Set<Long> inodes) throws CorruptDataException {
            switch (mode) {
                case RESTORE_SIZE -> {
                    files++;
                    if (n.inode() == 0 || inodes.add(n.inode())) {
                        size += n.size();
                    }
                }
                case FILES_BY_CONTENTS -> {
                    if (contents.add(n.content())) {
                        size += n.size();
                        files++;
                    }
                }
                case BLOBS_PER_FILE -> {
                    if (!contents.add(n.content())) {
                        return;
                    }
                    Index index = repo.index();
                    for (Id blob : n.content()) {
                        // restic keys this by the path joined once more with the name: unique per path all the same
                        Set<Id> seen = fileBlobs.get(path);
                        if (seen == null) {
                            seen = new HashSet<>();
                            fileBlobs.put(path, seen);
                            files++;
                        }
                        if (seen.add(blob)) {
                            Index.Location loc = index.find(BlobType.DATA, blob).orElseThrow(
                                    () -> new CorruptDataException("data blob " + blob + " of "
                                            + FileNames.printable(path) + " is not in the index"));
                            size += loc.blob().plaintextLength();
                            blobs++;
                        }
                    }
                }
                default -> throw new IllegalStateException(mode.flag());
            }
        }

        /** raw-data: the tree and every blob below it, each tree walked once over all snapshots. */
        void collectUsed(Id tree, String path) throws IOException {
            if (!used.add(new BlobKey(BlobType.TREE, tree))) {
                return;
            }
            for (Node n : repo.loadTree(tree).nodes()) {
                String p = SnapshotPaths.join(path, n.name());
                if (n.type() == NodeType.DIR) {
                    collectUsed(subtree(n, p), p);
                } else if (n.type() == NodeType.FILE) {
                    for (Id id : n.content()) {
                        used.add(new BlobKey(BlobType.DATA, id));
                    }
                }
            }
        }

        Result result() throws CorruptDataException {
            if (mode == Mode.RAW_DATA) {
                Index index = repo.index();
                for (BlobKey k : used) {
                    Index.Location loc = index.find(k.type(), k.id()).orElseThrow(() -> new CorruptDataException(
                            k.type().json() + " blob " + k.id() + " is not in the index"));
                    size += loc.blob().length();
                    blobs++;
                }
            }
            return new Result(mode, size, files, blobs, snapshots);
        }
    }

    private static Id subtree(Node dir, String path) throws CorruptDataException {
        return dir.subtree().orElseThrow(() -> new CorruptDataException("directory " + FileNames.printable(path)
                + " has no subtree"));
    }
}
