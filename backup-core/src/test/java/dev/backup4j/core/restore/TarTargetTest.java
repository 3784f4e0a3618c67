package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.core.testing.TreeDigest;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar target and dump: GNU tar extracts what we write to the same tree a directory restore gives. */
class TarTargetTest {
    @TempDir
    Path tmp;

    @Test
    void dumpOfADirectoryIsATarThatExtractsToTheSameTree() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")),
                "GNU tar is needed to read the archive");
        Path src = SampleTrees.edgeCases(tmp.resolve("src"), 5);
        Files.writeString(src.resolve("a/" + "long-name-".repeat(15) + ".txt"), "long");
        Map<String, String> expected = TreeDigest.of(src, false);
        try (Repository repo = Fixtures.opener(tmp.resolve("repo")).init()) {
            repo.backup().path(src).run();
            Path tar = tmp.resolve("out.tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                assertEquals(NodeType.DIR, SnapshotDump.write(repo, SnapshotSelector.latest(), src.toString(), out));
            }
            Path x = Files.createDirectories(tmp.resolve("x"));
            Process p = new ProcessBuilder("tar", "-xpf", tar.toString(), "-C", x.toString()).redirectErrorStream(true)
                    .start();
            String log = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), log);
            Map<String, String> got = TreeDigest.of(x, false);
            assertEquals(expected, got);

            Path file = tmp.resolve("small.txt");
            try (OutputStream out = Files.newOutputStream(file)) {
                assertEquals(NodeType.FILE, SnapshotDump.write(repo, SnapshotSelector.latest(),
                        src + "/small.txt", out));
            }
            assertEquals(Files.readString(src.resolve("small.txt")), Files.readString(file));
        }
    }
}
