package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.Restic;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CopyTest {
    @TempDir
    Path tmp;

    @Test
    void copiesOnlyMissingBlobsResticChecksTheDestinationAndASecondCopyAddsNothing() throws Exception {
        Path srcDir = tmp.resolve("src-repo");
        Path dstDir = tmp.resolve("dst-repo");
        Path data = Fixtures.tree(tmp.resolve("data"), 1, 6);
        try (Repository src = Fixtures.opener(srcDir).init();
                Repository dst = Repository.at(Backends.local(dstDir)).password("other password")
                        .kdf(KdfParams.insecureFastForTests()).packSize(64 * 1024).init()) {
            Snapshot s1 = src.backup().path(data).host("h").time(OffsetDateTime.parse("2024-01-01T00:00:00Z")).run()
                    .snapshot();
            Fixtures.tree(data, 2, 3);
            Snapshot s2 = src.backup().path(data).host("h").time(OffsetDateTime.parse("2024-01-02T00:00:00Z")).run()
                    .snapshot();

            CopyResult first = Copy.from(src).to(dst).snapshots(List.of(s1)).run();
            assertEquals(1, first.copied().size());
            long blobsForS1 = first.blobsCopied();
            CopyResult second = Copy.from(src).to(dst).run();
            assertEquals(List.of(s1.requireId()), second.skipped());
            assertEquals(List.of(s2.requireId()), List.copyOf(second.copied().keySet()));
            assertTrue(second.blobsCopied() < blobsForS1 + 3 + 3, "s2 shares s1's files: only new blobs travel");

            int files = dst.backend().list(FileType.PACK).size() + dst.backend().list(FileType.INDEX).size();
            CopyResult again = Copy.from(src).to(dst).run();
            assertEquals(Map.of(), again.copied());
            assertEquals(0, again.blobsCopied());
            assertEquals(files, dst.backend().list(FileType.PACK).size() + dst.backend().list(FileType.INDEX).size());

            for (Snapshot s : List.of(s1, s2)) {
                Snapshot copy = dst.snapshot(second.copied().getOrDefault(s.requireId(),
                        first.copied().get(s.requireId())).toString());
                assertEquals(s.requireId(), copy.original().orElseThrow());
                assertNotEquals(s.requireId(), copy.requireId());
                assertEquals(Fixtures.digest(src, s.tree()), Fixtures.digest(dst, copy.tree()));
            }
        }
        if (Restic.binary() != null || "true".equals(System.getenv("CI"))) {
            Restic.on(dstDir, "other password").run("check", "--read-data").ok();
        }
    }
}
