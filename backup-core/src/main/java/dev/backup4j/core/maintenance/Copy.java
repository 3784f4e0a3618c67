package dev.backup4j.core.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.Json;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Copies snapshots into another repository (its own password, keys and master key), transferring only the blobs the
 * destination lacks, as {@code restic copy}. The copy records the source snapshot in {@code original}; a snapshot
 * whose copy is already in the destination is skipped, so copying twice adds nothing.
 *
 * <pre>{@code
 * try (Repository src = Repository.at(Backends.local(Path.of("/srv/backups/lms"))).password(pw).open();
 *      Repository dst = Repository.at(Backends.local(Path.of("/mnt/offsite/lms"))).password(dstPw).open()) {
 *     CopyResult r = Copy.from(src).to(dst).snapshots(src.snapshots()).run();
 * }
 * }</pre>
 *
 * <p>Order: blobs, then {@code flush()} (packs and their index), then each snapshot file, so an interrupted copy
 * leaves at most unreferenced data in the destination. Hold a shared lock on both repositories. Blobs are decrypted
 * with the source key and sealed again with the destination's; ids stay the same, so the destination's
 * deduplication works against data it already has.
 *
 * <p>Not thread-safe: configure and run it on one thread; use one per operation.
 */
public final class Copy {
    private final OpenRepository src;
    private OpenRepository dst;
    private List<Snapshot> selected;
    private RepositoryLock srcLock;
    private RepositoryLock dstLock;

    private Copy(OpenRepository src) {
        this.src = src;
    }

    /** Starts a copy from {@code source}. */
    public static Copy from(OpenRepository source) {
        return new Copy(Objects.requireNonNull(source, "source"));
    }

    /** The destination repository. */
    public Copy to(OpenRepository destination) {
        if (dst != null) {
            throw new IllegalStateException("the destination was already set");
        }
        dst = Objects.requireNonNull(destination, "destination");
        return this;
    }

    /** The source snapshots to copy (default: all). */
    public Copy snapshots(List<Snapshot> which) {
        if (selected != null) {
            throw new IllegalStateException("snapshots were already set");
        }
        selected = List.copyOf(which);
        return this;
    }

    /** Runs under locks the caller holds on the source and the destination instead of taking shared ones. */
    public Copy locks(RepositoryLock source, RepositoryLock destination) {
        if (srcLock != null) {
            throw new IllegalStateException("locks were already set");
        }
        srcLock = Objects.requireNonNull(source, "source");
        dstLock = Objects.requireNonNull(destination, "destination");
        return this;
    }

    /**
     * Copies, holding a shared lock on both repositories (as restic's copy): a prune of either waits or fails.
     *
     * @throws IllegalStateException if no destination was set, or it is the source
     * @throws dev.backup4j.core.common.RepositoryLockedException if either repository is locked exclusively and
     *     still is after its lock wait
     */
    public CopyResult run() throws IOException {
        if (dst == null) {
            throw new IllegalStateException("set the destination first: to(repository)");
        }
        if (dst.config().id().equals(src.config().id())) {
            throw new IllegalStateException("source and destination are the same repository");
        }
        try (OperationLock s = OperationLock.shared(src, java.util.Optional.ofNullable(srcLock));
                OperationLock d = OperationLock.shared(dst, java.util.Optional.ofNullable(dstLock))) {
            s.confirm();
            d.confirm();
            return copyLocked();
        }
    }

    private CopyResult copyLocked() throws IOException {
        List<Snapshot> todo = selected != null ? selected : src.snapshots();
        Map<Id, Set<Id>> present = new LinkedHashMap<>(); // original id -> trees of its copies in dst
        for (Snapshot d : dst.snapshots()) {
            present.computeIfAbsent(d.original().orElse(d.requireId()), k -> new HashSet<>()).add(d.tree());
        }
        Map<Id, Id> copied = new LinkedHashMap<>();
        List<Id> skipped = new ArrayList<>();
        long[] counts = new long[2];
        Set<Id> seenTrees = new HashSet<>();
        for (Snapshot s : todo) {
            Id origin = s.original().orElse(s.requireId());
            if (present.getOrDefault(origin, Set.of()).contains(s.tree())) {
                skipped.add(s.requireId());
                continue;
            }
            copyTree(s.tree(), seenTrees, counts);
            dst.flush();
            ObjectNode json = (ObjectNode) Json.parse(src.loadJson(Handle.of(FileType.SNAPSHOT, s.requireId())),
                    "snapshot " + s.requireId().shortString());
            if (!json.hasNonNull("original")) {
                json.put("original", s.requireId().toString());
            }
            Id id = dst.saveJson(FileType.SNAPSHOT, Json.toBytes(json));
            copied.put(s.requireId(), id);
            present.computeIfAbsent(origin, k -> new HashSet<>()).add(s.tree());
        }
        return new CopyResult(copied, skipped, counts[0], counts[1]);
    }

    private void copyTree(Id root, Set<Id> seen, long[] counts) throws IOException {
        List<Id> stack = new ArrayList<>(List.of(root));
        while (!stack.isEmpty()) {
            Id tree = stack.remove(stack.size() - 1);
            // a tree the destination has is complete there (everything below it was stored before it)
            if (!seen.add(tree) || dst.index().has(BlobType.TREE, tree)) {
                continue;
            }
            byte[] json = src.loadBlob(BlobType.TREE, tree);
            for (Node n : dev.backup4j.core.snapshot.Tree.parse(json, "tree " + tree.shortString()).nodes()) {
                if (n.type() == NodeType.DIR) {
                    n.subtree().ifPresent(stack::add);
                } else if (n.type() == NodeType.FILE) {
                    for (Id c : n.content()) {
                        if (!dst.index().has(BlobType.DATA, c)) {
                            byte[] data = src.loadBlob(BlobType.DATA, c);
                            if (dst.saveBlob(BlobType.DATA, c, data, 0, data.length)) {
                                counts[0]++;
                                counts[1] += data.length;
                            }
                        }
                    }
                }
            }
            // children are stored by the time the destination's index is flushed; the tree goes in the same flush
            if (dst.saveBlob(BlobType.TREE, tree, json, 0, json.length)) {
                counts[0]++;
                counts[1] += json.length;
            }
        }
    }
}
