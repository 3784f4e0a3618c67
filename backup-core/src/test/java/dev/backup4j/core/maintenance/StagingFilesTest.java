package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.StagingBackend;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.testing.Restic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging files ({@code data/00/staging-tmp-*}) that a backup killed mid-run leaves behind: the next backup and prune
 * remove them when no backup can be running, and never the staging file of a backup that is.
 */
class StagingFilesTest {
    @TempDir
    Path tmp;

    /** What a backup killed while its pack was open leaves: a staging file with part of a pack, and its lock. */
    private Path leaveKilledBackup(Repository repo, Path repoDir, long seed) throws Exception {
        Path staged = repoDir.resolve("data/00/staging-tmp-" + Long.toHexString(0xdead0000L + seed));
        byte[] partial = new byte[150_000];
        new Random(seed).nextBytes(partial);
        Files.write(staged, partial);
        Locks.builder(repo).pid(deadPid()).build().write(false);
        return staged;
    }

    /** The id of a process on this host that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        return p.pid();
    }

    /** The staging files on disk, listed by the backend; the test checks the listing against the directory. */
    private static List<Path> stagingFiles(Repository repo) throws IOException {
        Path dir = Path.of(repo.backend().location(), "data", "00");
        List<Path> onDisk;
        try (var s = Files.list(dir)) {
            onDisk = s.filter(p -> p.getFileName().toString().startsWith("staging-tmp-")).sorted().toList();
        }
        assertEquals(onDisk, ((StagingBackend) repo.backend()).stagingFiles().stream().sorted().toList());
        return onDisk;
    }

    @Test
    void theNextBackupRemovesWhatAKilledBackupLeftAndResticChecksEitherWay() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Path src = Fixtures.tree(tmp.resolve("src"), 1, 6);
        Path staged;
        try (Repository repo = Fixtures.opener(repoDir).init()) {
            repo.backup().path(src).run();
            staged = leaveKilledBackup(repo, repoDir, 1);
            assertEquals(List.of(staged), stagingFiles(repo));
        }
        Restic restic = Restic.on(repoDir, Fixtures.PASSWORD);
        // restic never lists a staging file; --no-lock: the dead backup's lock blocks restic's exclusive one
        restic.run("check", "--read-data", "--no-lock").ok();

        try (Repository repo = Fixtures.opener(repoDir).open()) {
            BackupResult r = repo.backup().path(src).run();
            assertFalse(r.incomplete(), r.errors().toString());
            assertFalse(Files.exists(staged), "the killed backup's staging file is gone");
            assertEquals(List.of(), stagingFiles(repo));
            assertEquals(1, repo.backend().list(FileType.LOCK).size(),
                    "the dead process's lock stays for unlock to remove, as restic leaves it");
        }
        restic.run("unlock").ok();
        restic.run("check", "--read-data").ok();
    }

    @Test
    void pruneRemovesThemToo() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Path src = Fixtures.tree(tmp.resolve("src"), 2, 6);
        Path staged;
        try (Repository repo = Fixtures.opener(repoDir).init()) {
            repo.backup().path(src).run();
            staged = leaveKilledBackup(repo, repoDir, 2);
        }
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            Locks.on(repo).removeStale(); // unlock, as prune's exclusive lock needs
            try (RepositoryLock lock = Locks.on(repo).acquire(true)) {
                Prune.on(repo).dryRun(true).lock(lock).run();
                assertTrue(Files.exists(staged), "a dry run removes nothing");
                Prune.on(repo).lock(lock).run();
            }
            assertFalse(Files.exists(staged));
        }
        Restic.on(repoDir, Fixtures.PASSWORD).run("check", "--read-data").ok();
    }

    /**
     * A backup blocked mid-file (its data pack open in a staging file) while another backup of the same repository,
     * through another {@code Repository}, runs and finishes: the second one must leave the first one's staging file
     * alone, and the first one then completes.
     */
    @Test
    void aBackupStillRunningKeepsItsStagingFile() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Path src = Fixtures.tree(tmp.resolve("src"), 3, 6);
        // the default 16 MiB packs: the first blobs of the blocked file stay in the open staging pack
        Repository.Opener big = Repository.at(Backends.local(repoDir)).password(Fixtures.PASSWORD)
                .kdf(KdfParams.insecureFastForTests());
        big.init().close();
        CountDownLatch release = new CountDownLatch(1);
        byte[] data = new byte[6 * 1024 * 1024];
        new Random(3).nextBytes(data);
        CompletableFuture<BackupResult> running;
        Path theirs;
        try (Repository slow = Repository.at(Backends.local(repoDir)).password(Fixtures.PASSWORD)
                .kdf(KdfParams.insecureFastForTests()).open()) {
            running = CompletableFuture.supplyAsync(() -> {
                try {
                    return slow.backup().source(SnapshotSources.stream("/db/dump.sql",
                            () -> new BlockingStream(data, release), Clock.systemUTC())).run();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                theirs = awaitStagingFile(slow, running);
                try (Repository other = Fixtures.opener(repoDir).open()) {
                    BackupResult r = other.backup().path(src).run();
                    assertFalse(r.incomplete(), r.errors().toString());
                    try (RepositoryLock mine = Locks.on(other).acquire(false)) {
                        assertEquals(List.of(), Locks.on(other).removeAbandonedStagingFiles(mine),
                                "a live shared lock keeps them");
                    }
                    assertEquals(List.of(), Locks.on(other).removeAbandonedStagingFiles());
                }
                assertTrue(Files.exists(theirs), "the running backup's staging file was left alone");
            } finally {
                release.countDown();
            }
            BackupResult done = running.get(5, TimeUnit.MINUTES);
            assertFalse(done.incomplete(), done.errors().toString());
            assertEquals(data.length, done.bytesRead());
            assertEquals(List.of(), stagingFiles(slow), "committed into a pack");
        }
        Restic.on(repoDir, Fixtures.PASSWORD).run("check", "--read-data").ok();
    }

    /** Waits until the running backup has a staging file (or fails with what ended it). */
    private static Path awaitStagingFile(Repository repo, CompletableFuture<?> running) throws Exception {
        for (int i = 0; i < 6000; i++) {
            List<Path> files = stagingFiles(repo);
            if (!files.isEmpty()) {
                assertEquals(1, files.size(), files.toString());
                return files.get(0);
            }
            if (running.isDone()) {
                running.get();
                fail("the backup ended before it staged a pack");
            }
            Thread.sleep(20);
        }
        fail("the backup staged no pack in 2 minutes");
        return null;
    }

    /** {@code data}, except that the last byte waits for {@code release}. */
    private static final class BlockingStream extends InputStream {
        private final byte[] data;
        private final CountDownLatch release;
        private int pos;

        BlockingStream(byte[] data, CountDownLatch release) {
            this.data = data;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == data.length) {
                return -1;
            }
            if (pos == data.length - 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
            }
            int n = Math.min(len, (pos < data.length - 1 ? data.length - 1 : data.length) - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
