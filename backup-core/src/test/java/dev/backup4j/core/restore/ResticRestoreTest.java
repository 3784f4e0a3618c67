package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.core.testing.TreeDigest;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots written by the real restic binary restore identically through the planner, whole and partially. */
class ResticRestoreTest {
    @TempDir
    Path tmp;

    @Test
    void resticSnapshotsRestoreIdentically() throws Exception {
        Restic.requireRestic();
        Path src = SampleTrees.edgeCases(tmp.resolve("src"), 21);
        Map<String, String> expected = TreeDigest.of(src);
        Path repoDir = tmp.resolve("repo");
        Restic restic = Restic.on(repoDir, Fixtures.PASSWORD);
        restic.run("init", "--repository-version", "2").ok();
        restic.run("backup", "--compression", "auto", "--host", "h", src.toString()).ok();
        Path resticOut = tmp.resolve("restic-out");
        restic.run("restore", "latest", "--target", resticOut.toString()).ok();
        Map<String, String> byRestic = TreeDigest.of(resticOut.resolve(src.toString().substring(1)));

        try (Repository repo = Fixtures.opener(repoDir).open()) {
            Path out = tmp.resolve("ours");
            try (RestoreTarget t = RestoreTargets.directory(out)) {
                RestorePlan plan = RestorePlanner.of(repo, SnapshotSelector.latest().withHost("h")).plan(t);
                assertTrue(plan.problems().isEmpty(), plan.problems().toString());
                RestoreReport r = RestoreExecutor.of(repo).execute(plan, t);
                assertTrue(r.complete(), r.errors().toString());
            }
            Map<String, String> ours = TreeDigest.of(out.resolve(src.toString().substring(1)));
            assertEquals(expected, ours);
            assertEquals(byRestic, ours, "the same tree as restic's own restore");

            Path part = tmp.resolve("part");
            var rr = repo.restore("latest:" + src + "/données été").target(part).run();
            assertTrue(rr.complete(), rr.errors().toString());
            Map<String, String> want = new TreeMap<>();
            expected.forEach((k, v) -> {
                if (k.startsWith("données été/")) {
                    want.put(k.substring("données été/".length()), v);
                }
            });
            assertEquals(want, TreeDigest.of(part));

            ByteArrayOutputStream dumped = new ByteArrayOutputStream();
            SnapshotDump.write(repo, SnapshotSelector.latest(), src + "/big.bin", dumped);
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(src.resolve("big.bin")), dumped.toByteArray()));
        }
    }
}
