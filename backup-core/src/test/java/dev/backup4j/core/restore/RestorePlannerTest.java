package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.core.testing.TreeDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestorePlannerTest {
    @TempDir
    Path tmp;
    Path src;
    Path repoDir;
    Map<String, String> expected;

    @BeforeEach
    void backUp() throws Exception {
        src = SampleTrees.edgeCases(tmp.resolve("src"), 3);
        expected = TreeDigest.of(src);
        repoDir = tmp.resolve("repo");
        try (Repository repo = Fixtures.opener(repoDir).init()) {
            repo.backup().path(src).run();
        }
    }

    private String srcPath() {
        return src.toString();
    }

    private RestoreReport restore(Repository repo, RestorePlanner p, Path target) throws Exception {
        try (RestoreTarget t = RestoreTargets.directory(target)) {
            return RestoreExecutor.of(repo).threads(3).execute(p.plan(t), t);
        }
    }

    @Test
    void planThenExecuteRestoresTheSnapshotAndAgainKeepsEverything() throws Exception {
        Path target = tmp.resolve("out");
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            RestoreReport r = restore(repo, RestorePlanner.of(repo, SnapshotSelector.latest()), target);
            assertTrue(r.complete(), r.errors().toString());
            assertEquals(expected, TreeDigest.of(target.resolve(srcPath().substring(1))));
            RestorePlan plan = r.plan();
            assertTrue(plan.bytesToDownload() > 9 * 1024 * 1024, plan.toString());
            Set<Id> packs = new HashSet<>();
            for (PackRead pr : plan.packReads()) {
                assertTrue(packs.add(pr.pack()), "each pack is read once");
                long last = -1;
                for (PackRead.Range range : pr.ranges()) {
                    assertTrue(range.offset() > last, "ranges are ordered and disjoint");
                    last = range.offset() + range.length() - 1;
                }
            }
            assertEquals(r.bytesRead(), plan.bytesToDownload());
            assertEquals(Duration.ofSeconds(2), plan.estimate(plan.bytesToDownload() / 2.0));

            try (RestoreTarget t = RestoreTargets.directory(target)) {
                RestorePlan again = RestorePlanner.of(repo, SnapshotSelector.latest()).plan(t);
                assertTrue(again.isNoop(), again.actions().stream().filter(a -> a.kind() != RestoreAction.Kind.KEEP)
                        .toList().toString());
                assertEquals(0, again.bytesToDownload());
            }
        }
    }

    @Test
    void planWritesNothing() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(target.resolve("existing.txt"), "mine");
        Map<String, String> before = TreeDigest.of(target);
        try (Repository repo = Fixtures.opener(repoDir).open(); RestoreTarget t = RestoreTargets.directory(target)) {
            RestorePlan plan = RestorePlanner.of(repo, SnapshotSelector.latest()).delete(true).plan(t);
            assertTrue(plan.action("/existing.txt").map(a -> a.kind() == RestoreAction.Kind.DELETE).orElse(false));
            assertTrue(plan.counts().get(RestoreAction.Kind.CREATE) > 10, plan.toString());
        }
        assertEquals(before, TreeDigest.of(target));
    }

    @Test
    void subPathRestoresThatDirectoryAsTheRoot() throws Exception {
        Path target = tmp.resolve("out");
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            RestoreReport r = restore(repo, RestorePlanner.parse(repo, "latest:" + srcPath() + "/a"), target);
            assertTrue(r.complete(), r.errors().toString());
            Map<String, String> want = new java.util.TreeMap<>();
            expected.forEach((k, v) -> {
                if (k.startsWith("a/")) {
                    want.put(k.substring(2), v);
                }
            });
            assertEquals(want, TreeDigest.of(target));
            assertThrows(dev.backup4j.core.common.NoSuchPathException.class,
                    () -> RestorePlanner.parse(repo, "latest:/no/such").plan(RestoreTargets.tar(
                            java.io.OutputStream.nullOutputStream())));
            assertThrows(IllegalArgumentException.class, () -> RestorePlanner.parse(repo, "latest:/a/../b"));
        }
    }

    @Test
    void includeAndExcludeSelectTheScope() throws Exception {
        Path target = tmp.resolve("out");
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            RestoreReport r = restore(repo, RestorePlanner.of(repo, SnapshotSelector.latest()).include(srcPath() + "/a")
                    .exclude("deep.txt"), target);
            assertTrue(r.complete(), r.errors().toString());
            Path root = target.resolve(srcPath().substring(1));
            assertTrue(Files.isSymbolicLink(root.resolve("a/link-up")));
            assertFalse(Files.exists(root.resolve("a/b/c/deep.txt")));
            assertTrue(Files.isDirectory(root.resolve("a/b/c")));
            assertFalse(Files.exists(root.resolve("big.bin")));
        }
    }

    @Test
    void overwritePoliciesAndDelete() throws Exception {
        Path target = tmp.resolve("out");
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            restore(repo, RestorePlanner.of(repo, SnapshotSelector.latest()), target);
            Path root = target.resolve(srcPath().substring(1));
            Files.writeString(root.resolve("small.txt"), "changed!");
            Files.writeString(root.resolve("extra.txt"), "not in the snapshot");
            Files.createDirectories(root.resolve("extra-dir/sub"));
            Files.writeString(root.resolve("extra-dir/sub/f"), "x");

            try (RestoreTarget t = RestoreTargets.directory(target)) {
                RestorePlan never = RestorePlanner.of(repo, SnapshotSelector.latest())
                        .overwrite(OverwritePolicy.NEVER).plan(t);
                assertEquals(RestoreAction.Kind.KEEP, never.action("/" + srcPath().substring(1) + "/small.txt")
                        .orElseThrow().kind());
                RestorePlan always = RestorePlanner.of(repo, SnapshotSelector.latest())
                        .overwrite(OverwritePolicy.ALWAYS).plan(t);
                assertEquals(RestoreAction.Kind.OVERWRITE, always.action(srcPath() + "/big.bin").orElseThrow().kind());
            }
            RestoreReport r = restore(repo, RestorePlanner.of(repo, SnapshotSelector.latest()), target);
            assertEquals(1, r.files(), "only the changed file is rewritten: " + r);
            assertTrue(Files.exists(root.resolve("extra.txt")), "nothing is deleted without delete");

            r = restore(repo, RestorePlanner.of(repo, SnapshotSelector.latest()).delete(true), target);
            assertEquals(4, r.deleted(), r.toString());
            assertEquals(expected, TreeDigest.of(root));
        }
    }

    @Test
    void contentComparisonSeesASameSizeSameTimeChange() throws Exception {
        Path target = tmp.resolve("out");
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            restore(repo, RestorePlanner.of(repo, SnapshotSelector.latest()), target);
            Path f = target.resolve(srcPath().substring(1)).resolve("small.txt");
            var mtime = Files.getLastModifiedTime(f);
            byte[] b = Files.readAllBytes(f);
            b[0] ^= 1;
            Files.write(f, b);
            Files.setLastModifiedTime(f, mtime);
            try (RestoreTarget t = RestoreTargets.directory(target)) {
                assertTrue(RestorePlanner.of(repo, SnapshotSelector.latest()).plan(t).isNoop());
                RestorePlan p = RestorePlanner.of(repo, SnapshotSelector.latest()).compareContent(true).plan(t);
                RestoreAction a = p.action(srcPath() + "/small.txt").orElseThrow();
                assertEquals(RestoreAction.Kind.OVERWRITE, a.kind());
                assertEquals("content differs", a.reason());
            }
        }
    }

    @Test
    void missingBlobsAndDamagedPacksAreProblemsUpFront() throws Exception {
        try (Repository repo = Fixtures.opener(tmp.resolve("crafted")).init()) {
            Node good = Fixtures.file(repo, "good.txt", "fine");
            Node bad = Node.builder("bad.txt", NodeType.FILE).size(3)
                    .content(List.of(Id.hash("nope".getBytes(StandardCharsets.UTF_8)))).build();
            Fixtures.snapshot(repo, Fixtures.T0, good, bad);
            Id goodPack = repo.index().find(BlobType.DATA, good.content().get(0)).orElseThrow().pack();
            Path target = tmp.resolve("out");
            try (RestoreTarget t = RestoreTargets.directory(target)) {
                RestorePlan plan = RestorePlanner.of(repo, SnapshotSelector.latest())
                        .knownDamagedPacks(List.of(goodPack)).plan(t);
                assertEquals(List.of(RestoreProblem.Kind.MISSING_BLOB, RestoreProblem.Kind.DAMAGED_PACK),
                        plan.problems().stream().map(RestoreProblem::kind).sorted().toList());
                RestoreReport r = RestoreExecutor.of(repo).execute(plan, t);
                assertEquals(List.of("/bad.txt"), r.errors().stream().map(RestoreReport.Error::path).toList());
                assertEquals("fine", Files.readString(target.resolve("good.txt")));
                assertFalse(Files.exists(target.resolve("bad.txt"), LinkOption.NOFOLLOW_LINKS));
            }
        }
    }

    @Test
    void optionsAreSetOnce() throws Exception {
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            RestorePlanner p = RestorePlanner.of(repo, SnapshotSelector.latest()).delete(true);
            assertThrows(IllegalStateException.class, () -> p.delete(false));
            assertThrows(IllegalStateException.class, () -> RestoreExecutor.of(repo).threads(2).threads(3));
            assertThrows(IllegalArgumentException.class, () -> RestoreExecutor.of(repo).threads(0));
            Snapshot s = repo.snapshots().get(0);
            assertEquals(s, RestorePlanner.parse(repo, s.requireId().toString().substring(0, 6))
                    .plan(RestoreTargets.tar(java.io.OutputStream.nullOutputStream())).choice().snapshot());
        }
    }
}
