package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckTest {
    @TempDir
    Path tmp;

    private Backend pristine;
    private Snapshot first;
    private Snapshot second;

    @BeforeEach
    void twoSnapshots() throws Exception {
        pristine = Backends.inMemory();
        try (Repository repo = Fixtures.opener(pristine).init()) {
            first = repo.backup().path(Fixtures.tree(tmp.resolve("a"), 1, 6)).host("h1")
                    .time(OffsetDateTime.parse("2024-01-01T00:00:00Z")).run().snapshot();
            second = repo.backup().path(Fixtures.tree(tmp.resolve("b"), 2, 6)).host("h2")
                    .time(OffsetDateTime.parse("2024-01-02T00:00:00Z")).run().snapshot();
        }
    }

    private CheckResult check(Backend b, boolean readData) throws IOException {
        try (Repository repo = Fixtures.opener(b).open()) {
            Check c = Check.on(repo);
            return (readData ? c.readData() : c).run();
        }
    }

    @Test
    void aSoundRepositoryPassesEveryLevel() throws Exception {
        CheckResult r = check(pristine, true);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(List.of(), r.hints());
        assertEquals(2, r.snapshotsChecked());
        assertTrue(r.treesChecked() >= 6, "root, path dirs and sub dirs of both: " + r.treesChecked());
        assertEquals(r.packsChecked(), r.packsRead());
        assertTrue(r.packsRead() > 4, "small packs: " + r.packsRead());
    }

    @Test
    void aMissingPackIsAnErrorThatNamesTheSnapshotsAndFilesItCosts() throws Exception {
        Backend b = Fixtures.copyToMemory(pristine);
        Id victim;
        String file;
        try (Repository repo = Fixtures.opener(b).open()) {
            // a data blob of a file only the second snapshot has
            var node = firstFile(repo, second.tree());
            assertTrue(node.isPresent());
            Index.Location loc = repo.index().find(BlobType.DATA, node.get().content().get(0)).orElseThrow();
            victim = loc.pack();
            file = node.get().name();
        }
        b.delete(Handle.of(FileType.PACK, victim));
        CheckResult r = check(b, false);
        assertFalse(r.ok());
        assertTrue(r.errors().contains("pack " + victim.shortString() + ": does not exist"), r.errors().toString());
        assertEquals(1, r.damagedPacks().size());
        CheckResult.DamagedPack d = r.damagedPacks().get(0);
        assertEquals(victim, d.pack());
        assertEquals(List.of(second.requireId()), d.affected().stream().map(CheckResult.AffectedSnapshot::snapshot)
                .toList(), "only the second snapshot has that file");
        assertTrue(d.affected().get(0).paths().stream().anyMatch(p -> p.endsWith("/" + file)),
                d.affected().toString());
    }

    @Test
    void aFlippedBitIsFoundByReadDataOnlyAndAttributedToItsFile() throws Exception {
        Backend b = Fixtures.copyToMemory(pristine);
        Id pack;
        try (Repository repo = Fixtures.opener(b).open()) {
            // a data pack: damage in a tree pack would already show in the structure walk
            pack = packs(b).stream().filter(p -> repo.index().blobsOf(p).stream()
                    .allMatch(x -> x.type() == BlobType.DATA)).findFirst().orElseThrow();
        }
        byte[] data = b.readAll(Handle.of(FileType.PACK, pack));
        data[40] ^= 1; // inside the first blob
        rewrite(b, Handle.of(FileType.PACK, pack), data);
        assertTrue(check(b, false).ok(), "the structure is intact");
        CheckResult r = check(b, true);
        assertFalse(r.ok());
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("is damaged")), r.errors().toString());
        assertEquals(1, r.damagedPacks().size());
        assertEquals(1, r.damagedPacks().get(0).damagedBlobs().size());
        assertFalse(r.damagedPacks().get(0).affected().isEmpty(), "every blob belongs to some snapshot");
    }

    @Test
    void packsReadOnSeveralThreadsGiveTheSameReportAsOnOne() throws Exception {
        Backend b = Fixtures.copyToMemory(pristine);
        List<Id> all = packs(b);
        assertTrue(all.size() >= 4, "enough packs to spread: " + all.size());
        // three kinds of damage in different packs: a flipped bit, a truncation, a swapped pack
        byte[] a = b.readAll(Handle.of(FileType.PACK, all.get(0)));
        a[40] ^= 1;
        rewrite(b, Handle.of(FileType.PACK, all.get(0)), a);
        byte[] t = b.readAll(Handle.of(FileType.PACK, all.get(2)));
        rewrite(b, Handle.of(FileType.PACK, all.get(2)), Arrays.copyOf(t, t.length / 2));
        rewrite(b, Handle.of(FileType.PACK, all.get(3)), b.readAll(Handle.of(FileType.PACK, all.get(1))));
        List<CheckResult> results = new ArrayList<>();
        for (int threads : new int[] {1, 2, 3, 8}) {
            try (Repository repo = Fixtures.opener(b).open()) {
                results.add(Check.on(repo).readData().readThreads(threads).run());
            }
        }
        CheckResult one = results.get(0);
        assertFalse(one.ok());
        assertEquals(3, one.damagedPacks().size(), one.errors().toString());
        for (CheckResult r : results) {
            assertEquals(one.errors(), r.errors(), "same errors in the same order");
            assertEquals(one.damagedPacks(), r.damagedPacks());
            assertEquals(all.size(), r.packsRead());
        }
        try (Repository repo = Fixtures.opener(b).open()) {
            assertThrows(IllegalArgumentException.class, () -> Check.on(repo).readThreads(0));
        }
    }

    @Test
    void subsetsPartitionThePacksAndPercentagesReadAtLeastOne() throws Exception {
        int total = check(pristine, true).packsRead();
        int sum = 0;
        try (Repository repo = Fixtures.opener(pristine).open()) {
            for (int n = 1; n <= 3; n++) {
                sum += Check.on(repo).readDataSubset(n + "/3").run().packsRead();
            }
            assertEquals(total, sum);
            assertEquals(1, Check.on(repo).readDataSubset("0.1%").random(new Random(1)).run().packsRead());
            assertEquals(total, Check.on(repo).readDataSubset("100%").run().packsRead());
            assertThrows(IllegalArgumentException.class, () -> Check.on(repo).readDataSubset("4/3"));
            assertThrows(IllegalArgumentException.class, () -> Check.on(repo).readDataSubset("0%"));
            assertThrows(IllegalArgumentException.class, () -> Check.on(repo).readDataSubset("half"));
            assertThrows(IllegalStateException.class, () -> Check.on(repo).readData().readDataSubset("1/2"));
        }
    }

    @Test
    void aPackNoIndexListsIsOnlyAHint() throws Exception {
        Backend b = Fixtures.copyToMemory(pristine);
        b.write(Handle.of(FileType.PACK, Id.hash(new byte[] {1, 2, 3})), new byte[] {1, 2, 3});
        CheckResult r = check(b, true);
        assertTrue(r.ok(), r.errors().toString());
        assertEquals(1, r.hints().size());
        assertTrue(r.hints().get(0).endsWith("not referenced in any index"));
    }

    /**
     * Property: flipping any single byte, or truncating any file, of the repository is detected by
     * {@code check --read-data} (or already by opening the repository).
     */
    @Test
    void everySingleByteFlipAndEveryTruncationIsDetected() throws Exception {
        List<Handle> files = allFiles(pristine);
        Set<FileType> reached = new HashSet<>();
        AtomicInteger truncations = new AtomicInteger();
        qt().withExamples(200).forAll(integers().between(0, files.size() - 1), integers().allPositive(),
                integers().between(1, 255), integers().between(0, 4)).checkAssert((fi, pos, xor, mode) -> {
                    try {
                        Handle h = files.get(fi);
                        Backend b = Fixtures.copyToMemory(pristine);
                        byte[] data = b.readAll(h);
                        byte[] damaged;
                        if (mode == 0) {
                            damaged = Arrays.copyOf(data, pos % data.length);
                            truncations.incrementAndGet();
                        } else {
                            damaged = data.clone();
                            damaged[pos % data.length] ^= (byte) (int) xor;
                        }
                        rewrite(b, h, damaged);
                        reached.add(h.type());
                        assertTrue(detected(b), h + (mode == 0 ? " truncated to " + damaged.length
                                : " byte " + (pos % data.length) + " ^ " + xor) + " was not detected");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        assertEquals(Set.of(FileType.CONFIG, FileType.KEY, FileType.INDEX, FileType.SNAPSHOT, FileType.PACK),
                reached, "the generator reaches every kind of file");
        assertTrue(truncations.get() > 10, "and truncations: " + truncations.get());
    }

    private static boolean detected(Backend b) {
        try {
            return !check(b, true, 0).ok();
        } catch (IOException e) {
            return true; // refused to open: wrong key, damaged config or index
        }
    }

    private static CheckResult check(Backend b, boolean readData, int unused) throws IOException {
        try (Repository repo = Fixtures.opener(b).open()) {
            return (readData ? Check.on(repo).readData() : Check.on(repo)).run();
        }
    }

    /** The first file (depth first) with content below {@code tree}. */
    static java.util.Optional<dev.backup4j.core.snapshot.Node> firstFile(Repository repo, Id tree) throws IOException {
        for (var n : repo.loadTree(tree).nodes()) {
            if (n.type() == dev.backup4j.core.snapshot.NodeType.FILE && !n.content().isEmpty()) {
                return java.util.Optional.of(n);
            }
            if (n.subtree().isPresent()) {
                var f = firstFile(repo, n.subtree().get());
                if (f.isPresent()) {
                    return f;
                }
            }
        }
        return java.util.Optional.empty();
    }

    static List<Handle> allFiles(Backend b) throws IOException {
        List<Handle> out = new ArrayList<>();
        out.add(Handle.CONFIG);
        for (FileType t : List.of(FileType.KEY, FileType.INDEX, FileType.SNAPSHOT, FileType.PACK)) {
            for (FileInfo f : b.list(t)) {
                out.add(new Handle(t, f.name()));
            }
        }
        out.sort((x, y) -> x.toString().compareTo(y.toString()));
        return out;
    }

    static List<Id> packs(Backend b) throws IOException {
        return b.list(FileType.PACK).stream().map(f -> Id.parse(f.name())).sorted().toList();
    }

    static void rewrite(Backend b, Handle h, byte[] data) throws IOException {
        b.delete(h);
        b.write(h, data);
    }
}
