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
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The differences between two snapshots of one repository, as {@code restic diff} reports them: a {@link Change} per
 * entry that was added ({@code +}), removed ({@code -}), changed type ({@code T}), had its content modified
 * ({@code M}, files only) or, with {@link #metadata(boolean)}, only its metadata changed ({@code U}); and
 * {@link Statistics} of the entries and the blobs on either side.
 *
 * <p>The walk follows restic's: directories with the same tree on both sides are not compared further (their blobs
 * count as common); an added or removed directory is listed with everything below it; an entry whose type changed
 * is one change, and nothing below it is listed. A directory's path ends with '/'. Blob counts and bytes (plaintext
 * sizes) count the blobs referenced only by the first snapshot (removed) and only by the second (added).
 *
 * <pre>{@code
 * SnapshotDiff.Result d = SnapshotDiff.between(repo, monday, tuesday).metadata(true).run();
 * d.changes().forEach(c -> System.out.println(c.modifier() + " " + c.path()));
 * System.out.println(d.statistics().added().bytes() + " bytes added");
 * }</pre>
 *
 * <p>Not thread-safe: configure and run it on one thread; use one per operation.
 */
public final class SnapshotDiff {
    /** A change's kinds, with restic's letters. */
    public enum Modifier {
        /** The entry is only in the second snapshot. */
        ADDED("+"),
        /** The entry is only in the first snapshot. */
        REMOVED("-"),
        /** The entry's type changed (a file became a symlink, ...). */
        TYPE("T"),
        /** Both are files and their content differs. */
        CONTENT("M"),
        /** Metadata differs (mode, times, owner, ...); reported only when asked for and not modified. */
        METADATA("U");

        private final String letter;

        Modifier(String letter) {
            this.letter = letter;
        }

        /** restic's letter. */
        public String letter() {
            return letter;
        }
    }

    /**
     * One changed entry.
     *
     * @param path the path; a directory's ends with '/' (the second snapshot's type decides)
     * @param modifiers what changed: {@code ADDED} or {@code REMOVED} alone, or one or more of {@code TYPE},
     *     {@code CONTENT}, {@code METADATA}
     */
    public record Change(String path, Set<Modifier> modifiers) {
        /** Checks and copies the fields. */
        public Change {
            Objects.requireNonNull(path, "path");
            if (modifiers.isEmpty()) {
                throw new IllegalArgumentException("a change needs a modifier");
            }
            modifiers = Collections.unmodifiableSet(EnumSet.copyOf(modifiers));
        }

        /** restic's modifier column: "+", "-", or the letters of T, M, U in that order ("TU"). */
        public String modifier() {
            StringBuilder b = new StringBuilder();
            for (Modifier m : modifiers) { // EnumSet order: +, -, T, M, U
                b.append(m.letter());
            }
            return b.toString();
        }
    }

    /**
     * Counts for one side of a diff.
     *
     * @param files files added (or removed), below added (removed) directories too
     * @param dirs directories
     * @param others other entries (symlinks, devices, ...)
     * @param dataBlobs data blobs referenced only on this side
     * @param treeBlobs tree blobs referenced only on this side
     * @param bytes plaintext bytes of those blobs
     */
    public record Counts(long files, long dirs, long others, long dataBlobs, long treeBlobs, long bytes) {
    }

    /**
     * The statistics of a diff.
     *
     * @param changedFiles files present on both sides whose content differs
     * @param added what the second snapshot has that the first has not
     * @param removed what the first snapshot has that the second has not
     */
    public record Statistics(long changedFiles, Counts added, Counts removed) {
        /** Checks the fields. */
        public Statistics {
            Objects.requireNonNull(added, "added");
            Objects.requireNonNull(removed, "removed");
        }
    }

    /**
     * A diff, changes and statistics.
     *
     * @param changes the changes in walk order
     * @param statistics the counts
     */
    public record Result(List<Change> changes, Statistics statistics) {
        /** Copies the fields. */
        public Result {
            changes = List.copyOf(changes);
            Objects.requireNonNull(statistics, "statistics");
        }
    }

    private final OpenRepository repo;
    private final Snapshot from;
    private final Snapshot to;
    private Boolean metadata;

    private SnapshotDiff(OpenRepository repo, Snapshot from, Snapshot to) {
        this.repo = repo;
        this.from = from;
        this.to = to;
    }

