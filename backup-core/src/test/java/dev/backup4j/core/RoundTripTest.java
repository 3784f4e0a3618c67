package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.core.testing.TreeDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
    @TempDir
    Path tmp;

    static Repository.Opener opener(Path repoDir) {
        return Repository.at(Backends.local(repoDir)).password("correct horse").kdf(KdfParams.insecureFastForTests())
                .packSize(1024 * 1024).hostname("test-host");
    }

    @Test
    void restoredTreeIsIdenticalToTheSource() throws Exception {
        Path src = SampleTrees.edgeCases(tmp.resolve("src"), 1);
        Map<String, String> before = TreeDigest.of(src);
        try (Repository repo = opener(tmp.resolve("repo")).init()) {
            BackupResult r = repo.backup().path(src).tag("t1").run();
            assertTrue(r.errors().isEmpty(), r.errors().toString());
            assertEquals(9, r.files());
            assertTrue(r.blobsAdded() > 3, "big.bin spans several chunks");
        }
        try (Repository repo = opener(tmp.resolve("repo")).open()) {
            Path target = tmp.resolve("restore");
            RestoreResult rr = repo.restore("latest").target(target).run();
            assertTrue(rr.complete(), rr.errors().toString());
            Path restored = target.resolve(src.toString().substring(1));
            assertEquals(before, TreeDigest.of(restored));
        }
        assertEquals(before, TreeDigest.of(src), "the source is unchanged");
    }

    @Test
    void secondBackupOfUnchangedDataAddsNoDataBlobs() throws Exception {
        Path src = SampleTrees.edgeCases(tmp.resolve("src"), 2);
        try (Repository repo = opener(tmp.resolve("repo")).init()) {
            repo.backup().path(src).run();
            long dataBlobs = repo.index().count(BlobType.DATA);
            BackupResult second = repo.backup().path(src).run();
            assertEquals(dataBlobs, repo.index().count(BlobType.DATA), "no new data blob");
            // only tree blobs may be new: reading the files moved their atime, which trees record
            assertTrue(second.bytesAdded() < 64 * 1024, "added " + second.bytesAdded() + " bytes");
            List<Snapshot> snaps = repo.snapshots();
            assertEquals(2, snaps.size());
        }
    }

    @Test
    void includeRestoresOnlyTheMatchingSubtree() throws Exception {
        Path src = SampleTrees.edgeCases(tmp.resolve("src"), 3);
        try (Repository repo = opener(tmp.resolve("repo")).init()) {
            repo.backup().path(src).run();
            Path target = tmp.resolve("restore");
            repo.restore("latest").target(target).include(src + "/a/b").run();
            Path restored = target.resolve(src.toString().substring(1));
            assertTrue(Files.isRegularFile(restored.resolve("a/b/c/deep.txt")));
            assertTrue(Files.notExists(restored.resolve("big.bin")));
            assertTrue(Files.notExists(restored.resolve("a/link-up"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
    }
}
