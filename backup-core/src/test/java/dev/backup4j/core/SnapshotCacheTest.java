package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.ForwardingBackend;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import dev.backup4j.core.testing.FaultyBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Repository#snapshots()} keeps snapshots in memory per instance: a repeated call reads no snapshot file, a
 * snapshot another instance saves appears (read once), a removed one disappears, and concurrent callers agree.
 */
class SnapshotCacheTest {
    @TempDir
    Path tmp;

    /** Counts reads of snapshot files, on top of the fault-injecting wrapper the other tests use. */
    static final class CountingBackend extends ForwardingBackend {
        final AtomicInteger snapshotReads = new AtomicInteger();

        CountingBackend(Backend inner) {
            super(inner);
        }

        @Override
        public byte[] read(Handle handle, long offset, int length) throws IOException {
            if (handle.type() == FileType.SNAPSHOT) {
                snapshotReads.incrementAndGet();
            }
            return super.read(handle, offset, length);
        }
    }

    private Repository.Opener opener(Backend b) {
        return Repository.at(b).password("pw").kdf(KdfParams.insecureFastForTests()).hostname("h");
    }

    /** Saves {@code n} snapshots of one empty tree, a minute apart from {@code first}. */
    private static List<Snapshot> save(Repository repo, int n, OffsetDateTime first) throws IOException {
        Id tree = repo.saveTree(new Tree(List.of()));
        repo.flush();
        List<Snapshot> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(repo.saveSnapshot(new Snapshot(Optional.empty(), first.plusMinutes(i), tree, Optional.empty(),
                    List.of("/data"), "h", "u", 0, 0, List.of("n" + i), List.of(), Optional.empty())));
        }
        return out;
    }

    @Test
    void aRepeatedListingReadsNoSnapshotFileAndOtherInstancesChangesShowUp() throws Exception {
        Path dir = tmp.resolve("repo");
        opener(Backends.local(dir)).init().close();
        CountingBackend counting = new CountingBackend(FaultyBackend.never(Backends.local(dir)));
        try (Repository repo = opener(counting).open();
                Repository other = opener(Backends.local(dir)).open()) {
            List<Snapshot> mine = save(repo, 3, OffsetDateTime.parse("2026-01-01T00:00:00Z"));
            assertEquals(3, repo.snapshots().size());
            assertEquals(0, counting.snapshotReads.get(), "the snapshots it saved itself are not read back");

            List<Snapshot> theirs = save(other, 2, OffsetDateTime.parse("2026-02-01T00:00:00Z"));
            List<Snapshot> all = repo.snapshots();
            assertEquals(5, all.size());
            assertEquals(2, counting.snapshotReads.get(), "only the two new files are read");
            assertEquals(other.snapshots(), all, "the same snapshots as another instance lists");
            assertEquals(theirs.get(1).id(), all.get(4).id());

            assertEquals(all, repo.snapshots());
            assertEquals(all.get(4), repo.snapshot("latest"));
            assertEquals(2, counting.snapshotReads.get(), "nothing read on the repeated calls");

            // forgotten elsewhere: gone from the next listing, nothing read
            other.backend().delete(Handle.of(FileType.SNAPSHOT, mine.get(1).requireId()));
            other.backend().delete(Handle.of(FileType.SNAPSHOT, theirs.get(0).requireId()));
            List<Snapshot> after = repo.snapshots();
            assertEquals(List.of(mine.get(0).id(), mine.get(2).id(), theirs.get(1).id()),
                    after.stream().map(Snapshot::id).toList());
            assertEquals(2, counting.snapshotReads.get());
        }
        try (Repository fresh = opener(Backends.local(dir)).open()) {
            assertEquals(3, fresh.snapshots().size());
        }
    }

    @Test
    void aSnapshotSavedHereIsListedExactlyAsAReaderOfItsFileGetsIt() throws Exception {
        Path dir = tmp.resolve("repo");
        try (Repository repo = opener(Backends.local(dir)).init()) {
            // nanoseconds and an odd offset: what is kept must be what the file says, not the object given
            save(repo, 1, OffsetDateTime.parse("2026-01-01T01:02:03.123456789+05:45"));
            Files.createDirectories(tmp.resolve("src"));
            Files.writeString(tmp.resolve("src/a"), "a");
            repo.backup().path(tmp.resolve("src")).run();
            try (Repository fresh = opener(Backends.local(dir)).open()) {
                assertEquals(fresh.snapshots(), repo.snapshots());
            }
        }
    }

    @Test
    void aDamagedSnapshotFileFailsTheListingUntilItIsGoneAndIsNeverKept() throws Exception {
        Path dir = tmp.resolve("repo");
        try (Repository repo = opener(Backends.local(dir)).init();
                Repository other = opener(Backends.local(dir)).open()) {
            save(repo, 1, OffsetDateTime.parse("2026-01-01T00:00:00Z"));
            Snapshot bad = save(other, 1, OffsetDateTime.parse("2026-01-02T00:00:00Z")).get(0);
            Path file = dir.resolve(Handle.of(FileType.SNAPSHOT, bad.requireId()).relativePath());
            byte[] b = Files.readAllBytes(file);
            b[b.length - 1] ^= 1;
            file.toFile().setWritable(true);
            Files.write(file, b);
            assertThrows(CorruptDataException.class, repo::snapshots);
            assertThrows(CorruptDataException.class, repo::snapshots, "a damaged file is not kept");
            Files.delete(file);
            assertEquals(1, repo.snapshots().size());
        }
    }

    @Test
    void aSnapshotForgottenBetweenTheListingAndTheReadIsLeftOut() throws Exception {
        Path dir = tmp.resolve("repo");
        opener(Backends.local(dir)).init().close();
        Id[] forget = new Id[1];
        Backend racing = new ForwardingBackend(Backends.local(dir)) {
            @Override
            public List<dev.backup4j.core.backend.FileInfo> list(FileType type) throws IOException {
                List<dev.backup4j.core.backend.FileInfo> l = super.list(type);
                if (type == FileType.SNAPSHOT && forget[0] != null) {
                    super.delete(Handle.of(FileType.SNAPSHOT, forget[0])); // another process's forget, just now
                    forget[0] = null;
                }
                return l;
            }
        };
        try (Repository other = opener(Backends.local(dir)).open();
                Repository repo = opener(racing).open()) {
            List<Snapshot> saved = save(other, 3, OffsetDateTime.parse("2026-01-01T00:00:00Z"));
            forget[0] = saved.get(1).requireId();
            assertEquals(List.of(saved.get(0).id(), saved.get(2).id()),
                    repo.snapshots().stream().map(Snapshot::id).toList());
        }
    }

    @Test
    void concurrentListingsWhileAnotherInstanceSavesAllAgree() throws Exception {
        Path dir = tmp.resolve("repo");
        opener(Backends.local(dir)).init().close();
        try (Repository repo = opener(Backends.local(dir)).open();
                Repository other = opener(Backends.local(dir)).open()) {
            save(repo, 130, OffsetDateTime.parse("2026-01-01T00:00:00Z")); // enough to read on several threads
            try (Repository cold = opener(Backends.local(dir)).open()) {
                ExecutorService pool = Executors.newFixedThreadPool(4);
                CountDownLatch go = new CountDownLatch(1);
                List<List<Snapshot>> seen = new CopyOnWriteArrayList<>();
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    tasks.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < 20; i++) {
                            seen.add(cold.snapshots());
                        }
                        return null;
                    }));
                }
                go.countDown();
                List<Snapshot> added = save(other, 10, OffsetDateTime.parse("2026-06-01T00:00:00Z"));
                for (Future<?> f : tasks) {
                    f.get();
                }
                pool.shutdown();
                for (List<Snapshot> l : seen) {
                    assertTrue(l.size() >= 130 && l.size() <= 140, "size " + l.size());
                    List<Snapshot> sorted = new ArrayList<>(l);
                    sorted.sort(Comparator.comparing(Snapshot::instant));
                    assertEquals(sorted, l, "oldest first");
                    assertEquals(l.size(), l.stream().map(Snapshot::id).distinct().count(), "no duplicates");
                }
                List<Snapshot> last = cold.snapshots();
                assertEquals(140, last.size());
                assertEquals(added.get(9).id(), last.get(139).id());
                assertEquals(other.snapshots(), last);
                assertFalse(seen.isEmpty());
            }
        }
    }
}