    /** A diff from snapshot {@code from} to snapshot {@code to}, both of {@code repo}. */
    public static SnapshotDiff between(OpenRepository repo, Snapshot from, Snapshot to) {
        return new SnapshotDiff(Objects.requireNonNull(repo, "repo"), Objects.requireNonNull(from, "from"),
                Objects.requireNonNull(to, "to"));
    }

    /**
     * Whether to report entries whose metadata alone changed ({@code U}, restic's {@code --metadata}); default
     * false.
     *
     * @throws IllegalStateException if already set
     */
    public SnapshotDiff metadata(boolean show) {
        if (metadata != null) {
            throw new IllegalStateException("metadata(...) was already set");
        }
        metadata = show;
        return this;
    }

    /** Compares the snapshots and collects the changes. */
    public Result run() throws IOException {
        List<Change> changes = new ArrayList<>();
        Statistics s = run(changes::add);
        return new Result(changes, s);
    }

    /**
     * Compares the snapshots under a shared lock, handing each change to {@code changes} as it is found (in walk
     * order).
     */
    public Statistics run(Consumer<Change> changes) throws IOException {
        Objects.requireNonNull(changes, "changes");
        try (dev.backup4j.core.maintenance.OperationLock lock = dev.backup4j.core.maintenance.OperationLock.shared(
                repo, java.util.Optional.empty())) {
            Statistics s = runLocked(changes);
            lock.confirm();
            return s;
        }
    }

    private Statistics runLocked(Consumer<Change> changes) throws IOException {
        Walk w = new Walk(changes, Boolean.TRUE.equals(metadata));
        w.before.add(new BlobKey(BlobType.TREE, from.tree()));
        w.after.add(new BlobKey(BlobType.TREE, to.tree()));
        w.diffTree("/", from.tree(), to.tree());
        Set<BlobKey> both = new HashSet<>(w.before);
        both.retainAll(w.after);
        Set<BlobKey> removedOnly = new HashSet<>(w.before);
        removedOnly.removeAll(both);
        removedOnly.removeAll(w.common);
        Set<BlobKey> addedOnly = new HashSet<>(w.after);
        addedOnly.removeAll(both);
        addedOnly.removeAll(w.common);
        return new Statistics(w.changedFiles, w.added.counts(addedOnly), w.removed.counts(removedOnly));
    }

    /** Mutable counters of one side. */
    private final class Side {
        long files;
        long dirs;
        long others;

        void add(Node n) {
            switch (n.type()) {
                case FILE -> files++;
                case DIR -> dirs++;
                default -> others++;
            }
        }

        Counts counts(Set<BlobKey> blobs) throws CorruptDataException {
            long data = 0;
            long trees = 0;
            long bytes = 0;
            Index index = repo.index();
            for (BlobKey k : blobs) {
                if (k.type() == BlobType.DATA) {
                    data++;
                } else {
                    trees++;
                }
                Index.Location loc = index.find(k.type(), k.id()).orElseThrow(() -> new CorruptDataException(
                        k.type().json() + " blob " + k.id() + " is not in the index"));
                bytes += loc.blob().plaintextLength();
            }
            return new Counts(files, dirs, others, data, trees, bytes);
        }
    }

    private final class Walk {
        final Consumer<Change> out;
        final boolean metadata;
        final Set<BlobKey> before = new HashSet<>();
        final Set<BlobKey> after = new HashSet<>();
        final Set<BlobKey> common = new HashSet<>();
        final Side added = new Side();
        final Side removed = new Side();
        long changedFiles;

        Walk(Consumer<Change> out, boolean metadata) {
            this.out = out;
            this.metadata = metadata;
        }

