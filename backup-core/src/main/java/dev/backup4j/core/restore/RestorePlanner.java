package dev.backup4j.core.restore;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.maintenance.OperationLock;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Plans a restore without side effects: chooses the snapshot, walks the scope (a sub-path, include and exclude
 * globs), compares each entry with what the target holds, and lists the pack ranges to read. Each option may be
 * set once; {@link #plan(RestoreTarget)} only reads the repository and the target.
 *
 * <pre>{@code
 * RestorePlan plan = RestorePlanner.of(repo, SnapshotSelector.at(asOf, TimeMatch.AT_OR_BEFORE))
 *         .subPath("/var/www/lms/courses/42").overwrite(OverwritePolicy.IF_CHANGED).plan(target);
 * }</pre>
 *
 * <p>Paths matched by the globs are the entries' paths as they will appear below the target, starting with '/':
 * for a whole-snapshot restore, the backed-up path ({@code /var/www/lms/...}); for a sub-path restore, the path
 * below the sub-path. A glob keeps restic's reading (see {@link PathFilter}).
 *
 * <p>Not thread-safe: configure it and call {@link #plan} on one thread; use one planner per thread. The
 * {@link RestorePlan} it returns is immutable and may be handed to any thread.
 */
public final class RestorePlanner {
    /** Blobs closer than this in a pack are read in one range (one request beats two for such a gap). */
    static final int MERGE_GAP = 256 * 1024;
    /** Ranges are not merged beyond this size, to bound a reader's memory. */
    static final int MAX_RANGE = 8 * 1024 * 1024;

    private final OpenRepository repo;
    private final SnapshotSelector selector;
    private String subPath = "/";
    private final List<String> includes = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();
    private OverwritePolicy overwrite = OverwritePolicy.IF_CHANGED;
    private boolean compareContent;
    private boolean delete;
    private Set<Id> damagedPacks = Set.of();
    private RepositoryLock held;
    private boolean noLock;
    private final Set<String> set = new HashSet<>();

    private RestorePlanner(OpenRepository repo, SnapshotSelector selector) {
        this.repo = repo;
        this.selector = selector;
    }

    /** A planner for the snapshot {@code selector} chooses in {@code repo}. */
    public static RestorePlanner of(OpenRepository repo, SnapshotSelector selector) {
        return new RestorePlanner(Objects.requireNonNull(repo, "repo"), Objects.requireNonNull(selector, "selector"));
    }

    /**
     * A planner for restic's {@code SNAPSHOT[:PATH]} form: {@code latest}, an id or prefix, optionally followed by
     * ':' and a directory of the snapshot to restore as the target's root.
     *
     * @throws IllegalArgumentException if the snapshot part is not {@code latest} or hex digits
     */
    public static RestorePlanner parse(OpenRepository repo, String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        RestorePlanner p = of(repo, SnapshotSelector.parse(colon < 0 ? spec : spec.substring(0, colon)));
        if (colon >= 0) {
            p.subPath(spec.substring(colon + 1));
        }
        return p;
    }

    private void once(String option) {
        if (!set.add(option)) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /**
     * Restores only this directory (or file) of the snapshot, as the target's root (restic's
     * {@code SNAPSHOT:PATH}). Given with or without a leading '/'.
     *
     * @throws IllegalArgumentException for a path with empty, {@code .} or {@code ..} elements
     */
    public RestorePlanner subPath(String path) {
        once("subPath");
        Objects.requireNonNull(path, "path");
        String p = path.startsWith("/") ? path : "/" + path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.equals("/")) {
            for (String c : p.substring(1).split("/", -1)) {
                if (!Names.safe(c)) {
                    throw new IllegalArgumentException("invalid snapshot path '" + Names.printable(path)
                            + "': give a path such as /var/www, without '.', '..' or empty elements");
                }
            }
        }
        this.subPath = p;
        return this;
    }

    /** Restores only entries matching the glob and what is below them (several: any). */
    public RestorePlanner include(String glob) {
        PathFilter.of(List.of(glob));
        includes.add(glob);
        return this;
    }

    /** Leaves out entries matching the glob and what is below them (several: any). */
    public RestorePlanner exclude(String glob) {
        PathFilter.of(List.of(glob));
        excludes.add(glob);
        return this;
    }

    /** What to do with entries that already exist (default {@link OverwritePolicy#IF_CHANGED}). */
    public RestorePlanner overwrite(OverwritePolicy policy) {
        once("overwrite");
        this.overwrite = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * With {@link OverwritePolicy#IF_CHANGED}, compare existing files by content (SHA-256 of each blob's range)
     * rather than by size and modification time. Slower: every existing file in scope is read.
     */
    public RestorePlanner compareContent(boolean enabled) {
        once("compareContent");
        this.compareContent = enabled;
        return this;
    }

    /**
     * Also remove entries of the target that are not in the snapshot, within the restored scope (restic's
     * {@code --delete}). Without it, nothing is ever deleted.
     */
    public RestorePlanner delete(boolean enabled) {
        once("delete");
        this.delete = enabled;
        return this;
    }

    /** Packs a previous check found damaged; files using them are listed as problems (restore still tries them). */
    public RestorePlanner knownDamagedPacks(Collection<Id> packs) {
        once("knownDamagedPacks");
        this.damagedPacks = Set.copyOf(packs);
        return this;
    }

    /** Plans under a lock the caller holds instead of taking a shared one (see {@link OperationLock}). */
    public RestorePlanner lock(RepositoryLock lock) {
        once("lock");
        this.held = Objects.requireNonNull(lock, "lock");
        return this;
    }

    /** Plans without a lock (restic's {@code --no-lock}): a prune running meanwhile may remove what is read. */
    public RestorePlanner withoutLock() {
        once("withoutLock");
        this.noLock = true;
        return this;
    }

    /**
     * Computes the plan under a shared lock. Reads the snapshot's trees and inspects the target; writes nothing.
     *
     * @throws dev.backup4j.core.common.NoSuchSnapshotException if no snapshot matches the selector
     * @throws UnsafeEntryException if a tree in scope holds a name that could escape the target
     * @throws dev.backup4j.core.common.NoSuchPathException if the sub-path is not in the snapshot, or is there below a
     *     file (the caller's path, not damage)
     * @throws CorruptDataException if a tree is damaged
     */
    public RestorePlan plan(RestoreTarget target) throws IOException {
        Objects.requireNonNull(target, "target");
        if (held != null && noLock) {
            throw new IllegalStateException("lock and withoutLock exclude each other");
        }
        try (OperationLock lock = noLock ? OperationLock.none() : OperationLock.shared(repo, Optional.ofNullable(held))) {
            RestorePlan plan = planLocked(target);
            lock.confirm();
            return plan;
        }
    }

    private RestorePlan planLocked(RestoreTarget target) throws IOException {
        SnapshotChoice choice = selector.select(repo.snapshots());
        Walk w = new Walk(choice.snapshot(), target);
        Snapshot snap = choice.snapshot();
        if (subPath.equals("/")) {
            w.dir(snap.tree(), "/", "", true);
        } else {
            Node node = w.locate(snap.tree(), subPath);
            if (node.type() == NodeType.DIR) {
                w.dir(subtree(node, subPath, snap), "/", subPath, true);
            } else {
                // a single file (or link): restored under its own name into the target
                w.dir(new Tree(List.of(node)), "/", Names.parent(subPath).equals("/") ? "" : Names.parent(subPath),
                        true);
            }
        }
        return new RestorePlan(choice, subPath, includes, excludes, target.toString(), w.actions, w.packReads(),
                w.problems);
    }

    private static Id subtree(Node n, String path, Snapshot snap) throws CorruptDataException {
        return n.subtree().orElseThrow(() -> new CorruptDataException("snapshot " + snap.requireId().shortString()
                + ": directory " + path + " has no subtree"));
    }

    /** One walk over the scope. */
    private final class Walk {
        final Snapshot snap;
        final RestoreTarget target;
        final PathFilter inc = PathFilter.of(includes);
        final PathFilter exc = PathFilter.of(excludes);
        final List<RestoreAction> actions = new ArrayList<>();
        final List<RestoreProblem> problems = new ArrayList<>();
        final Map<Id, Map<Id, PackedBlob>> packs = new LinkedHashMap<>();
        final Index index = repo.index();
        /** The path restored first for each hard-linked file ({@code device:inode}), as restic keys them. */
        final Map<String, String> hardLinks = new HashMap<>();

        Walk(Snapshot snap, RestoreTarget target) {
            this.snap = snap;
            this.target = target;
        }

        Tree tree(Id id, String where) throws IOException {
            Tree t = repo.loadTree(id);
            for (Node n : t.nodes()) {
                if (!Names.safe(n.name())) {
                    throw new UnsafeEntryException("snapshot " + snap.requireId().shortString()
                            + " holds an unsafe entry name '" + Names.printable(n.name()) + "' in '"
                            + (where.isEmpty() ? "/" : where) + "'; refusing to restore it (nothing was written)");
                }
            }
            return t;
        }

        Node locate(Id root, String path) throws IOException {
            Id tree = root;
            String where = "";
            Node found = null;
            for (String c : path.substring(1).split("/")) {
                if (found != null) {
                    tree = subtree(found, where, snap);
                }
                Tree t = tree(tree, where);
                String at = where;
                found = t.find(c).orElseThrow(() -> new dev.backup4j.core.common.NoSuchPathException(path,
                        "snapshot " + snap.requireId().shortString() + " has no '" + c + "' in '"
                        + (at.isEmpty() ? "/" : at) + "'; check the path with the snapshot's listing"));
                where = where + "/" + c;
                if (found.type() != NodeType.DIR && !where.equals(path)) {
                    throw new dev.backup4j.core.common.NoSuchPathException(path, "snapshot "
                            + snap.requireId().shortString() + ": " + where + " is a " + found.type()
                            + ", not a directory");
                }
            }
            return found;
        }

        boolean selected(String path) {
            return includes.isEmpty() || inc.matchesOrUnder(path);
        }

        boolean excluded(String path) {
            return !excludes.isEmpty() && exc.matchesOrUnder(path);
        }

        /**
         * Plans the entries of one snapshot directory placed at target path {@code dir}.
         *
         * @param real whether {@code dir} exists in the target as a real directory (else nothing below is inspected)
         * @return true if any action was added (so the directory itself is needed)
         */
        boolean dir(Id treeId, String dir, String snapDir, boolean real) throws IOException {
            return dir(tree(treeId, snapDir), dir, snapDir, real);
        }

        boolean dir(Tree tree, String dir, String snapDir, boolean real) throws IOException {
            int before = actions.size();
            Set<String> names = new HashSet<>();
            for (Node n : tree.nodes()) {
                names.add(n.name());
                String p = Names.child(dir, n.name());
                if (excluded(p)) {
                    continue;
                }
                Optional<RestoreTarget.Existing> ex = real ? target.inspect(p) : Optional.empty();
                if (n.type() == NodeType.DIR) {
                    directory(n, p, snapDir + "/" + n.name(), ex);
                } else if (selected(p)) {
                    entry(n, p, ex);
                }
            }
            if (delete && real) {
                for (String name : target.list(dir)) {
                    String p = Names.child(dir, name);
                    if (!names.contains(name) && !excluded(p) && selected(p)) {
                        deleteTree(p, target.inspect(p), "not in the snapshot");
                    }
                }
            }
            return actions.size() > before;
        }

        void directory(Node n, String p, String snapPath, Optional<RestoreTarget.Existing> ex) throws IOException {
            Id sub = subtree(n, snapPath, snap);
            boolean isDir = ex.isPresent() && ex.get().type() == NodeType.DIR;
            RestoreAction.Kind kind;
            String reason;
            if (ex.isEmpty()) {
                kind = RestoreAction.Kind.CREATE;
                reason = "missing";
            } else if (isDir) {
                kind = RestoreAction.Kind.KEEP;
                reason = "exists";
            } else if (overwrite == OverwritePolicy.NEVER) {
                problems.add(new RestoreProblem(RestoreProblem.Kind.IN_THE_WAY, p, "a " + ex.get().type()
                        + " is where the snapshot has a directory, and overwrite is 'never'; not restoring below it"));
                return;
            } else {
                kind = RestoreAction.Kind.OVERWRITE;
                reason = "replaces a " + ex.get().type();
            }
            int at = actions.size();
            actions.add(new RestoreAction(kind, p, NodeType.DIR, 0, reason, Optional.of(n)));
            boolean any = dir(sub, p, snapPath, isDir);
            if (!any && !selected(p)) {
                actions.remove(at); // only walked through, looking for included entries below
            }
        }

        void entry(Node n, String p, Optional<RestoreTarget.Existing> ex) throws IOException {
            NodeType t = n.type();
            if (t == NodeType.SOCKET || t == NodeType.IRREGULAR) {
                actions.add(new RestoreAction(RestoreAction.Kind.SKIP, p, t, 0, t == NodeType.SOCKET
                        ? "sockets are not restored (restic does not restore them either)"
                        : "irregular entries are not restored", Optional.of(n)));
                return;
            }
            String linkKey = t == NodeType.FILE && n.links() > 1 && n.inode() != 0 ? n.deviceId() + ":" + n.inode()
                    : null;
            String first = linkKey == null ? null : hardLinks.get(linkKey);
            long size = t == NodeType.FILE ? n.size() : 0;
            int before = actions.size();
            if (ex.isEmpty()) {
                add(RestoreAction.Kind.CREATE, n, p, "missing", first);
            } else if (ex.get().type() == NodeType.DIR) {
                if (delete) {
                    deleteTree(p, ex, "a directory is where the snapshot has a " + t);
                    add(RestoreAction.Kind.OVERWRITE, n, p, "replaces a directory", first);
                } else {
                    problems.add(new RestoreProblem(RestoreProblem.Kind.IN_THE_WAY, p, "a directory is where the "
                            + "snapshot has a " + t + "; it is only removed with delete enabled"));
                    actions.add(new RestoreAction(RestoreAction.Kind.SKIP, p, t, size, "a directory is in the way",
                            Optional.of(n)));
                }
            } else if (overwrite == OverwritePolicy.NEVER) {
                actions.add(new RestoreAction(RestoreAction.Kind.KEEP, p, t, ex.get().size(),
                        "exists (overwrite never)", Optional.of(n)));
            } else if (overwrite == OverwritePolicy.ALWAYS || first != null) {
                // a further hard link is made again: whether the existing file is that link cannot be told
                add(RestoreAction.Kind.OVERWRITE, n, p, first != null ? "hard link" : "overwrite always", first);
            } else {
                String diff = difference(n, p, ex.get());
                if (diff.isEmpty()) {
                    actions.add(new RestoreAction(RestoreAction.Kind.KEEP, p, t, size, "identical", Optional.of(n)));
                } else {
                    add(RestoreAction.Kind.OVERWRITE, n, p, diff, null);
                }
            }
            if (linkKey != null && first == null && actions.size() > before
                    && actions.get(actions.size() - 1).kind() != RestoreAction.Kind.SKIP) {
                hardLinks.put(linkKey, p); // the first link restored: the others are linked to it
            }
        }

        /** "" if the existing entry matches the node; else what differs. */
        String difference(Node n, String p, RestoreTarget.Existing e) throws IOException {
            NodeType t = n.type();
            if (t == NodeType.FILE) {
                return fileDifference(n, p, e);
            }
            if (e.type() != t) {
                return "a " + e.type() + " is in the way";
            }
            if (t == NodeType.SYMLINK) {
                return e.linkTarget().equals(n.linkTarget()) ? "" : "link target differs";
            }
            if (e.permissions() != n.permissions()) {
                return "permissions differ";
            }
            return e.device() == n.device() ? "" : "device number differs";
        }

        /** "" if the existing file matches the node; else what differs. */
        String fileDifference(Node n, String p, RestoreTarget.Existing e) throws IOException {
            if (e.type() != NodeType.FILE) {
                return "a " + e.type() + " is in the way";
            }
            if (e.size() != n.size()) {
                return "size differs";
            }
            if (!e.mtime().equals(n.mtime().toInstant())) {
                if (!compareContent) {
                    return "modification time differs";
                }
            }
            if (e.permissions() != n.permissions()) {
                return "permissions differ";
            }
            if (compareContent) {
                if (!sameContent(n, p)) {
                    return "content differs";
                }
                if (!e.mtime().equals(n.mtime().toInstant())) {
                    return "modification time differs";
                }
            }
            return "";
        }

        boolean sameContent(Node n, String p) throws IOException {
            try (InputStream in = target.read(p)) {
                for (Id id : n.content()) {
                    Optional<Index.Location> loc = index.find(BlobType.DATA, id);
                    if (loc.isEmpty()) {
                        return false;
                    }
                    byte[] buf = in.readNBytes(loc.get().blob().plaintextLength());
                    MessageDigest md = Id.sha256();
                    md.update(buf);
                    if (!Id.of(md.digest()).equals(id)) {
                        return false;
                    }
                }
                return in.read() < 0;
            }
        }

        void add(RestoreAction.Kind kind, Node n, String p, String reason, String hardLinkTo) {
            long size = n.type() == NodeType.FILE ? n.size() : 0;
            if (hardLinkTo != null) {
                actions.add(new RestoreAction(kind, p, n.type(), size, reason + ": hard link to "
                        + FileNames.printable(hardLinkTo), Optional.of(n), hardLinkTo));
                return;
            }
            actions.add(new RestoreAction(kind, p, n.type(), size, reason, Optional.of(n)));
            if (n.type() != NodeType.FILE) {
                return;
            }
            for (Id id : n.content()) {
                Optional<Index.Location> loc = index.find(BlobType.DATA, id);
                if (loc.isEmpty()) {
                    problems.add(new RestoreProblem(RestoreProblem.Kind.MISSING_BLOB, p, "data blob "
                            + id.shortString() + " is not in the index; the file cannot be restored"));
                    continue;
                }
                Id pack = loc.get().pack();
                if (damagedPacks.contains(pack)) {
                    problems.add(new RestoreProblem(RestoreProblem.Kind.DAMAGED_PACK, p, "data blob "
                            + id.shortString() + " is in pack " + pack.shortString() + ", which a check found damaged"));
                }
                // a hash map: the blobs are sorted by offset in packReads()
                packs.computeIfAbsent(pack, k -> new HashMap<>()).putIfAbsent(id, loc.get().blob());
            }
        }

        /** Deletes an entry of the target and, for a directory, everything below it (children first). */
        void deleteTree(String p, Optional<RestoreTarget.Existing> ex, String reason) throws IOException {
            if (ex.isEmpty()) {
                return;
            }
            RestoreTarget.Existing e = ex.get();
            if (e.type() == NodeType.DIR) {
                for (String c : target.list(p)) {
                    String cp = Names.child(p, c);
                    deleteTree(cp, target.inspect(cp), reason);
                }
            }
            actions.add(new RestoreAction(RestoreAction.Kind.DELETE, p, e.type(), e.size(), reason, Optional.empty()));
        }

        List<PackRead> packReads() {
            List<PackRead> out = new ArrayList<>();
            for (Map.Entry<Id, Map<Id, PackedBlob>> e : packs.entrySet()) {
                List<PackedBlob> blobs = new ArrayList<>(e.getValue().values());
                blobs.sort(Comparator.comparingLong(PackedBlob::offset));
                List<PackRead.Range> ranges = new ArrayList<>();
                List<PackedBlob> cur = new ArrayList<>();
                long start = 0;
                long end = 0;
                for (PackedBlob b : blobs) {
                    if (!cur.isEmpty() && (b.offset() - end > MERGE_GAP || b.offset() + b.length() - start > MAX_RANGE
                            || b.offset() < end)) {
                        ranges.add(new PackRead.Range(start, (int) (end - start), cur));
                        cur = new ArrayList<>();
                    }
                    if (cur.isEmpty()) {
                        start = b.offset();
                    }
                    cur.add(b);
                    end = b.offset() + b.length();
                }
                if (!cur.isEmpty()) {
                    ranges.add(new PackRead.Range(start, (int) (end - start), cur));
                }
                out.add(new PackRead(e.getKey(), ranges));
            }
            return out;
        }
    }
}
