package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.FaultyBackend;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.TreeDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneTest {
    @TempDir
    Path tmp;

    private Backend pristine;
    /** Snapshots left after forgetting the first one, with what they restore to. */
    private final Map<Id, Map<String, String>> expected = new HashMap<>();

    @BeforeEach
    void threeSnapshotsOneForgotten() throws Exception {
        pristine = Backends.inMemory();
        Path src = Fixtures.tree(tmp.resolve("src"), 1, 9);
        try (Repository repo = Fixtures.opener(pristine).init()) {
            Snapshot a = backup(repo, src, 1);
            Files.delete(src.resolve("sub/f1-1.bin"));
            Fixtures.tree(src, 2, 4); // adds files; a's blobs and the new ones share packs
            backup(repo, src, 2);
            backup(repo, Fixtures.tree(tmp.resolve("other"), 3, 3), 3);
            repo.backend().delete(Handle.of(FileType.SNAPSHOT, a.requireId())); // forget a
            for (Snapshot s : repo.snapshots()) {
                expected.put(s.requireId(), Fixtures.digest(repo, s.tree()));
            }
        }
        assertEquals(2, expected.size());
    }

    private static Snapshot backup(Repository repo, Path src, int day) throws IOException {
        return repo.backup().path(src).host("h").time(OffsetDateTime.parse("2024-01-0" + day + "T00:00:00Z")).run()
                .snapshot();
    }

    private void assertValidAndRestoresIdentically(Backend b, String when) throws IOException {
        try (Repository repo = Fixtures.opener(b).open()) {
            CheckResult c = Check.on(repo).readData().run();
            assertTrue(c.ok(), when + ": " + c.errors());
            Map<Id, Map<String, String>> now = new HashMap<>();
            for (Snapshot s : repo.snapshots()) {
                now.put(s.requireId(), Fixtures.digest(repo, s.tree()));
            }
            assertEquals(expected, now, when);
        }
    }

    @Test
    void removesWhatNoSnapshotNeedsAndKeepsEverythingElse() throws Exception {
        Backend b = Fixtures.copyToMemory(pristine);
        long before = totalPackBytes(b);
        PruneResult r;
        try (Repository repo = Fixtures.opener(b).open()) {
            r = Prune.on(repo).maxUnused("0%").run();
            assertFalse(r.dryRun());
            assertTrue(r.plan().stats().unusedBytes() > 0);
            assertFalse(r.plan().removePacks().isEmpty(), "packs with only the forgotten file's blobs");
            assertFalse(r.plan().repackPacks().isEmpty(), "packs shared with the forgotten file");
            assertEquals(0, r.plan().stats().unusedAfterBytes());
            assertTrue(Prune.on(repo).plan().nothingToDo(), "a second prune finds nothing");
            assertEquals(1, b.list(FileType.INDEX).size());
        }
        assertEquals(before - totalPackBytes(b), r.bytesFreed());
        assertTrue(r.bytesFreed() > 0);
        assertValidAndRestoresIdentically(b, "after prune");
    }

    @Test
    void aDryRunChangesNothingAndUnlimitedOnlyDropsWhollyUnusedPacks() throws Exception {
        Backend b = Fixtures.copyToMemory(pristine);
        try (Repository repo = Fixtures.opener(b).open()) {
            List<?> packsBefore = b.list(FileType.PACK);
            PruneResult dry = Prune.on(repo).maxUnused("0%").dryRun(true).run();
            assertTrue(dry.dryRun());
            assertEquals(dry.plan().stats().expectedFreedBytes(), dry.bytesFreed());
            assertEquals(packsBefore.size(), b.list(FileType.PACK).size());
            PrunePlan unlimited = Prune.on(repo).maxUnused("unlimited").plan();
            assertTrue(unlimited.repackPacks().isEmpty());
            assertEquals(dry.plan().removePacks(), unlimited.removePacks());
            assertThrows(IllegalArgumentException.class, () -> Prune.on(repo).maxUnused("100%"));
            assertThrows(IllegalArgumentException.class, () -> Prune.on(repo).maxUnused("lots"));
            assertThrows(IllegalStateException.class, () -> Prune.on(repo).dryRun(true).dryRun(false));
        }
    }

    /** A crash before any one write or delete of a prune leaves a valid repository that restores everything. */
    @Test
    void aCrashAtEveryWriteAndDeleteLeavesAValidRepository() throws Exception {
        FaultyBackend counting = FaultyBackend.never(Fixtures.copyToMemory(pristine));
        try (Repository repo = Fixtures.opener(counting).open()) {
            Prune.on(repo).maxUnused("0%").run();
        }
        int n = counting.mutations();
        assertTrue(n >= 6, "removes, repacks, writes an index, deletes old ones: " + counting.log());
        boolean resticThere = Restic.binary() != null;
        for (int crashAt = 1; crashAt <= n; crashAt++) {
            Backend real = Fixtures.copyToMemory(pristine);
            FaultyBackend faulty = FaultyBackend.crashAt(real, crashAt);
            Repository repo = Fixtures.opener(faulty).open();
            assertThrows(IOException.class, () -> Prune.on(repo).maxUnused("0%").run());
            String when = "crash before " + counting.log().get(crashAt - 1);
            // the crashed prune's lock file stays, as a killed process's does: unlock
            try (Repository unlock = Fixtures.opener(real).open()) {
                Locks.on(unlock).removeAll();
            }
            assertValidAndRestoresIdentically(real, when);
            if (resticThere) {
                Path dir = tmp.resolve("crash-" + crashAt);
                Fixtures.copyAll(real, Backends.local(dir));
                Restic.Result r = Restic.on(dir, Fixtures.PASSWORD).run("check", "--read-data");
                assertEquals(0, r.exitCode(), when + "\n" + r.stdout() + r.stderr());
            }
            // and a later prune finishes the job
            try (Repository again = Fixtures.opener(real).open()) {
                Prune.on(again).maxUnused("0%").run();
                assertTrue(Prune.on(again).maxUnused("0%").plan().nothingToDo(), when);
            }
            assertValidAndRestoresIdentically(real, when + ", then a full prune");
        }
    }

    @Test
    void prunesARepositoryResticWroteAndResticChecksAndRestoresIt() throws Exception {
        Restic.requireRestic();
        Path dir = tmp.resolve("restic-repo");
        Restic restic = Restic.on(dir, Fixtures.PASSWORD);
        restic.run("init", "--repository-version", "2").ok();
        Path src = Fixtures.tree(tmp.resolve("rsrc"), 5, 8);
        restic.run("backup", "--host", "h", src.toString()).ok();
        Files.delete(src.resolve("sub/f5-1.bin"));
        Files.delete(src.resolve("f5-2.bin"));
        Fixtures.tree(src, 6, 3);
        restic.run("backup", "--host", "h", src.toString()).ok();
        Map<String, String> latest = TreeDigest.of(src);
        String first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(restic.run("snapshots", "--json")
                .ok().stdout()).get(0).get("id").asText();
        restic.run("forget", first).ok();
        PruneResult r;
        try (Repository repo = Fixtures.opener(dir).open()) {
            r = Prune.on(repo).maxUnused("0%").run();
        }
        assertTrue(r.bytesFreed() > 40_000, "two files of 20-60 KB: " + r.bytesFreed());
        restic.run("check", "--read-data").ok();
        Path target = tmp.resolve("restored");
        restic.run("restore", "latest", "--target", target.toString()).ok();
        assertEquals(latest, TreeDigest.of(target.resolve(src.toString().substring(1))));
    }

    private static long totalPackBytes(Backend b) throws IOException {
        return b.list(FileType.PACK).stream().mapToLong(f -> f.size()).sum();
    }
}
