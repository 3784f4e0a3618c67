package dev.backup4j.core.browse;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.NoSuchPathException;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.restore.SnapshotSelector;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Read-only access to one snapshot of an open repository, as a file system: list a directory, look up a path, read
 * a file's content as a stream, walk a subtree, and the listings of {@code restic ls} and {@code restic find}.
 *
 * <p>Paths are absolute and '/'-separated as restic shows them ({@code "/srv/lms/grades.csv"}); a path without the
 * leading '/' is read as if it had one, and repeated slashes, "." and ".." are cleaned away. Names are the strings
 * of {@link Node#name()}, which may hold raw bytes (see {@link FileNames}). A path that is not in the snapshot (or
 * that is a file where a directory is needed, or the other way round) raises {@link NoSuchPathException}; only
 * damaged repository data raises {@link CorruptDataException}.
 *
 * <p>Thread-safe as far as the repository is; trees met while resolving paths are kept in a small cache.
 *
 * <pre>{@code
 * SnapshotBrowser b = SnapshotBrowser.open(repo, SnapshotSelector.latest());
 * for (TreeEntry e : b.list("/srv/lms")) {
 *     System.out.println(e.path() + " " + e.node().size());
 * }
 * try (InputStream in = b.open("/srv/lms/grades.csv")) {
 *     in.transferTo(System.out);
 * }
 * }</pre>
 *
 * <p>Not thread-safe (it keeps the trees it read in a small cache): use one browser per thread; browsers of the same
 * repository may run on many threads at once.
 */
public final class SnapshotBrowser {
    private static final int CACHED_TREES = 64;

