package dev.backup4j.core.browse;

import static dev.backup4j.core.browse.BrowseFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.common.NoSuchPathException;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.restore.SnapshotSelector;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing, lookup, streamed content, walks and missing paths on a hand-made snapshot. */
class SnapshotBrowserTest {
    private final BrowseFixtures.CountingBackend backend = new BrowseFixtures.CountingBackend(Backends.inMemory());
    private Repository repo;
    private Snapshot snap;
    private byte[][] bigPieces;

    @BeforeEach
    void setUp() throws IOException {
        repo = BrowseFixtures.opener(backend).init();
        Random rnd = new Random(11);
        bigPieces = new byte[][] {new byte[10_000], new byte[20_000], new byte[5]};
        for (byte[] p : bigPieces) {
            rnd.nextBytes(p);
        }
        Node big = Node.builder("big.bin", NodeType.FILE).unixMode(0640).mtime(T0).atime(T0).ctime(T0)
                .size(30_005).content(BrowseFixtures.blobs(repo, bigPieces)).build();
        snap = BrowseFixtures.snapshot(repo, T0,
                BrowseFixtures.dir(repo, "a",
                        BrowseFixtures.dir(repo, "b", BrowseFixtures.file(repo, "deep.txt", "deep\n")),
                        BrowseFixtures.file(repo, "x.txt", "x")),
                big,
                BrowseFixtures.file(repo, "empty"),
                BrowseFixtures.symlink("link", "big.bin"),
                BrowseFixtures.dir(repo, "z dir", BrowseFixtures.file(repo, "ü <&>.txt", "odd")));
    }

    private SnapshotBrowser browser() {
        return SnapshotBrowser.of(repo, snap);
    }

    private static List<String> paths(List<TreeEntry> l) {
        return l.stream().map(TreeEntry::path).toList();
    }

    @Test
    void listsADirectoryWithFullPathsInNameOrder() throws IOException {
        SnapshotBrowser b = browser();
        assertEquals(List.of("/a", "/big.bin", "/empty", "/link", "/z dir"), paths(b.list("/")));
        assertEquals(List.of("/a/b", "/a/x.txt"), paths(b.list("/a")));
        assertEquals(List.of("/a/b/deep.txt"), paths(b.list("a//b/")), "cleaned: no leading slash, extra slashes");
        assertEquals(List.of("/z dir/ü <&>.txt"), paths(b.list("/z dir")));
        TreeEntry x = b.list("/a").get(1);
        assertEquals("x.txt", x.node().name());
        assertEquals(1, x.node().size());
        assertFalse(x.isDirectory());
        assertTrue(b.list("/a").get(0).isDirectory());
    }

    @Test
    void statFindsEntriesAndReportsAbsentOnes() throws IOException {
        SnapshotBrowser b = browser();
        assertEquals(NodeType.SYMLINK, b.stat("/link").orElseThrow().type());
        assertEquals("big.bin", b.stat("/link").orElseThrow().linkTarget());
        assertEquals("deep.txt", b.stat("/a/b/deep.txt").orElseThrow().name());
        assertEquals("deep.txt", b.stat("/a/b/../b/./deep.txt").orElseThrow().name());
        Node root = b.stat("/").orElseThrow();
        assertEquals(NodeType.DIR, root.type());
        assertEquals(snap.tree(), root.subtree().orElseThrow());
        assertTrue(b.stat("/a/missing").isEmpty());
        assertTrue(b.stat("/a/x.txt/below-a-file").isEmpty());
        assertTrue(b.stat("/nothing/at/all").isEmpty());
    }

