package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.RepositoryLockedException;
import dev.backup4j.core.maintenance.Fixtures.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocksTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-06T07:08:09Z"));
    private final Backend backend = Backends.inMemory();
    private Repository repo;

    @BeforeEach
    void init() throws Exception {
        repo = Fixtures.opener(backend, clock).init();
    }

    @AfterEach
    void close() throws Exception {
        repo.close();
    }

    private Locks.Builder process(String host, long pid) {
        return Locks.builder(repo).hostname(host).pid(pid).waitBeforeCheck(Duration.ZERO)
                .retryInterval(Duration.ofMillis(20)).processAlive(p -> p == 100 || p == 200);
    }

    @Test
    void sharedLocksCoexistAndExclusiveOnesConflictWithEverything() throws Exception {
        Locks a = process("host-a", 100).build();
        Locks b = process("host-b", 200).build();
        try (RepositoryLock s1 = a.acquire(false); RepositoryLock s2 = b.acquire(false)) {
            assertEquals(2, a.list().size());
            RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> b.acquire(true));
            assertTrue(e.getMessage().startsWith("repository is already locked by shared lock"), e.getMessage());
            assertEquals(2, backend.list(FileType.LOCK).size(), "a refused attempt leaves no lock file behind");
        }
        assertEquals(0, backend.list(FileType.LOCK).size(), "close removes the lock files");
        try (RepositoryLock x = a.acquire(true)) {
            assertTrue(x.exclusive());
            RepositoryLockedException e = assertThrows(RepositoryLockedException.class, () -> b.acquire(false));
            assertTrue(e.getMessage().contains("locked exclusively by exclusive lock " + x.id().shortString()
                    + " of PID 100 on host-a"), e.getMessage());
        }
        b.acquire(true).close();
    }

    @Test
    void staleAfterThirtyMinutesWithoutRefreshOrWhenTheProcessOnThisHostIsGone() throws Exception {
        Locks here = process("host-a", 100).build();
        try (RepositoryLock alive = here.acquire(false);
                RepositoryLock otherHost = process("host-b", 999).build().acquire(false);
                RepositoryLock dead = process("host-a", 999).build().acquire(false)) {
            Set<String> stale = staleIds(here);
            assertEquals(Set.of(dead.id().shortString()), stale, "dead process on this host");

            clock.advance(Duration.ofMinutes(29));
            otherHost.refresh();
            clock.advance(Duration.ofMinutes(2));
            assertEquals(Set.of(dead.id().shortString(), alive.id().shortString()), staleIds(here),
                    "31 minutes without refresh; the refreshed lock of the other host is fresh");

            List<LockInfo> removed = here.removeStale();
            assertEquals(2, removed.size());
            assertEquals(List.of(otherHost.id()), here.list().stream().map(LockInfo::id).toList(),
                    "unlock removes stale locks only");
        }
    }

    @Test
    void staleLocksBlockLikeRestic014UnlessIgnored() throws Exception {
        RepositoryLock dead = process("host-a", 999).build().acquire(true);
        assertThrows(RepositoryLockedException.class, () -> process("host-a", 100).build().acquire(false));
        RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                () -> process("host-a", 100).build().acquire(false));
        assertTrue(e.getMessage().contains("stale: remove it with unlock"), e.getMessage());
        process("host-a", 100).ignoreStale(true).build().acquire(false).close();
        dead.close();
    }

    private static Set<String> staleIds(Locks locks) throws Exception {
        return locks.list().stream().filter(LockInfo::stale).map(l -> l.id().shortString())
                .collect(Collectors.toSet());
    }

    @Test
    void anUnconfirmedLockBacksOffWhenARacingExclusiveLockAppearsBeforeItsCheck() throws Exception {
        Locks backup = Locks.builder(repo).hostname("host-a").pid(100).waitBeforeCheck(Duration.ofMillis(50))
                .processAlive(p -> p == 100 || p == 200).build();
        Locks prune = process("host-b", 200).build();
        // the backup writes its lock and goes on; a prune's lock file appears during the pause (the race the second
        // check is for)
        RepositoryLock shared = backup.acquireUnconfirmed(false);
        Id pruneLock = prune.write(true);
        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, shared::confirm);
        assertTrue(e.getMessage().contains("exclusively"), e.getMessage());
        assertEquals(List.of(pruneLock), backend.list(FileType.LOCK).stream().map(f -> Id.parse(f.name())).toList(),
                "the backup released its lock");
        prune.delete(pruneLock);

        // without a racer, confirm passes once the pause is over, and the lock is held like any other
        try (RepositoryLock held = backup.acquireUnconfirmed(false)) {
            long t0 = System.nanoTime();
            held.confirm();
            assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(40).toNanos(), "confirm waits out the pause");
            held.confirm(); // once only: no second pause
            assertThrows(RepositoryLockedException.class, () -> prune.acquire(true));
        }
        assertEquals(0, backend.list(FileType.LOCK).size());
    }

    @Test
    void aHeldLockIsRefreshedInTheBackgroundWithTheRepositoryClock() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            Locks locks = process("host-a", 100).refreshInterval(Duration.ofMillis(30)).scheduler(scheduler).build();
            try (RepositoryLock lock = locks.acquire(true)) {
                var first = lock.id();
                clock.advance(Duration.ofMinutes(10));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (lock.id().equals(first) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertNotEquals(first, lock.id(), "refreshed");
                List<LockInfo> now = locks.list();
                assertEquals(1, now.size(), "the old lock file is removed after the new one is written");
                assertEquals(clock.instant(), now.get(0).time().toInstant());
                assertFalse(now.get(0).stale());
            }
            assertEquals(0, backend.list(FileType.LOCK).size());
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void waitingForALockEndsWhenItIsReleasedOrTheTimeoutIsOver() throws Exception {
        Locks a = process("host-a", 100).build();
        Locks b = process("host-b", 200).build();
        RepositoryLock held = a.acquire(true);
        long t0 = System.nanoTime();
        assertThrows(RepositoryLockedException.class, () -> b.acquire(false, Duration.ofMillis(150)));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(150).toNanos(), "waited for the timeout");

        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(100);
                held.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        releaser.start();
        try (RepositoryLock got = b.acquire(false, Duration.ofSeconds(20))) {
            assertFalse(got.exclusive());
        }
        releaser.join();
    }

    @Test
    void unreadableLockFilesAreIgnoredAndRemoveAllRemovesEverything() throws Exception {
        Locks a = process("host-a", 100).build();
        repo.saveJson(FileType.LOCK, "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (RepositoryLock l = a.acquire(false)) {
            assertEquals(1, a.list().size());
            assertEquals(2, a.removeAll().size());
        }
        assertThrows(IllegalStateException.class, () -> Locks.builder(repo).pid(1).pid(2));
        assertThrows(IllegalArgumentException.class, () -> a.acquire(false, Duration.ofSeconds(-1)));
    }
}
