package dev.backup4j.ops.history;

import dev.backup4j.core.Repository;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The regular files below a path of a snapshot, read from its trees. A directory's file list is computed once per
 * tree id and shared: consecutive snapshots mostly share their trees, so listing a path across hundreds of snapshots
 * reads each distinct tree once. Thread-safe (synchronized); the cache holds at most {@code maxTrees} listings.
 */
final class TreeFiles {

    /** One version of a file: its content key, size and modification time. */
    record Facts(String content, long size, OffsetDateTime mtime) {
    }

    private final Repository repo;
    private final Map<Id, Map<String, Facts>> listings;

    TreeFiles(Repository repo, int maxTrees) {
        this.repo = repo;
        this.listings = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Id, Map<String, Facts>> e) {
                return size() > maxTrees;
            }
        };
    }

    /** The content key of a file: SHA-256 over its blob ids, hex. Equal contents give equal keys. */
    static String contentKey(Node file) {
        MessageDigest sha = Id.sha256();
        for (Id blob : file.content()) {
            sha.update(blob.toBytes());
        }
        return Id.of(sha.digest()).toString();
    }

    /** Absolute path to facts for every regular file at or below {@code under} ("/" for all). */
    synchronized Map<String, Facts> filesUnder(Snapshot s, String under) throws IOException {
        String clean = under.length() > 1 && under.endsWith("/") ? under.substring(0, under.length() - 1) : under;
        Id tree = s.tree();
        String at = "";
        if (!clean.equals("/")) {
            String[] names = clean.substring(1).split("/");
            for (int i = 0; i < names.length; i++) {
                Optional<Node> n = repo.loadTree(tree).find(names[i]);
                if (n.isEmpty()) {
                    return Map.of();
                }
                at = at + "/" + names[i];
                if (n.get().type() == NodeType.FILE) {
                    return i == names.length - 1 ? Map.of(at, facts(n.get())) : Map.of();
                }
                if (n.get().type() != NodeType.DIR || n.get().subtree().isEmpty()) {
                    return Map.of();
                }
                tree = n.get().subtree().get();
            }
        }
        Map<String, Facts> rel = listing(tree);
        Map<String, Facts> out = new HashMap<>(rel.size() * 2);
        for (Map.Entry<String, Facts> e : rel.entrySet()) {
            out.put(at + e.getKey(), e.getValue());
        }
        return out;
    }

    private static Facts facts(Node n) {
        return new Facts(contentKey(n), n.size(), n.mtime());
    }

    /** Paths relative to the tree, each starting with '/'. */
    private Map<String, Facts> listing(Id tree) throws IOException {
        Map<String, Facts> cached = listings.get(tree);
        if (cached != null) {
            return cached;
        }
        Map<String, Facts> out = new HashMap<>();
        Tree t = repo.loadTree(tree);
        for (Node n : t.nodes()) {
            if (n.type() == NodeType.FILE) {
                out.put("/" + n.name(), facts(n));
            } else if (n.type() == NodeType.DIR && n.subtree().isPresent()) {
                for (Map.Entry<String, Facts> e : listing(n.subtree().get()).entrySet()) {
                    out.put("/" + n.name() + e.getKey(), e.getValue());
                }
            }
        }
        Map<String, Facts> frozen = Collections.unmodifiableMap(out);
        listings.put(tree, frozen);
        return frozen;
    }
}
