package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.common.RepositoryLockedException;
import dev.backup4j.core.testing.Restic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locks taken by the library stop restic, and restic's stop the library; both judge staleness alike. */
class ResticLocksInteropTest {
    @TempDir
    Path tmp;

    private Locks locks(Repository repo) {
        return Locks.builder(repo).waitBeforeCheck(Duration.ofMillis(10)).build();
    }

    @Test
    void resticRespectsTheLibrarysLocks() throws Exception {
        Restic.requireRestic();
        Path dir = tmp.resolve("repo");
        try (Repository repo = Fixtures.opener(dir).init()) {
            Restic restic = Restic.on(dir, Fixtures.PASSWORD);
            try (RepositoryLock x = locks(repo).acquire(true)) {
                Restic.Result r = restic.run("snapshots");
                assertNotEquals(0, r.exitCode());
                assertTrue(r.stderr().contains("repository is already locked exclusively"), r.stderr());
                assertTrue(r.stderr().contains("PID " + ProcessHandle.current().pid()), r.stderr());
                assertEquals(1, restic.run("unlock").ok().exitCode() == 0 ? locks(repo).list().size() : -1,
                        "restic unlock keeps the lock of a live process on this host");
            }
            try (RepositoryLock s = locks(repo).acquire(false)) {
                restic.run("snapshots").ok();
                Restic.Result r = restic.run("check");
                assertNotEquals(0, r.exitCode(), "check takes an exclusive lock in restic 0.14");
                assertTrue(r.stderr().contains("repository is already locked by"), r.stderr());
            }
            restic.run("check").ok();
        }
    }

    @Test
    void resticUnlockRemovesTheLibrarysStaleLocks() throws Exception {
        Restic.requireRestic();
        Path dir = tmp.resolve("repo");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (Repository repo = Fixtures.opener(dir).init()) {
            RepositoryLock dead = Locks.builder(repo).pid(gone.pid()).waitBeforeCheck(Duration.ZERO).build()
                    .acquire(false);
            try (RepositoryLock live = locks(repo).acquire(false)) {
                assertEquals(List.of(true, false), locks(repo).list().stream()
                        .sorted((a, b) -> Boolean.compare(!a.stale(), !b.stale())).map(LockInfo::stale).toList());
                Restic.on(dir, Fixtures.PASSWORD).run("unlock").ok();
                assertEquals(List.of(live.id()), locks(repo).list().stream().map(LockInfo::id).toList());
            }
            dead.close();
        }
    }

    @Test
    void theLibraryRespectsResticsLocksAndRemovesThemWhenStale() throws Exception {
        Restic.requireRestic();
        Path dir = tmp.resolve("repo");
        try (Repository repo = Fixtures.opener(dir).init()) {
            // `restic key passwd` takes an exclusive lock, then waits for the new password on stdin
            List<String> cmd = new ArrayList<>(List.of(Restic.binary(), "-r", dir.toString(), "--no-cache", "key",
                    "passwd"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("restic.log").toFile());
            pb.environment().put("RESTIC_PASSWORD", Fixtures.PASSWORD);
            Process restic = pb.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (locks(repo).list().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                List<LockInfo> held = locks(repo).list();
                assertEquals(1, held.size(), Files.readString(tmp.resolve("restic.log")));
                LockInfo l = held.get(0);
                assertTrue(l.exclusive());
                assertEquals(restic.pid(), l.pid());
                assertEquals(Locks.systemHostname(), l.hostname());
                assertTrue(!l.stale());
                RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                        () -> locks(repo).acquire(false));
                assertTrue(e.getMessage().contains("PID " + restic.pid()), e.getMessage());
                assertEquals(0, locks(repo).removeStale().size(), "a live restic's lock is not stale");
            } finally {
                restic.destroyForcibly();
                restic.waitFor(10, TimeUnit.SECONDS);
            }
            // killed without cleanup: the lock stays, and is stale because its process is gone
            List<LockInfo> left = locks(repo).list();
            assertEquals(1, left.size());
            assertTrue(left.get(0).stale());
            assertEquals(1, locks(repo).removeStale().size());
            locks(repo).acquire(true).close();
        }
    }
}
