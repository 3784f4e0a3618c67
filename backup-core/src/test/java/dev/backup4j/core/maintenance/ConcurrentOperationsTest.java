package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.common.RepositoryLockedException;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.TreeDigest;
import dev.backup4j.retention.RetentionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library locks by itself: prune, forget, check, copy and restore called from Java, each on its own
 * {@code Repository} instance, run concurrently with backups from two other instances on one repository for many
 * rounds; nothing is lost. Afterwards restic checks both repositories with {@code --read-data} and every snapshot
 * left restores to exactly the tree it was taken of.
 */
class ConcurrentOperationsTest {
    private static final int ROUNDS = 10;

    @TempDir
    Path tmp;

    private Repository.Opener opener(Path dir) {
        // waits for a conflicting lock instead of failing; a short lock pause suits a local disk
        return Fixtures.opener(dir).lockWait(Duration.ofMinutes(2)).lockCheckDelay(Duration.ofMillis(20));
    }

    @Test
    void maintenanceFromJavaRunsBesideBackupsOfOtherInstancesAndLosesNothing() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Path copyDir = tmp.resolve("copy");
        opener(repoDir).init().close();
        opener(copyDir).init().close();
        Map<String, Map<String, String>> expected = new ConcurrentHashMap<>();
        AtomicInteger maintenanceRuns = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            int backupNo = b;
            work.add(pool.submit(() -> {
                Path src = tmp.resolve("src" + backupNo);
                Random rnd = new Random(backupNo);
                start.await();
                for (int round = 0; round < ROUNDS; round++) {
                    Files.createDirectories(src.resolve("r" + round % 4));
                    byte[] data = new byte[30_000 + rnd.nextInt(200_000)];
                    rnd.nextBytes(data);
                    Files.write(src.resolve("r" + round % 4).resolve("f" + round + ".bin"), data);
                    Files.deleteIfExists(src.resolve("r" + (round + 2) % 4).resolve("f" + (round - 2) + ".bin"));
                    Map<String, String> digest = TreeDigest.of(src);
                    try (Repository repo = opener(repoDir).open()) {
                        BackupResult r = repo.backup().path(src).host("host" + backupNo).run();
                        expected.put(r.snapshot().requireId().toString(), digest);
                    }
                }
                return null;
            }));
        }
        work.add(pool.submit(() -> {
            start.await();
            Random rnd = new Random(7);
            for (int round = 0; round < 3 * ROUNDS; round++) {
                try (Repository repo = opener(repoDir).open()) {
                    switch (round % 5) {
                        case 0 -> Forget.on(repo).policy(RetentionPolicy.builder().zone(java.time.ZoneOffset.UTC).keepLast(3).build()).run();
                        case 1 -> Prune.on(repo).maxUnused("0%").run();
                        case 2 -> assertTrue(Check.on(repo).readData().run().ok(), "check while backups run");
                        case 3 -> {
                            try (Repository dst = opener(copyDir).open()) {
                                Copy.from(repo).to(dst).run();
                            }
                        }
                        default -> restoreAndCompare(repo, expected, tmp.resolve("restore" + round), rnd);
                    }
                    maintenanceRuns.incrementAndGet();
                }
            }
            return null;
        }));
        start.countDown();
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        assertEquals(3 * ROUNDS, maintenanceRuns.get());

        Restic.on(repoDir, Fixtures.PASSWORD).run("check", "--read-data").ok();
        Restic.on(copyDir, Fixtures.PASSWORD).run("check", "--read-data").ok();
        try (Repository repo = opener(repoDir).open()) {
            List<Snapshot> left = repo.snapshots();
            assertTrue(left.size() >= 3, left.size() + " snapshots left");
            for (Snapshot s : left) {
                Path target = tmp.resolve("final-" + s.requireId().shortString());
                RestoreResult r = repo.restore(s.requireId().toString()).target(target).run();
                assertTrue(r.complete(), r.errors().toString());
                assertEquals(expected.get(s.requireId().toString()), TreeDigest.of(target.resolve(
                        s.paths().get(0).substring(1))), "snapshot " + s.requireId().shortString());
            }
        }
    }

    private static void restoreAndCompare(Repository repo, Map<String, Map<String, String>> expected, Path target,
            Random rnd) throws IOException {
        List<Snapshot> snaps = repo.snapshots();
        if (snaps.isEmpty()) {
            return;
        }
        Snapshot s = snaps.get(rnd.nextInt(snaps.size()));
        RestoreResult r;
        try {
            r = repo.restore(s.requireId().toString()).target(target).run();
        } catch (dev.backup4j.core.common.NoSuchSnapshotException e) {
            return; // forgotten between the listing and the restore: the forget's lock came first
        }
        assertTrue(r.complete(), r.errors().toString());
        assertEquals(expected.get(s.requireId().toString()),
                TreeDigest.of(target.resolve(s.paths().get(0).substring(1))));
    }

    @Test
    void aPruneFailsFastWhileABackupHoldsItsLockAndDeletesNothing() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Fixtures.opener(repoDir).init().close();
        try (Repository backupSide = Fixtures.opener(repoDir).open();
                Repository pruneSide = Fixtures.opener(repoDir).open();
                RepositoryLock backupLock = Locks.on(backupSide).acquire(false)) {
            backupSide.backup().path(Fixtures.tree(tmp.resolve("src"), 1, 6)).lock(backupLock).run();
            List<String> before;
            try (var s = Files.walk(repoDir.resolve("data"))) {
                before = s.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
            }
            RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                    () -> Prune.on(pruneSide).run());
            assertTrue(e.getMessage().contains("locked"), e.getMessage());
            assertThrows(RepositoryLockedException.class, () -> Forget.on(pruneSide)
                    .policy(RetentionPolicy.builder().zone(java.time.ZoneOffset.UTC).keepLast(1).build()).run());
            try (var s = Files.walk(repoDir.resolve("data"))) {
                assertEquals(before, s.filter(Files::isRegularFile).map(Path::toString).sorted().toList());
            }
            // a caller's own lock is used, not doubled: a shared one is refused for a prune
            assertThrows(IllegalArgumentException.class, () -> Prune.on(backupSide).lock(backupLock).run());
        }
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            assertTrue(Prune.on(repo).run().plan() != null, "with the backup's lock gone, prune runs");
        }
    }
}
