package dev.backup4j.core.browse;

import static dev.backup4j.core.browse.BrowseFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** restic's four stats modes on a hand-made tree with hard links, duplicate files and a duplicated directory. */
class SnapshotStatsTest {
    private Repository repo;
    private Snapshot a;
    private Snapshot b;
    private Id dTree;

    private Node file(String name, long inode, String... pieces) throws IOException {
        return BrowseFixtures.fileNode(repo, name, pieces).inode(inode, 1, 1).build();
    }

    @BeforeEach
    void setUp() throws IOException {
        repo = BrowseFixtures.opener(Backends.inMemory()).init();
        // h1 and h2 are hard links (inode 10); dup has their content under another inode
        Node d = BrowseFixtures.dir(repo, "d", file("h1", 10, "hh"), file("h2", 10, "hh"), file("dup", 11, "hh"),
                file("u", 12, "uu"));
        dTree = d.subtree().get();
        Node d2 = Node.builder("d2", NodeType.DIR).unixMode(0755).mtime(T0).atime(T0).ctime(T0).subtree(dTree)
                .build(); // the same tree under another name
        Node empty = Node.builder("e", NodeType.FILE).unixMode(0644).inode(13, 1, 1).build();
        Node link = BrowseFixtures.symlink("l", "d").toBuilder().inode(14, 1, 1).build();
        Node multi = file("multi", 15, "p1", "p2", "p1"); // one blob twice
        a = BrowseFixtures.snapshot(repo, T0, d, d2, empty, link, multi);
        b = BrowseFixtures.snapshot(repo, T0.plusDays(1), d, file("new", 20, "nn"));
    }

    private SnapshotStats.Result run(SnapshotStats.Mode mode, Snapshot... snaps) throws IOException {
        return SnapshotStats.of(repo).mode(mode).snapshots(List.of(snaps)).run();
    }

    @Test
    void restoreSizeCountsEveryEntryAndEachInodeOnce() throws IOException {
        // 5 top-level entries + 4 in d + 4 in d2; sizes: h1 2 (h2 is the same inode), dup 2, u 2, multi 6
        assertEquals(new SnapshotStats.Result(SnapshotStats.Mode.RESTORE_SIZE, 12, 13, 0, 1),
                run(SnapshotStats.Mode.RESTORE_SIZE, a));
        // b: d with its 4 entries and new (6 entries, 2 + 2 + 2 + 2 bytes); inodes are counted per snapshot
        assertEquals(new SnapshotStats.Result(SnapshotStats.Mode.RESTORE_SIZE, 20, 19, 0, 2),
                run(SnapshotStats.Mode.RESTORE_SIZE, a, b));
        assertEquals(SnapshotStats.Mode.RESTORE_SIZE, SnapshotStats.of(repo).snapshot(a).run().mode());
    }

    @Test
    void filesByContentsCountsEachContentOnce() throws IOException {
        // [] (d, e, l, the directories), [hh], [uu], [p1 p2 p1]
        assertEquals(new SnapshotStats.Result(SnapshotStats.Mode.FILES_BY_CONTENTS, 10, 4, 0, 1),
                run(SnapshotStats.Mode.FILES_BY_CONTENTS, a));
        assertEquals(new SnapshotStats.Result(SnapshotStats.Mode.FILES_BY_CONTENTS, 12, 5, 0, 2),
                run(SnapshotStats.Mode.FILES_BY_CONTENTS, a, b));
    }

    @Test
    void blobsPerFileCountsDistinctBlobsOfFilesWithNewContent() throws IOException {
        // /d/dup [hh] (h1, h2 have the same content), /d/u [uu], /multi [p1 p2] (p1 once)
        assertEquals(new SnapshotStats.Result(SnapshotStats.Mode.BLOBS_PER_FILE, 8, 3, 4, 1),
                run(SnapshotStats.Mode.BLOBS_PER_FILE, a));
        assertEquals(new SnapshotStats.Result(SnapshotStats.Mode.BLOBS_PER_FILE, 10, 4, 5, 2),
                run(SnapshotStats.Mode.BLOBS_PER_FILE, a, b));
    }

    @Test
    void rawDataCountsDistinctStoredBlobsAtTheirStoredSize() throws IOException {
        List<Id> trees = List.of(a.tree(), dTree);
        List<Id> data = List.of(blob("hh"), blob("uu"), blob("p1"), blob("p2"));
        assertEquals(new SnapshotStats.Result(SnapshotStats.Mode.RAW_DATA, stored(trees, data), 0, 6, 1),
                run(SnapshotStats.Mode.RAW_DATA, a));
        List<Id> trees2 = List.of(a.tree(), dTree, b.tree());
        List<Id> data2 = List.of(blob("hh"), blob("uu"), blob("p1"), blob("p2"), blob("nn"));
        assertEquals(new SnapshotStats.Result(SnapshotStats.Mode.RAW_DATA, stored(trees2, data2), 0, 8, 2),
                run(SnapshotStats.Mode.RAW_DATA, a, b));
    }

    @Test
    void modesHaveResticsNames() {
        assertEquals(SnapshotStats.Mode.BLOBS_PER_FILE, SnapshotStats.Mode.parse("blobs-per-file"));
        assertEquals("raw-data", SnapshotStats.Mode.RAW_DATA.flag());
        assertThrows(IllegalArgumentException.class, () -> SnapshotStats.Mode.parse("sizes"));
        assertThrows(IllegalStateException.class, () -> SnapshotStats.of(repo).mode(SnapshotStats.Mode.RAW_DATA)
                .mode(SnapshotStats.Mode.RESTORE_SIZE));
    }

    private static Id blob(String content) {
        return Id.hash(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Sealed (stored) sizes from the index, and a check that each tree is one of the snapshot's. */
    private long stored(List<Id> trees, List<Id> data) throws IOException {
        long n = 0;
        for (Id t : trees) {
            Tree.parse(repo.loadBlob(BlobType.TREE, t), "tree");
            n += repo.index().find(BlobType.TREE, t).orElseThrow().blob().length();
        }
        for (Id d : data) {
            n += repo.index().find(BlobType.DATA, d).orElseThrow().blob().length();
        }
        return n;
    }
}