    @Test
    void opensAMultiBlobFileAsAStreamThatLoadsOneBlobAtATime() throws IOException {
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] p : bigPieces) {
            whole.write(p);
        }
        try (InputStream in = browser().open("/big.bin")) {
            assertArrayEquals(whole.toByteArray(), in.readAllBytes());
        }
        // odd buffer sizes and single bytes give the same bytes
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        try (InputStream in = browser().open("/big.bin")) {
            byte[] buf = new byte[7777];
            int first = in.read();
            pieces.write(first);
            int n;
            while ((n = in.read(buf, 3, 4001)) > 0) {
                pieces.write(buf, 3, n);
            }
            assertEquals(-1, in.read());
        }
        assertArrayEquals(whole.toByteArray(), pieces.toByteArray());

        SnapshotBrowser b = browser();
        int before = backend.packReads.get();
        try (InputStream in = b.open("/big.bin")) {
            int afterOpen = backend.packReads.get();
            assertEquals(bigPieces[0][0] & 0xFF, in.read());
            assertEquals(afterOpen + 1, backend.packReads.get(), "the first read loads the first blob only");
            assertEquals(10_000 - 1 + 20_000, in.skip(10_000 - 1 + 20_000));
            assertEquals(afterOpen + 1, backend.packReads.get(), "a blob skipped whole is not loaded");
            assertArrayEquals(bigPieces[2], in.readAllBytes());
            assertEquals(afterOpen + 2, backend.packReads.get());
        }
        assertTrue(backend.packReads.get() > before);
    }

    @Test
    void anEmptyFileIsAnEmptyStream() throws IOException {
        try (InputStream in = browser().open("/empty")) {
            assertEquals(-1, in.read());
            assertEquals(0, in.skip(10));
        }
    }

    @Test
    void aDamagedBlobFailsTheReadNotTheOpen() throws IOException {
        Snapshot s;
        try (Repository r = repo) {
            byte[] data = "content".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            dev.backup4j.core.common.Id missing = dev.backup4j.core.common.Id.hash(data);
            Node n = Node.builder("lost.txt", NodeType.FILE).unixMode(0644).size(data.length)
                    .content(List.of(missing)).build();
            s = BrowseFixtures.snapshot(r, T0.plusDays(1), n);
            InputStream in = SnapshotBrowser.of(r, s).open("/lost.txt");
            assertThrows(dev.backup4j.core.common.CorruptDataException.class, in::read);
            assertFalse(r.index().has(BlobType.DATA, missing));
        }
    }

    @Test
    void walksDepthFirstAndHonoursSkips() throws IOException {
        List<String> all = new ArrayList<>();
        browser().walk("/", e -> {
            all.add(e.path());
            return WalkAction.CONTINUE;
        });
        assertEquals(List.of("/a", "/a/b", "/a/b/deep.txt", "/a/x.txt", "/big.bin", "/empty", "/link", "/z dir",
                "/z dir/ü <&>.txt"), all);

        List<String> skipped = new ArrayList<>();
        browser().walk("/", e -> {
            skipped.add(e.path());
            return e.path().equals("/a/b") ? WalkAction.SKIP_SUBTREE : WalkAction.CONTINUE;
        });
        assertEquals(List.of("/a", "/a/b", "/a/x.txt", "/big.bin", "/empty", "/link", "/z dir", "/z dir/ü <&>.txt"),
                skipped);

        List<String> siblings = new ArrayList<>();
        browser().walk("/", e -> {
            siblings.add(e.path());
            return e.path().equals("/a/b") ? WalkAction.SKIP_SIBLINGS : WalkAction.CONTINUE;
        });
        assertEquals(List.of("/a", "/a/b", "/big.bin", "/empty", "/link", "/z dir", "/z dir/ü <&>.txt"), siblings);

        List<String> stopped = new ArrayList<>();
        browser().walk("/a", e -> {
            stopped.add(e.path());
            return e.path().equals("/a/b/deep.txt") ? WalkAction.TERMINATE : WalkAction.CONTINUE;
        });
        assertEquals(List.of("/a/b", "/a/b/deep.txt"), stopped);
    }

    @Test
    void aMissingPathIsNoSuchPathNamingIt() throws IOException {
        SnapshotBrowser b = browser();
        NoSuchPathException e = assertThrows(NoSuchPathException.class, () -> b.list("/a/nope/deeper"));
        assertEquals("/a/nope/deeper", e.path());
        assertTrue(e.getMessage().contains("/a/nope/deeper") && e.getMessage().contains("'nope' in /a"),
                e.getMessage());
        e = assertThrows(NoSuchPathException.class, () -> b.open("/a/missing.txt"));
        assertTrue(e.getMessage().contains("/a/missing.txt"), e.getMessage());
        e = assertThrows(NoSuchPathException.class, () -> b.walk("/typo", x -> WalkAction.CONTINUE));
        assertTrue(e.getMessage().contains("/typo"), e.getMessage());
        e = assertThrows(NoSuchPathException.class, () -> b.list("/a/x.txt"));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        e = assertThrows(NoSuchPathException.class, () -> b.open("/a"));
        assertTrue(e.getMessage().contains("not a file"), e.getMessage());
        e = assertThrows(NoSuchPathException.class, () -> b.open("/a/x.txt/y"));
        assertTrue(e.getMessage().contains("/a/x.txt is a file"), e.getMessage());
    }

    @Test
    void opensTheSnapshotASelectorChooses() throws IOException {
        Snapshot later = BrowseFixtures.snapshot(repo, T0.plusDays(1), BrowseFixtures.file(repo, "new.txt", "n"));
        assertEquals(later.requireId(), SnapshotBrowser.open(repo, SnapshotSelector.latest()).snapshot().requireId());
        String prefix = snap.requireId().toString().substring(0, 10);
        SnapshotBrowser first = SnapshotBrowser.open(repo, SnapshotSelector.parse(prefix));
        assertEquals(snap.requireId(), first.snapshot().requireId());
        assertEquals(5, first.list("/").size());
        assertThrows(NoSuchSnapshotException.class, () -> SnapshotBrowser.open(repo, SnapshotSelector.id("ffffff")));
    }

    @Test
    void listTreeSelectsAsResticLs() throws IOException {
        SnapshotBrowser b = browser();
        List<String> all = new ArrayList<>();
        b.listTree(List.of(), false, e -> all.add(e.path()));
        assertEquals(9, all.size());
        List<String> a = new ArrayList<>();
        b.listTree(List.of("/a", "/z dir/"), false, e -> a.add(e.path()));
        assertEquals(List.of("/a", "/a/b", "/a/x.txt", "/z dir", "/z dir/ü <&>.txt"), a);
        List<String> rec = new ArrayList<>();
        b.listTree(List.of("/a"), true, e -> rec.add(e.path()));
        assertEquals(List.of("/a", "/a/b", "/a/b/deep.txt", "/a/x.txt"), rec);
        List<String> none = new ArrayList<>();
        b.listTree(List.of("/not-there"), true, e -> none.add(e.path()));
        assertEquals(List.of(), none, "restic lists nothing for a directory that is not there");
        assertThrows(IllegalArgumentException.class, () -> b.listTree(List.of("a"), false, e -> { }));
    }

    @Test
    void findMatchesPathsAndFindsIdenticalDirectoriesEachTime() throws IOException {
        // two directories with the same tree: restic 0.14 reported only the first (fixed in restic 0.17)
        Node logs1 = BrowseFixtures.dir(repo, "logs", BrowseFixtures.file(repo, "z.bin", "same"));
        Node logs2 = BrowseFixtures.dir(repo, "logs", BrowseFixtures.file(repo, "z.bin", "same"));
        Snapshot s = BrowseFixtures.snapshot(repo, T0.plusDays(2), BrowseFixtures.dir(repo, "a", logs1),
                BrowseFixtures.dir(repo, "b", logs2), BrowseFixtures.file(repo, "c.txt", "c"));
        SnapshotBrowser b = SnapshotBrowser.of(repo, s);
        assertEquals(List.of("/a/logs", "/a/logs/z.bin", "/b/logs", "/b/logs/z.bin"),
                paths(b.find(PathPattern.of(List.of("logs")))));
        assertEquals(List.of("/c.txt"), paths(b.find(PathPattern.of(List.of("*.TXT")).ignoringCase())));
        assertEquals(List.of("/b/logs/z.bin"), paths(b.find(PathPattern.of(List.of("/b/*/z.bin")))));
        assertEquals(List.of(), paths(b.find(PathPattern.of(List.of("*.TXT")))));
    }
}
