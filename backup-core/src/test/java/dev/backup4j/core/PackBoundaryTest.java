package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.backend.ForwardingBackend;
import dev.backup4j.core.backend.Handle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Where data packs end: before a blob would outgrow the pooled pack buffer, and never losing a blob on failure. */
class PackBoundaryTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;
    private static final int PACK = 1024 * 1024;

    private static Repository.Opener opener(Backend backend) {
        return Repository.at(backend).password("pw").kdf(KdfParams.insecureFastForTests()).packSize(PACK)
                .compression(Compression.OFF).hostname("h");
    }

    private static List<byte[]> blobs(long seed, int n) {
        Random rnd = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // mostly sizes that leave the pack short of its target, some larger than the 1 MiB headroom
            byte[] b = new byte[i % 7 == 6 ? PACK + 300_000 : 50_000 + rnd.nextInt(700_000)];
            rnd.nextBytes(b);
            out.add(b);
        }
        return out;
    }

    @Test
    void dataPacksEndBeforeOutgrowingTheirBufferAndKeepEveryBlob() throws Exception {
        Backend backend = Backends.inMemory();
        List<byte[]> data = blobs(1, 40);
        List<Id> ids = new ArrayList<>();
        try (Repository repo = opener(backend).init()) {
            for (byte[] b : data) {
                ids.add(repo.saveBlob(BlobType.DATA, b, 0, b.length));
            }
            repo.flush();
        }
        List<FileInfo> packs = backend.list(FileType.PACK);
        assertTrue(packs.size() >= 10, "40 blobs of up to 1.3 MiB in 1 MiB packs: " + packs.size());
        try (Repository repo = opener(backend).open()) {
            for (FileInfo p : packs) {
                int blobsInPack = repo.index().blobsOf(Id.parse(p.name())).size();
                // a pack over the buffer (pack size + 1 MiB) holds a single blob larger than the headroom
                assertTrue(p.size() <= 2L * PACK || blobsInPack == 1, p.name() + " " + p.size() + " bytes");
            }
            for (int i = 0; i < data.size(); i++) {
                assertArrayEquals(data.get(i), repo.loadBlob(BlobType.DATA, ids.get(i)), "blob " + i);
            }
        }
    }

    @Test
    void blobsOfAPackThatFailedToUploadAreStoredAgainBySameRepository() throws Exception {
        Backend real = Backends.inMemory();
        opener(real).init().close();
        List<byte[]> data = blobs(2, 14);
        // the second pack upload fails once; the repository goes on
        AtomicInteger packWrites = new AtomicInteger();
        Backend failOnce = new ForwardingBackend(real) {
            @Override
            public void write(Handle handle, byte[] bytes) throws IOException {
                if (handle.type() == FileType.PACK && packWrites.incrementAndGet() == 2) {
                    throw new IOException("injected: upload failed");
                }
                super.write(handle, bytes);
            }
        };
        try (Repository repo = opener(failOnce).open()) {
            saveAllThroughOneFailureThenAgain(repo, data);
        }
        try (Repository repo = opener(real).open()) {
            for (byte[] b : data) {
                assertArrayEquals(b, repo.loadBlob(BlobType.DATA, Id.hash(b, 0, b.length)));
            }
        }
    }

    @Test
    void theLocalBackendStreamsDataPacksThroughStagingFilesAndLeavesNoneBehind() throws Exception {
        java.nio.file.Path dir = tmp.resolve("staged");
        Backend local = Backends.local(dir);
        assertTrue(local instanceof dev.backup4j.core.backend.StagingBackend);
        List<byte[]> data = blobs(3, 30);
        try (Repository repo = opener(local).init()) {
            for (byte[] b : data) {
                repo.saveBlob(BlobType.DATA, b, 0, b.length);
            }
        } // close flushes the open pack
        try (Repository repo = opener(local).open();
                java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir.resolve("data"))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains("tmp")).toList());
            for (FileInfo p : local.list(FileType.PACK)) {
                int n = repo.index().blobsOf(Id.parse(p.name())).size();
                // a streamed pack ends once it reaches the pack size, with the blob that took it there
                assertTrue(p.size() < 2L * PACK + 400_000 || n == 1, p.name() + " " + p.size() + " bytes");
            }
            for (byte[] b : data) {
                assertArrayEquals(b, repo.loadBlob(BlobType.DATA, Id.hash(b, 0, b.length)));
            }
        }
    }

    /** The local backend, with the second commit of a staging file failing once. */
    private static final class FailingCommit extends ForwardingBackend
            implements dev.backup4j.core.backend.StagingBackend {
        private final dev.backup4j.core.backend.StagingBackend real;
        private final AtomicInteger commits = new AtomicInteger();

        FailingCommit(Backend real) {
            super(real);
            this.real = (dev.backup4j.core.backend.StagingBackend) real;
        }

        @Override
        public java.nio.file.Path newStagingFile() throws IOException {
            return real.newStagingFile();
        }

        @Override
        public void commitStaged(java.nio.file.Path staged, Handle handle) throws IOException {
            if (commits.incrementAndGet() == 2) {
                java.nio.file.Files.delete(staged); // as the real one does on failure
                throw new IOException("injected: commit failed");
            }
            real.commitStaged(staged, handle);
        }
    }

    @Test
    void blobsOfAStagedPackThatFailedToCommitAreStoredAgain() throws Exception {
        java.nio.file.Path dir = tmp.resolve("staged-fail");
        Backend local = Backends.local(dir);
        opener(local).init().close();
        List<byte[]> data = blobs(4, 14);
        try (Repository repo = opener(new FailingCommit(local)).open()) {
            saveAllThroughOneFailureThenAgain(repo, data);
        }
        try (Repository repo = opener(local).open();
                java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir.resolve("data"))) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains("tmp")).toList());
            for (byte[] b : data) {
                assertArrayEquals(b, repo.loadBlob(BlobType.DATA, Id.hash(b, 0, b.length)));
            }
        }
    }

    /** Saves every blob (one pack upload fails), then all again: only the lost pack's blobs are stored again. */
    private static void saveAllThroughOneFailureThenAgain(Repository repo, List<byte[]> data) throws IOException {
        int failures = 0;
        for (byte[] b : data) {
            try {
                repo.saveBlob(BlobType.DATA, b, 0, b.length);
            } catch (IOException e) {
                failures++;
            }
        }
        assertEquals(1, failures);
        int added = 0;
        for (byte[] b : data) {
            added += repo.saveBlob(BlobType.DATA, Id.hash(b, 0, b.length), b, 0, b.length) ? 1 : 0;
        }
        repo.flush();
        assertTrue(added > 0 && added < data.size(), "only the lost blobs are stored again: " + added);
    }
}
