package dev.backup4j.core.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.core.testing.TreeDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The promise of no lock-in, checked with the real restic binary in both directions. */
class ResticInteropTest {
    private static final String PASSWORD = "interop secret";

    @TempDir
    Path tmp;

    private Repository.Opener opener(Path repo) {
        return Repository.at(Backends.local(repo)).password(PASSWORD).kdf(KdfParams.insecureFastForTests())
                .packSize(2 * 1024 * 1024).hostname("lib-host");
    }

    @Test
    void resticChecksListsAndRestoresWhatTheLibraryWrote() throws Exception {
        Restic.requireRestic();
        Path src = SampleTrees.edgeCases(tmp.resolve("src"), 42);
        Map<String, String> expected = TreeDigest.of(src);
        Path repoDir = tmp.resolve("repo");
        OffsetDateTime time = OffsetDateTime.parse("2024-02-29T23:59:58.5+01:00");
        Snapshot saved;
        try (Repository repo = opener(repoDir).init()) {
            BackupResult r = repo.backup().path(src).tag("nightly").tag("lms").host("app-1").time(time).run();
            saved = r.snapshot();
        }
        Restic restic = Restic.on(repoDir, PASSWORD);
        restic.run("check", "--read-data").ok();

        JsonNode snaps = new ObjectMapper().readTree(restic.run("snapshots", "--json").ok().stdout());
        assertEquals(1, snaps.size());
        JsonNode s = snaps.get(0);
        assertEquals(saved.requireId().toString(), s.get("id").asText());
        assertEquals(time.toInstant(), OffsetDateTime.parse(s.get("time").asText()).toInstant());
        assertEquals("app-1", s.get("hostname").asText());
        assertEquals(List.of("nightly", "lms"), List.of(s.get("tags").get(0).asText(), s.get("tags").get(1).asText()));
        assertEquals(src.toString(), s.get("paths").get(0).asText());

        Path target = tmp.resolve("restic-restore");
        restic.run("restore", "latest", "--target", target.toString()).ok();
        assertEquals(expected, TreeDigest.of(target.resolve(src.toString().substring(1))));
    }

    @Test
    void libraryListsAndRestoresWhatResticWrote() throws Exception {
        Restic.requireRestic();
        Path src = SampleTrees.edgeCases(tmp.resolve("src"), 7);
        Map<String, String> expected = TreeDigest.of(src);
        Path repoDir = tmp.resolve("repo");
        Restic restic = Restic.on(repoDir, PASSWORD);
        restic.run("init", "--repository-version", "2").ok();
        restic.run("backup", "--compression", "auto", "--host", "restic-host", "--tag", "from-restic",
                src.toString()).ok();

        try (Repository repo = opener(repoDir).open()) {
            assertEquals(2, repo.config().version());
            List<Snapshot> snaps = repo.snapshots();
            assertEquals(1, snaps.size());
            assertEquals("restic-host", snaps.get(0).hostname());
            assertEquals(List.of("from-restic"), snaps.get(0).tags());
            assertTrue(repo.index().locations().stream().anyMatch(l -> l.blob().compressed()),
                    "restic compressed some blobs, and we read them");
            Path target = tmp.resolve("lib-restore");
            RestoreResult rr = repo.restore(snaps.get(0).requireId().toString().substring(0, 8)).target(target).run();
            assertTrue(rr.complete(), rr.errors().toString());
            assertEquals(expected, TreeDigest.of(target.resolve(src.toString().substring(1))));
        }
    }

    @Test
    void theSameLargeFileBackedUpByResticThenTheLibraryAddsNoDataBlob() throws Exception {
        Restic.requireRestic();
        Path src = Files.createDirectories(tmp.resolve("src"));
        byte[] big = new byte[24 * 1024 * 1024];
        new Random(99).nextBytes(big);
        Files.write(src.resolve("large.bin"), big);
        Path repoDir = tmp.resolve("repo");
        Restic restic = Restic.on(repoDir, PASSWORD);
        restic.run("init", "--repository-version", "2").ok();
        restic.run("backup", src.toString()).ok();

        try (Repository repo = opener(repoDir).open()) {
            long before = repo.index().count(BlobType.DATA);
            assertTrue(before >= 3, "a 24 MiB random file is several chunks, got " + before);
            BackupResult r = repo.backup().path(src).run();
            assertEquals(before, repo.index().count(BlobType.DATA), "no new data blob");
            assertTrue(r.bytesAdded() < 64 * 1024, "only trees were added, got " + r.bytesAdded() + " bytes");
            Index.Location any = repo.index().locations().iterator().next();
            assertTrue(any.pack() != null);
        }
        restic.run("check", "--read-data").ok();
    }
}
