package dev.backup4j.core.restic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.maintenance.Copy;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import dev.backup4j.core.testing.FsFacts;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.ResticDifferential;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.core.testing.TreeMaker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fidelity beyond what restic 0.14 itself can carry: exact link targets, holes, ACLs, fields from newer restic. */
class FidelityEdgesTest {
    @TempDir
    Path tmp;

    @Test
    void ourOwnRoundTripKeepsEveryFactExactlyIncludingLinkTargetsThatAreNotUtf8() throws Exception {
        Path src = SampleTrees.adversarial(tmp.resolve("src"));
        ResticDifferential.backUpWithUs(src, tmp.resolve("repo"));
        try (Repository repo = ResticDifferential.opener(tmp.resolve("repo")).open()) {
            RestoreResult r = repo.restore("latest").target(tmp.resolve("out")).run();
            assertTrue(r.complete() && r.warnings().isEmpty(), r.errors() + " " + r.warnings());
        }
        FsFacts facts = FsFacts.exact().withoutSockets().symlinkTimesToMicros();
        ResticDifferential.assertSameFacts(facts.of(src), facts.of(ResticDifferential.under(tmp.resolve("out"), src)),
                "our restore of our backup");
    }

    @Test
    void zerosCostAlmostNothingAndASparseRestoreLeavesHoles() throws Exception {
        TreeMaker m = new TreeMaker(tmp.resolve("src"));
        m.file("zeros", new byte[64 * 1024 * 1024]);
        m.sparseFile("holes", 48L * 1024 * 1024, 20L * 1024 * 1024, "island".getBytes(StandardCharsets.UTF_8));
        Path repoDir = tmp.resolve("repo");
        ResticDifferential.backUpWithUs(m.root(), repoDir);
        long repoBytes;
        try (var s = Files.walk(repoDir.resolve("data"))) {
            repoBytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertTrue(repoBytes < 256 * 1024, "112 MiB of mostly zeros took " + repoBytes + " bytes of packs");
        try (Repository repo = ResticDifferential.opener(repoDir).open()) {
            assertTrue(repo.restore("latest").target(tmp.resolve("sparse")).sparse().run().complete());
            assertTrue(repo.restore("latest").target(tmp.resolve("dense")).run().complete());
        }
        Path sparse = ResticDifferential.under(tmp.resolve("sparse"), m.root());
        Path dense = ResticDifferential.under(tmp.resolve("dense"), m.root());
        assertEquals(FsFacts.exact().of(m.root()), FsFacts.exact().of(sparse));
        assertEquals(FsFacts.exact().of(m.root()), FsFacts.exact().of(dense));
        for (String f : List.of("zeros", "holes")) {
            long allocated = allocatedBytes(sparse.resolve(f));
            assertTrue(allocated < 2 * 1024 * 1024, f + ": " + allocated + " bytes allocated after a sparse restore");
            assertTrue(allocatedBytes(dense.resolve(f)) >= Files.size(dense.resolve(f)) - 4096,
                    f + " is written dense by default, as restic 0.14 does");
        }
    }

    @Test
    void aclsOfAResticBackupAreRestoredWithSetfattr() throws Exception {
        Restic.requireRestic();
        requireTool("setfacl", "acl");
        requireTool("setfattr", "attr");
        TreeMaker m = new TreeMaker(tmp.resolve("src"));
        m.file("shared.txt", "content".getBytes(StandardCharsets.UTF_8));
        m.dir("team");
        sh("setfacl", "-m", "u:1234:rw,g:5678:r", m.path("shared.txt").toString());
        sh("setfacl", "-d", "-m", "u:1234:rwx", m.path("team").toString());
        String before = sh("getfacl", "-p", "-R", m.root().toString());
        Path repoDir = tmp.resolve("repo");
        ResticDifferential.backUpWithRestic(m.root(), repoDir);
        Path out = tmp.resolve("out");
        try (Repository repo = ResticDifferential.opener(repoDir).open()) {
            RestoreResult r = repo.restore("latest").target(out).run();
            assertTrue(r.complete() && r.warnings().isEmpty(), r.errors() + " " + r.warnings());
        }
        String after = sh("getfacl", "-p", "-R", ResticDifferential.under(out, m.root()).toString());
        assertEquals(aclsByFile(before), aclsByFile(after.replace(out.toString(), "")),
                "getfacl of the source and of our restore");
        assertTrue(before.contains("user:1234:rw-") && before.contains("default:user:1234:rwx"), before);
    }

    @Test
    void fieldsOfNewerResticVersionsSurviveCopyAndAReadWriteCycle() throws Exception {
        OffsetDateTime t = OffsetDateTime.of(2024, 5, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        Map<String, String> unknown = new java.util.LinkedHashMap<>();
        unknown.put("generic_attributes", "{\"windows_attributes\":\"AQ==\"}");
        unknown.put("future_field", "[1,{\"a\":null}]");
        Node n = Node.builder("from-restic-0.17", NodeType.FILE).unixMode(0644).mtime(t).atime(t).ctime(t)
                .unknownFields(unknown).build();
        byte[] json = new Tree(List.of(n)).toJson();
        assertEquals(unknown, Tree.parse(json, "t").nodes().get(0).unknownFields());
        assertArrayEquals(json, Tree.parse(json, "t").toJson(), "read and written again, byte for byte");
        Id tree;
        try (Repository src = ResticDifferential.opener(tmp.resolve("a")).init();
                Repository dst = ResticDifferential.opener(tmp.resolve("b")).init()) {
            tree = src.saveTree(new Tree(List.of(n)));
            src.flush();
            Snapshot s = src.saveSnapshot(new Snapshot(Optional.empty(), t, tree, Optional.empty(), List.of("/x"),
                    "h", "u", 0, 0, List.of(), List.of(), Optional.empty()));
            Copy.from(src).to(dst).snapshots(List.of(s)).run();
        }
        try (Repository dst = ResticDifferential.opener(tmp.resolve("b")).open()) {
            assertArrayEquals(json, dst.loadBlob(BlobType.TREE, tree), "the copied tree blob, byte for byte");
        }
        if (Restic.binary() != null) {
            Restic.on(tmp.resolve("b"), ResticDifferential.PASSWORD).run("check", "--read-data").ok();
        }
    }

    /** getfacl's blocks by file (it lists a directory's entries in directory order, which differs after a restore). */
    private static Map<String, String> aclsByFile(String getfacl) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (String block : getfacl.split("\n\n")) {
            if (!block.isBlank()) {
                m.put(block.lines().findFirst().orElse(""), block.strip());
            }
        }
        return m;
    }

    private static long allocatedBytes(Path p) throws IOException, InterruptedException {
        return Long.parseLong(sh("stat", "-c", "%b", p.toString()).trim()) * 512;
    }

    private static void requireTool(String tool, String debianPackage) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(tool + " is not installed, but CI=true: .ci/run must install it (apt-get install -y " + debianPackage
                    + ")");
        }
        Assumptions.assumeTrue(false, tool + " not installed (apt-get install -y " + debianPackage + ")");
    }

    private static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
