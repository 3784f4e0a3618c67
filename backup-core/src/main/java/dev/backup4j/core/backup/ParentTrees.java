package dev.backup4j.core.backup;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.SourceEntry;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent snapshot's trees as a backup's walk needs them: each directory's tree loaded when the walk gets there,
 * or ahead of it on the prefetch thread, a few subdirectories at a time.
 */
final class ParentTrees {
    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);
    private static final int PREFETCH = 4;

    private final OpenRepository repo;
    private final ExecutorService prefetcher;
    private final PathFilter excludes;
    private final BooleanSupplier cancelled;
    /** Parent trees being loaded ahead of the walk, by tree id. */
    private final Map<Id, CompletableFuture<ParentDir>> prefetched = new ConcurrentHashMap<>();

    ParentTrees(OpenRepository repo, ExecutorService prefetcher, PathFilter excludes, BooleanSupplier cancelled) {
        this.repo = repo;
        this.prefetcher = prefetcher;
        this.excludes = excludes;
        this.cancelled = cancelled;
    }

    /** A parent directory's tree: its id, its nodes, and the nodes by name. */
    record ParentDir(Id id, List<Node> nodes, Map<String, Node> byName) {
        static final ParentDir NONE = new ParentDir(null, List.of(), Map.of());
    }

    /** Loads a parent directory's tree; none if there is no parent or its tree cannot be read. */
    ParentDir parentDir(Optional<Node> parentDir) {
        Id id = subtreeOf(parentDir.orElse(null));
        if (id == null) {
            return ParentDir.NONE;
        }
        CompletableFuture<ParentDir> ahead = prefetched.remove(id);
        return ahead != null ? ahead.join() : loadParentDir(id);
    }

    static Id subtreeOf(Node n) {
        return n == null || n.type() != NodeType.DIR ? null : n.subtree().orElse(null);
    }

    private ParentDir loadParentDir(Id id) {
        try {
            List<Node> nodes = repo.loadTree(id).nodes();
            Map<String, Node> m = new HashMap<>(nodes.size() * 4 / 3 + 1);
            for (Node n : nodes) {
                m.put(n.name(), n);
            }
            return new ParentDir(id, nodes, m);
        } catch (IOException | RuntimeException e) {
            if (!cancelled.getAsBoolean()) {
                LOG.info("parent tree unreadable, backing up without it: {}", e.getMessage());
            }
            return ParentDir.NONE;
        }
    }

    /**
     * Starts loading the parent trees of the next {@link #PREFETCH} subdirectories after {@code from}, so that the
     * walk (one thread, depth first) finds them decoded when it gets there. At most that many per directory on the
     * walk's path are held, whatever the size of the tree.
     */
    void prefetch(List<SourceEntry> entries, Map<String, Node> old, int from, String path) {
        if (old.isEmpty()) {
            return;
        }
        int started = 0;
        for (int i = from; i < entries.size() && started < PREFETCH; i++) {
            SourceEntry c = entries.get(i);
            if (c.metadata().type() != NodeType.DIR) {
                continue;
            }
            started++;
            Id id = subtreeOf(old.get(c.metadata().name()));
            if (id != null && excludes.matches(path + "/" + c.metadata().name())) {
                continue;
            }
            if (id != null && !prefetched.containsKey(id)) {
                prefetchTree(id);
            }
        }
    }

    /** Starts loading a parent tree on the prefetch thread, unless it is loading already. */
    void prefetchTree(Id id) {
        prefetched.computeIfAbsent(id, k -> {
            try {
                return CompletableFuture.supplyAsync(() -> loadParentDir(k), prefetcher);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.completedFuture(ParentDir.NONE); // cancelled: the walk stops anyway
            }
        });
    }

    /** Drops a tree loaded ahead for an entry the walk left out. */
    void forget(Id id) {
        prefetched.remove(id);
    }

    /** On a cancel: a walk waiting for a tree that will never load goes on and stops. */
    void cancel() {
        for (CompletableFuture<ParentDir> f : prefetched.values()) {
            f.complete(ParentDir.NONE);
        }
    }
}