    private final OpenRepository repo;
    private final Snapshot snapshot;
    private final Map<Id, Tree> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Id, Tree> e) {
            return size() > CACHED_TREES;
        }
    };

    private SnapshotBrowser(OpenRepository repo, Snapshot snapshot) {
        this.repo = repo;
        this.snapshot = snapshot;
    }

    /**
     * A browser over the snapshot {@code selector} chooses among the repository's snapshots.
     *
     * @throws dev.backup4j.core.common.NoSuchSnapshotException if none matches
     */
    public static SnapshotBrowser open(OpenRepository repo, SnapshotSelector selector) throws IOException {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(selector, "selector");
        return new SnapshotBrowser(repo, selector.select(repo.snapshots()).snapshot());
    }

    /** A browser over a snapshot already loaded (saved, with an id) from {@code repo}. */
    public static SnapshotBrowser of(OpenRepository repo, Snapshot snapshot) {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(snapshot, "snapshot").requireId();
        return new SnapshotBrowser(repo, snapshot);
    }

    /** The snapshot browsed. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * The entry at {@code path}, or empty if the snapshot has none there. For "/", which restic stores no node for,
     * a directory node with an empty name, mode {@link Node#MODE_DIR}, the snapshot's time and its root tree.
     */
    public Optional<Node> stat(String path) throws IOException {
        String p = SnapshotPaths.clean(Objects.requireNonNull(path, "path"));
        Node n = root();
        String at = "/";
        for (String name : SnapshotPaths.elements(p)) {
            if (n.type() != NodeType.DIR) {
                return Optional.empty();
            }
            Optional<Node> child = tree(n, at).find(name);
            if (child.isEmpty()) {
                return Optional.empty();
            }
            n = child.get();
            at = SnapshotPaths.join(at, name);
        }
        return Optional.of(n);
    }

    /**
     * The entries of the directory {@code dir}, in the order restic lists them (by the bytes of their names), each
     * with its full path.
     *
     * @throws NoSuchPathException if there is no such directory in the snapshot
     */
    public List<TreeEntry> list(String dir) throws IOException {
        String p = SnapshotPaths.clean(Objects.requireNonNull(dir, "dir"));
        Node d = require(p);
        if (d.type() != NodeType.DIR) {
            throw new NoSuchPathException(p, where() + ": " + FileNames.printable(p) + " is a " + d.type()
                    + ", not a directory");
        }
        List<TreeEntry> out = new ArrayList<>();
        for (Node n : SnapshotPaths.ordered(tree(d, p).nodes())) {
            out.add(new TreeEntry(SnapshotPaths.join(p, n.name()), n));
        }
        return List.copyOf(out);
    }

    /**
     * A stream of the file's content. It holds one blob at a time, loads each when the reader gets to it and checks
     * it against its hash (a damaged blob fails the read with {@link CorruptDataException}). Close it when done.
     *
     * @throws NoSuchPathException if there is no such file in the snapshot (or the path is not a regular file)
     */
    public InputStream open(String file) throws IOException {
        String p = SnapshotPaths.clean(Objects.requireNonNull(file, "file"));
        Node n = require(p);
        if (n.type() != NodeType.FILE) {
            throw new NoSuchPathException(p, where() + ": " + FileNames.printable(p) + " is a " + n.type()
                    + ", not a file");
        }
        return new ContentStream(repo, n.content(), p);
    }

    /**
     * Walks the entries below the directory {@code dir} depth first, a directory before its entries, entries in the
     * order restic walks them. The directory itself is not visited.
     *
     * @throws NoSuchPathException if there is no such directory in the snapshot
     * @throws IOException whatever the visitor throws, or a tree that cannot be read
     */
    public void walk(String dir, TreeVisitor visitor) throws IOException {
        Objects.requireNonNull(visitor, "visitor");
        String p = SnapshotPaths.clean(Objects.requireNonNull(dir, "dir"));
        Node d = require(p);
        if (d.type() != NodeType.DIR) {
            throw new NoSuchPathException(p, where() + ": " + FileNames.printable(p) + " is a " + d.type()
                    + ", not a directory");
        }
        walkTree(subtree(d, p), p, visitor);
    }

    /**
     * What {@code restic ls SNAPSHOT DIR...} lists: with no {@code dirs}, every entry of the snapshot; otherwise
     * each named directory and its entries (all below it if {@code recursive}), each entry once, in walk order.
     * A directory that is not in the snapshot lists nothing, as with restic.
     *
     * @param dirs absolute directory paths
     * @throws IllegalArgumentException if a directory path does not start with '/'
     */
    public void listTree(List<String> dirs, boolean recursive, Consumer<TreeEntry> out) throws IOException {
        Objects.requireNonNull(dirs, "dirs");
        Objects.requireNonNull(out, "out");
        List<String> ds = new ArrayList<>();
        for (String d : dirs) {
            if (!d.startsWith("/")) {
                throw new IllegalArgumentException("all path filters must be absolute, starting with '/': '"
                        + FileNames.printable(d) + "'");
            }
            ds.add(SnapshotPaths.clean(d));
        }
        walkTree(snapshot.tree(), "/", e -> {
            boolean within = ds.isEmpty() || ds.stream().anyMatch(d -> SnapshotPaths.hasPrefix(d, e.path()));
            if (within) {
                out.accept(e);
                if (recursive) {
                    return WalkAction.CONTINUE;
                }
            }
            boolean approaching = ds.isEmpty() || ds.stream().anyMatch(d -> SnapshotPaths.hasPrefix(e.path(), d));
            return approaching ? WalkAction.CONTINUE : WalkAction.SKIP_SUBTREE;
        });
    }

    /**
     * The entries whose path matches {@code pattern}, as {@code restic find}: walks the whole snapshot, descending
     * only into directories below which something may still match.
     */
    public void find(PathPattern pattern, Consumer<TreeEntry> out) throws IOException {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(out, "out");
        walkTree(snapshot.tree(), "/", e -> {
            if (pattern.matches(e.path())) {
                out.accept(e);
                return WalkAction.CONTINUE;
            }
            return !e.isDirectory() || pattern.childMayMatch(e.path()) ? WalkAction.CONTINUE
                    : WalkAction.SKIP_SUBTREE;
        });
    }

    /** {@link #find(PathPattern, Consumer)}, collected. */
    public List<TreeEntry> find(PathPattern pattern) throws IOException {
        List<TreeEntry> out = new ArrayList<>();
        find(pattern, out::add);
        return List.copyOf(out);
    }

    // ---- internals

    private String where() {
        return "snapshot " + snapshot.requireId().shortString();
    }

    private Node root() {
        return Node.builder("", NodeType.DIR).mode(Node.MODE_DIR).mtime(snapshot.time()).atime(snapshot.time())
                .ctime(snapshot.time()).subtree(snapshot.tree()).build();
    }

    /** The node at a cleaned path, or a {@link NoSuchPathException} saying which element is missing. */
    private Node require(String p) throws IOException {
        Node n = root();
        String at = "/";
        for (String name : SnapshotPaths.elements(p)) {
            if (n.type() != NodeType.DIR) {
                throw new NoSuchPathException(p, where() + " has no " + FileNames.printable(p) + ": "
                        + FileNames.printable(at) + " is a " + n.type() + ", not a directory");
            }
            Optional<Node> child = tree(n, at).find(name);
            if (child.isEmpty()) {
                throw new NoSuchPathException(p, where() + " has no " + FileNames.printable(p)
                        + (at.equals("/") && SnapshotPaths.elements(p).size() == 1 ? ""
                                : " (no '" + FileNames.printable(name) + "' in " + FileNames.printable(at) + ")"));
            }
            n = child.get();
            at = SnapshotPaths.join(at, name);
        }
        return n;
    }

    private Id subtree(Node dir, String path) throws CorruptDataException {
        return dir.subtree().orElseThrow(() -> new CorruptDataException(where() + ": directory "
                + FileNames.printable(path) + " has no subtree"));
    }

    /** A directory's tree, through the cache. */
    private Tree tree(Node dir, String path) throws IOException {
        Id id = subtree(dir, path);
        synchronized (cache) {
            Tree t = cache.get(id);
            if (t != null) {
                return t;
            }
        }
        Tree t = repo.loadTree(id);
        synchronized (cache) {
            cache.put(id, t);
        }
        return t;
    }

    /** Visits the entries of tree {@code id} at {@code prefix}; false if the visitor asked to terminate. */
    private boolean walkTree(Id id, String prefix, TreeVisitor v) throws IOException {
        for (Node n : SnapshotPaths.ordered(repo.loadTree(id).nodes())) {
            String p = SnapshotPaths.join(prefix, n.name());
            WalkAction a = Objects.requireNonNull(v.visit(new TreeEntry(p, n)), "visitor returned null");
            switch (a) {
                case TERMINATE:
                    return false;
                case SKIP_SIBLINGS:
                    return true;
                case SKIP_SUBTREE:
                    break;
                case CONTINUE:
                default:
                    if (n.type() == NodeType.DIR && !walkTree(subtree(n, p), p, v)) {
                        return false;
                    }
            }
        }
        return true;
    }
}
