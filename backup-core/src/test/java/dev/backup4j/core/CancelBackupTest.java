package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.backup.RunningBackup;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntries;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.testing.Restic;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups in the background ({@link BackupCommand#start()}), and what a cancelled or interrupted one leaves: no
 * snapshot, no lock, no staging or temporary file, every pack it uploaded listed in an index, and a repository that
 * the next backup and {@code restic check --read-data} accept. Every wait is for an event (a latch, the backup's
 * end), never for a time.
 */
class CancelBackupTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T02:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private Path repoDir() {
        return tmp.resolve("repo");
    }

    private Repository.Opener opener() {
        // small packs, so that packs are uploaded (and indexed every 2) before the backup is cancelled
        return Repository.at(Backends.local(repoDir())).password("pw").kdf(KdfParams.insecureFastForTests())
                .packSize(256 * 1024).indexEveryPacks(2).hostname("h").clock(CLOCK);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * {@code data}; once {@code blockAt} bytes are read it counts {@code reached} down and waits for {@code release}
     * (interrupts end the wait with an {@link InterruptedIOException}, unless {@code ignoreInterrupts}). Closing it
     * releases a blocked read, which then fails, as a pipe or socket closed under a reader does.
     */
    static final class BlockingStream extends InputStream {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean closed = new AtomicBoolean();
        private final byte[] data;
        private final int blockAt;
        private final boolean ignoreInterrupts;
        private int pos;

        BlockingStream(byte[] data, int blockAt, boolean ignoreInterrupts) {
            this.data = data;
            this.blockAt = blockAt;
            this.ignoreInterrupts = ignoreInterrupts;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == blockAt) {
                reached.countDown();
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        if (!ignoreInterrupts) {
                            throw new InterruptedIOException("interrupted while blocked");
                        }
                    }
                }
            }
            if (closed.get()) {
                throw new IOException("stream closed");
            }
            if (pos == data.length) {
                return -1;
            }
            int end = pos < blockAt ? blockAt : data.length;
            int n = Math.min(len, end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            closed.set(true);
            release.countDown();
        }
    }

    private static SnapshotSource dump(InputStream in) {
        return SnapshotSources.stream("/db/dump.sql", () -> in, CLOCK);
    }

    /** Every file of the repository directory, relative to it. */
    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.walk(repoDir())) {
            return s.filter(Files::isRegularFile).map(p -> repoDir().relativize(p).toString()).sorted().toList();
        }
    }

    /** No snapshot, no lock, no staging or temporary file, and every pack listed in an index file. */
    private void assertNothingLeftBehind() throws IOException {
        for (String f : files()) {
            assertFalse(f.contains("-tmp-"), "a staging or temporary file is left: " + f);
        }
        try (Repository fresh = opener().open()) { // loads the index from the index files alone
            assertEquals(List.of(), fresh.snapshots(), "no snapshot");
            assertEquals(List.of(), fresh.backend().list(FileType.LOCK), "no lock");
            Set<Id> packs = new TreeSet<>();
            for (FileInfo f : fresh.backend().list(FileType.PACK)) {
                packs.add(Id.parse(f.name()));
            }
            assertEquals(packs, new TreeSet<>(fresh.index().packs()), "every pack uploaded is in an index file");
        }
    }

    /** Backs the same data up again, unblocked, and has restic check every byte and restore it. */
    private void nextBackupAndResticAgree(byte[] data) throws Exception {
        try (Repository repo = opener().open()) {
            BackupResult r = repo.backup().source(dump(new ByteArrayInputStream(data))).run();
            assertFalse(r.incomplete(), r.errors().toString());
            assertEquals(data.length, r.bytesRead());
        }
        Restic restic = Restic.on(repoDir(), "pw");
        restic.run("check", "--read-data").ok();
        Path out = tmp.resolve("restored");
        restic.run("restore", "latest", "--target", out.toString()).ok();
        assertArrayEquals(data, Files.readAllBytes(out.resolve("db/dump.sql")));
    }

    @Test
    void aCancelledBackupSavesNoSnapshotReleasesItsLockAndLeavesEveryPackIndexed() throws Exception {
        byte[] data = random(3 << 20, 1);
        BlockingStream in = new BlockingStream(data, 2 << 20, false);
        try (Repository repo = opener().init()) {
            RunningBackup running = repo.backup().source(dump(in)).start();
            in.reached.await(); // the reader is blocked two thirds through the dump
            assertEquals(RunningBackup.State.RUNNING, running.state());
            assertEquals(List.of("/db/dump.sql"), running.status().currentFiles());
            assertEquals(1, repo.backend().list(FileType.LOCK).size(), "the backup holds its lock");

            assertTrue(running.cancel());
            assertTrue(running.cancel(), "cancelling twice is harmless");
            assertThrows(CancellationException.class, running::await);
            assertEquals(RunningBackup.State.CANCELLED, running.state());
            assertTrue(running.isDone());
            assertFalse(running.cancel(), "it has ended");
            assertTrue(running.result().isCancelled(), "the future says so too");
            assertTrue(in.closed.get(), "the source's stream is closed");
            assertEquals(List.of(), repo.backend().list(FileType.LOCK), "the lock is released before await returns");
        }
        assertNothingLeftBehind();
        nextBackupAndResticAgree(data);
    }

    @Test
    void aCancelReachesAReadThatIgnoresInterruptsByClosingItsStream() throws Exception {
        byte[] data = random(1 << 20, 2);
        BlockingStream in = new BlockingStream(data, 600 * 1024, true);
        try (Repository repo = opener().init()) {
            RunningBackup running = repo.backup().source(dump(in)).start();
            in.reached.await();
            assertTrue(running.cancel());
            assertThrows(CancellationException.class, running::await);
            assertTrue(in.closed.get(), "closing the stream is what released the blocked read");
        }
        assertNothingLeftBehind();
        nextBackupAndResticAgree(data);
    }

    @Test
    void interruptingRunStopsTheBackupAsACancelDoes() throws Exception {
        byte[] data = random(2 << 20, 3);
        BlockingStream in = new BlockingStream(data, 1 << 20, false);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        try (Repository repo = opener().init()) {
            Thread t = new Thread(() -> {
                try {
                    repo.backup().source(dump(in)).run();
                } catch (Throwable e) {
                    thrown.set(e);
                }
                flagAfter.set(Thread.currentThread().isInterrupted());
            });
            t.start();
            in.reached.await();
            t.interrupt();
            t.join();
            assertInstanceOf(InterruptedIOException.class, thrown.get());
            assertEquals("backup interrupted", thrown.get().getMessage());
            assertTrue(flagAfter.get(), "run() keeps the thread's interrupt flag set");
        }
        assertNothingLeftBehind();
        nextBackupAndResticAgree(data);
    }

    @Test
    void cancelledBeforeTheExecutorRunsItTheBackupEndsAtOnceAndItsTaskDoesNothing() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        try (Repository repo = opener().init()) {
            RunningBackup running = repo.backup().source(dump(new ByteArrayInputStream(new byte[10]))).start(
                    queued::add);
            assertEquals(RunningBackup.State.QUEUED, running.state());
            assertEquals(0, running.status().filesDone());
            assertTrue(running.cancel());
            assertEquals(RunningBackup.State.CANCELLED, running.state());
            assertThrows(CancellationException.class, running::await);
            assertEquals(1, queued.size());
            queued.get(0).run(); // the executor gets round to it
            assertEquals(RunningBackup.State.CANCELLED, running.state());
            assertEquals(List.of(), repo.backend().list(FileType.LOCK), "it never took a lock");
            assertEquals(List.of(), repo.snapshots());
        }
    }

    @Test
    void onTheCallersExecutorTheWalkRunsThereAndTheResultIsDelivered() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "application-pool"));
        AtomicReference<String> walkedOn = new AtomicReference<>();
        SnapshotSource courses = new SnapshotSource() {
            @Override
            public String path() {
                return "/lms/notes";
            }

            @Override
            public SourceEntry root() {
                walkedOn.set(Thread.currentThread().getName());
                return SourceEntries.directory("notes", Instant.parse("2026-01-01T00:00:00Z"), List.of(
                        SourceEntries.file("a.txt", 3, Instant.parse("2026-01-02T00:00:00Z"),
                                () -> new ByteArrayInputStream("abc".getBytes()))));
            }
        };
        try (Repository repo = opener().init()) {
            RunningBackup running = repo.backup().source(courses).start(pool);
            BackupResult r = running.result().get(5, TimeUnit.MINUTES);
            assertEquals(r, running.await());
            assertEquals("application-pool", walkedOn.get());
            assertEquals(1, r.filesNew());
            assertEquals(RunningBackup.State.SUCCEEDED, running.state());
            assertEquals(1, running.status().filesDone(), "the last status stays");
            assertFalse(running.cancel(), "too late: the snapshot is saved");
            assertEquals(List.of(r.snapshot()), repo.snapshots());
            assertEquals(List.of(), repo.backend().list(FileType.LOCK));
            // the pool's thread is handed back without an interrupt flag, and runs the next task
            assertFalse(pool.submit(() -> Thread.currentThread().isInterrupted()).get());
        } finally {
            pool.shutdown();
        }
        Restic.on(repoDir(), "pw").run("check", "--read-data").ok();
    }

    @Test
    void cancellingTheResultFutureCancelsTheBackup() throws Exception {
        byte[] data = random(1 << 20, 4);
        BlockingStream in = new BlockingStream(data, 512 * 1024, false);
        try (Repository repo = opener().init()) {
            RunningBackup running = repo.backup().source(dump(in)).start();
            in.reached.await();
            CompletableFuture<BackupResult> f = running.result();
            assertTrue(f.cancel(true));
            assertThrows(CancellationException.class, running::await); // waits for the backup to stop
            assertEquals(RunningBackup.State.CANCELLED, running.state());
            assertEquals(List.of(), repo.backend().list(FileType.LOCK));
        }
        assertNothingLeftBehind();
    }

    @Test
    void aCancelStopsAWaitForAnotherProcesssLock() throws Exception {
        try (Repository other = opener().init();
                RepositoryLock exclusive = Locks.on(other).acquire(true);
                Repository repo = Repository.at(Backends.local(repoDir())).password("pw")
                        .kdf(KdfParams.insecureFastForTests()).lockWait(Duration.ofHours(1)).open()) {
            RunningBackup running = repo.backup().source(dump(new ByteArrayInputStream(new byte[10]))).start();
            // whether it is already waiting or about to: it cannot get its lock while the exclusive one is held
            assertTrue(running.cancel());
            assertThrows(CancellationException.class, running::await);
            assertEquals(List.of(exclusive.id().toString()), repo.backend().list(FileType.LOCK).stream()
                    .map(FileInfo::name).toList(), "only the other lock is left");
        }
    }

    @Test
    void startRefusesMisuseAtOnce() throws Exception {
        try (Repository repo = opener().init()) {
            assertThrows(IllegalStateException.class, () -> repo.backup().start(), "nothing to back up");
            BackupCommand c = repo.backup().source(dump(new ByteArrayInputStream(new byte[1])));
            c.start().await();
            assertThrows(IllegalStateException.class, c::start, "a command runs once");
            assertThrows(IllegalStateException.class, c::run);
        }
    }
}
