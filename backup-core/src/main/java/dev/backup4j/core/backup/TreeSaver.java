package dev.backup4j.core.backup;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Saves a backup's directories once their children are done: the tree (or the parent's, if nothing changed), the
 * directory's node, and its entry for the next backup's directory cache. Works on its {@link Archiver}'s blob
 * threads and counters.
 */
final class TreeSaver {
    private final Archiver a;

    TreeSaver(Archiver a) {
        this.a = a;
    }

    /** A directory reused from the cache: its entries are counted as unchanged and the recorded tree is its tree. */
    CompletableFuture<Optional<Node>> reuse(String path, Node dirMeta, List<SourceEntry> kept,
            List<String> paths, List<CompletableFuture<Optional<Node>>> children, int subdirs, byte[] local,
            byte[] full, Id tree) {
        int nonDirs = 0;
        for (int i = 0; i < kept.size(); i++) {
            if (children.get(i) == null) {
                Node n = kept.get(i).metadata();
                if (n.type() == NodeType.FILE) {
                    a.filesUnmodified.incrementAndGet();
                    a.filesDone.incrementAndGet();
                    a.bytesProcessed.addAndGet(n.size());
                    a.listener.onFileDone(paths.get(i), n.size(), true);
                } else {
                    a.others.incrementAndGet();
                }
                nonDirs++;
            }
        }
        if (nonDirs + subdirs == 0 && !a.includes.isEmpty() && !a.includes.matchesOrUnder(path)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        a.dirsUnmodified.incrementAndGet();
        a.recorder.put(path, local, full, tree);
        return CompletableFuture.completedFuture(Optional.of(
                dirMeta.toBuilder().subtree(tree).size(0).content(List.of()).build()));
    }

    /**
     * Once a directory's children are done: its tree (the parent's, if nothing changed), its node for the tree above,
     * and its entry for the next backup's directory cache. {@code inputs} holds each child's metadata as listed;
     * {@code local} is their fingerprint if already computed, else null.
     */
    CompletableFuture<Optional<Node>> finishDir(String path, Node dirMeta, Optional<Node> parent,
            ParentTrees.ParentDir parentTree, List<CompletableFuture<Optional<Node>>> children, List<Node> inputs,
            boolean cleanSoFar, byte[] local) {
        return CompletableFuture.allOf(children.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
            List<Node> nodes = new ArrayList<>(children.size());
            List<Node> subdirs = new ArrayList<>();
            boolean clean = cleanSoFar;
            for (int i = 0; i < children.size(); i++) {
                Optional<Node> n = children.get(i).join();
                n.ifPresent(nodes::add);
                if (inputs.get(i).type() != NodeType.DIR) {
                    clean &= n.isPresent(); // an entry other than a directory is left out only after an error
                } else {
                    n.ifPresent(subdirs::add);
                }
            }
            clean &= !a.storedWithError.remove(path);
            if (!a.includes.isEmpty() && nodes.isEmpty() && !a.includes.matchesOrUnder(path)) {
                return Optional.<Node>empty();
            }
            Tree tree = new Tree(nodes);
            Id subtree;
            try {
                // an unchanged directory keeps its parent's tree blob: no need to encode and hash it again
                subtree = parentTree.id() != null && tree.nodes().equals(parentTree.nodes())
                        ? parentTree.id() : a.repo.saveTree(tree, a.added);
            } catch (IOException ex) {
                a.fail(ex);
                throw new UncheckedIOException(ex);
            }
            if (a.recorder != null) {
                if (clean) {
                    byte[] lp = local != null ? local : DirCache.Fingerprint.local(inputs);
                    a.recorder.put(path, lp, DirCache.Fingerprint.full(lp, subdirs), subtree);
                } else {
                    a.recorder.put(path, null, null, subtree);
                }
            }
            if (parent.isEmpty()) {
                a.dirsNew.incrementAndGet();
            } else if (parent.get().subtree().equals(Optional.of(subtree))) {
                a.dirsUnmodified.incrementAndGet();
            } else {
                a.dirsChanged.incrementAndGet();
            }
            return Optional.of(dirMeta.toBuilder().subtree(subtree).size(0).content(List.of()).build());
        }, a.blobs);
    }
}