        void diffTree(String prefix, Id id1, Id id2) throws IOException {
            Map<String, Node> t1 = byName(repo.loadTree(id1).nodes());
            Map<String, Node> t2 = byName(repo.loadTree(id2).nodes());
            TreeSet<String> names = new TreeSet<>(SnapshotPaths.BYTE_ORDER);
            names.addAll(t1.keySet());
            names.addAll(t2.keySet());
            for (String name : names) {
                Node n1 = t1.get(name);
                Node n2 = t2.get(name);
                addBlobs(before, n1, prefix);
                addBlobs(after, n2, prefix);
                String p = SnapshotPaths.join(prefix, name);
                if (n1 != null && n2 != null) {
                    EnumSet<Modifier> mods = EnumSet.noneOf(Modifier.class);
                    if (n1.type() != n2.type()) {
                        mods.add(Modifier.TYPE);
                    }
                    String shown = n2.type() == NodeType.DIR ? p + "/" : p;
                    if (n1.type() == NodeType.FILE && n2.type() == NodeType.FILE
                            && !n1.content().equals(n2.content())) {
                        mods.add(Modifier.CONTENT);
                        changedFiles++;
                    } else if (metadata && !sameNode(n1, n2)) {
                        mods.add(Modifier.METADATA);
                    }
                    if (!mods.isEmpty()) {
                        out.accept(new Change(shown, mods));
                    }
                    if (n1.type() == NodeType.DIR && n2.type() == NodeType.DIR) {
                        Id s1 = subtree(n1, p);
                        Id s2 = subtree(n2, p);
                        if (s1.equals(s2)) {
                            collect(common, s1, p);
                        } else {
                            diffTree(p, s1, s2);
                        }
                    }
                } else if (n1 != null) {
                    listAll(n1, p, Modifier.REMOVED, removed, before);
                } else {
                    listAll(n2, p, Modifier.ADDED, added, after);
                }
            }
        }

        /** An added or removed entry and, for a directory, everything below it. */
        void listAll(Node n, String p, Modifier m, Side side, Set<BlobKey> blobs) throws IOException {
            boolean dir = n.type() == NodeType.DIR;
            out.accept(new Change(dir ? p + "/" : p, EnumSet.of(m)));
            side.add(n);
            if (dir) {
                for (Node c : SnapshotPaths.ordered(repo.loadTree(subtree(n, p)).nodes())) {
                    addBlobs(blobs, c, p);
                    listAll(c, SnapshotPaths.join(p, c.name()), m, side, blobs);
                }
            }
        }

        /** Adds the blobs of every entry below tree {@code id}. */
        void collect(Set<BlobKey> blobs, Id id, String p) throws IOException {
            for (Node c : repo.loadTree(id).nodes()) {
                String cp = SnapshotPaths.join(p, c.name());
                addBlobs(blobs, c, p);
                if (c.type() == NodeType.DIR) {
                    collect(blobs, subtree(c, cp), cp);
                }
            }
        }

        void addBlobs(Set<BlobKey> blobs, Node n, String dir) throws CorruptDataException {
            if (n == null) {
                return;
            }
            if (n.type() == NodeType.FILE) {
                for (Id id : n.content()) {
                    blobs.add(new BlobKey(BlobType.DATA, id));
                }
            } else if (n.type() == NodeType.DIR) {
                blobs.add(new BlobKey(BlobType.TREE, subtree(n, SnapshotPaths.join(dir, n.name()))));
            }
        }
    }

    private static Map<String, Node> byName(List<Node> nodes) {
        Map<String, Node> m = new HashMap<>();
        for (Node n : nodes) {
            m.put(n.name(), n);
        }
        return m;
    }

    private Id subtree(Node dir, String path) throws CorruptDataException {
        return dir.subtree().orElseThrow(() -> new CorruptDataException("directory " + FileNames.printable(path)
                + " has no subtree"));
    }

    /**
     * restic's {@code Node.Equals}: every stored field, times compared as instants. Extended attributes are not
     * compared, as this library does not keep them.
     */
    static boolean sameNode(Node a, Node b) {
        return a.name().equals(b.name()) && a.type() == b.type() && a.mode() == b.mode()
                && a.mtime().isEqual(b.mtime()) && a.atime().isEqual(b.atime()) && a.ctime().isEqual(b.ctime())
                && a.uid() == b.uid() && a.gid() == b.gid() && a.user().equals(b.user())
                && a.group().equals(b.group()) && a.inode() == b.inode() && a.deviceId() == b.deviceId()
                && a.size() == b.size() && a.links() == b.links() && a.linkTarget().equals(b.linkTarget())
                && a.device() == b.device() && a.content().equals(b.content()) && a.subtree().equals(b.subtree())
                && a.error().equals(b.error()) && new java.util.HashSet<>(a.extendedAttributes())
                        .equals(new java.util.HashSet<>(b.extendedAttributes())); // in any order, as restic compares
    }
}
