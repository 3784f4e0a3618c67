package dev.backup4j.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.maintenance.Check;
import dev.backup4j.core.maintenance.Forget;
import dev.backup4j.core.maintenance.ForgetResult;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.core.maintenance.PruneResult;
import dev.backup4j.core.maintenance.RetentionExtension;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.ResticDifferential;
import dev.backup4j.core.testing.TreeDigest;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.SimulatedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 Object Lock, on a strict in-memory store that enforces COMPLIANCE retention: every object but lock files is
 * written with a retention date; prune leaves what it may not delete yet and the repository stays valid; the
 * extension keeps what the snapshots need protected, so that once the forgotten data's dates pass, a prune removes
 * it and the kept snapshots still restore.
 */
class ObjectLockTest {
    private static final Duration PERIOD = Duration.ofDays(30);

    @TempDir
    Path tmp;

    private static Backend lockedBackend(SimulatedClock clock, MemoryObjectStore store) {
        return S3Backends.builder(S3Location.parse("s3:http://127.0.0.1:1/bucket/repo")).objectLock(PERIOD,
                "COMPLIANCE").clock(clock).create(store);
    }

    private static void write(Path src, String name, int seed) throws java.io.IOException {
        byte[] data = new byte[150_000];
        new java.util.Random(seed).nextBytes(data);
        Files.write(src.resolve(name), data);
    }

    @Test
    void snapshotsAreForgottenOnlyOnceTheirDatesPassAndWhatTheKeptOneNeedsStaysProtected() throws Exception {
        SimulatedClock clock = SimulatedClock.at(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        MemoryObjectStore store = new MemoryObjectStore(clock);
        Backend backend = lockedBackend(clock, store);
        Path src = Files.createDirectories(tmp.resolve("src"));
        Map<String, Map<String, String>> expected = new HashMap<>();
        RetentionPolicy keepLast1 = RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(1).build();
        try (Repository repo = ResticDifferential.opener(backend).clock(clock).init()) {
            for (int day = 0; day < 4; day++) {
                write(src, "day" + day + ".bin", day);
                Files.deleteIfExists(src.resolve("day" + (day - 1) + ".bin"));
                Snapshot s = repo.backup().path(src).run().snapshot();
                expected.put(s.requireId().toString(), TreeDigest.of(src));
                clock.advanceBy(Duration.ofDays(1));
            }
        }
        // every object but the lock files was written with a retention date a period ahead
        for (Map.Entry<String, byte[]> o : store.objects.entrySet()) {
            assertTrue(store.retention.containsKey(o.getKey()), o.getKey());
        }
        assertTrue(store.objects.keySet().stream().noneMatch(k -> k.contains("/locks/")), "locks were removed");

        try (Repository repo = ResticDifferential.opener(backend).clock(clock).open()) {
            ForgetResult f = Forget.on(repo).policy(keepLast1).run();
            assertEquals(3, f.removed().size());
            assertEquals(3, f.stillRetained().size(), "their files are under retention: they stay for now");
            assertEquals(4, repo.snapshots().size());
            PruneResult p = Prune.on(repo).maxUnused("0%").run();
            assertEquals(0, p.packsDeleted(), "every snapshot still exists, so all its data is needed");
        }
        // 40 days on, the older snapshot files' dates have passed; the kept one's was extended at the last forget
        clock.advanceBy(Duration.ofDays(40));
        try (Repository repo = ResticDifferential.opener(backend).clock(clock).open()) {
            ForgetResult f = Forget.on(repo).policy(keepLast1).run();
            assertTrue(f.stillRetained().isEmpty(), f.stillRetained().toString());
            assertEquals(1, repo.snapshots().size());
            PruneResult p = Prune.on(repo).maxUnused("0%").run();
            assertTrue(p.packsDeleted() > 0, "the forgotten data's dates have passed: " + p);
            assertTrue(Check.on(repo).readData().run().ok());
            Snapshot newest = repo.snapshots().get(0);
            RestoreResult r = repo.restore("latest").target(tmp.resolve("out")).run();
            assertTrue(r.complete());
            assertEquals(expected.get(newest.requireId().toString()),
                    TreeDigest.of(tmp.resolve("out").resolve(src.toString().substring(1))));
            // what the kept snapshot needs is protected again, a period ahead
            for (Map.Entry<String, Instant> e : store.retention.entrySet()) {
                if (!e.getKey().contains("/snapshots/") || e.getKey().endsWith(newest.requireId().toString())) {
                    assertTrue(e.getValue().isAfter(clock.instant().plus(PERIOD.dividedBy(2))), e.getKey());
                }
            }
        }
    }

    @Test
    void pruneLeavesDataUnderRetentionAndTheRepositoryStaysValid() throws Exception {
        SimulatedClock clock = SimulatedClock.at(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        MemoryObjectStore store = new MemoryObjectStore(clock);
        Backend backend = lockedBackend(clock, store);
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (Repository repo = ResticDifferential.opener(backend).clock(clock).init()) {
            write(src, "a.bin", 1);
            repo.backup().path(src).run();
            Files.delete(src.resolve("a.bin"));
            write(src, "b.bin", 2);
            repo.backup().path(src).run();
        }
        clock.advanceBy(Duration.ofDays(20));
        try (Repository repo = ResticDifferential.opener(backend).clock(clock).open()) {
            // both snapshots' data is extended to day 50; the snapshot files keep their day-30 dates
            RetentionExtension.Result ext = RetentionExtension.of(repo).snapshots(java.util.List.of()).run();
            assertTrue(ext.extended() > 0, ext.toString());
        }
        clock.advanceBy(Duration.ofDays(11));
        try (Repository repo = ResticDifferential.opener(backend).clock(clock).open()) {
            ForgetResult f = Forget.on(repo).policy(RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(1).build())
                    .run();
            assertEquals(1, f.removed().size());
            assertTrue(f.stillRetained().isEmpty(), "its file's date (day 30) has passed");
            PruneResult p = Prune.on(repo).maxUnused("0%").run();
            assertTrue(p.filesStillRetained() > 0, "the forgotten snapshot's data is locked until day 50: " + p);
            assertEquals(0, p.packsDeleted(), p.toString());
            assertTrue(Check.on(repo).readData().run().ok(), "valid after a prune that left locked packs");
            assertTrue(repo.restore("latest").target(tmp.resolve("out")).run().complete());
        }
        clock.advanceBy(Duration.ofDays(20));
        try (Repository repo = ResticDifferential.opener(backend).clock(clock).open()) {
            PruneResult p = Prune.on(repo).maxUnused("0%").run();
            assertTrue(p.packsDeleted() > 0, "past day 50 the data goes: " + p);
            assertTrue(Check.on(repo).readData().run().ok());
        }
    }
}
