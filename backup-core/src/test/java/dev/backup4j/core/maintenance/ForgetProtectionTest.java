package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.retention.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forged snapshots on a real repository: an attacker adds snapshots (new-looking ones, or back-dated); with
 * {@link Forget#protect} they displace no real snapshot and the back-dated one is reported; {@link Forget#limits}
 * stops a forget that would remove too much until it is forced.
 */
class ForgetProtectionTest {
    private static final Instant NOW = Instant.parse("2026-06-10T12:00:00Z");

    @TempDir
    Path tmp;

    private Repository open(Path dir) throws Exception {
        return Fixtures.opener(dev.backup4j.core.backend.Backends.local(dir), Clock.fixed(NOW, ZoneOffset.UTC)).open();
    }

    /** A snapshot taken (and stored, as its file's modification time says) at {@code at}. */
    private static String snapshotAt(Repository repo, Path src, Instant at, Instant storedAt, Path repoDir)
            throws Exception {
        Snapshot s = repo.backup().path(src).time(OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).run().snapshot();
        Files.setLastModifiedTime(repoDir.resolve("snapshots").resolve(s.requireId().toString()),
                FileTime.from(storedAt));
        return s.requireId().toString();
    }

    @Test
    void snapshotsAddedByAnAttackerDisplaceNoRealOneAndBackDatedOnesAreReported() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Path src = Fixtures.tree(tmp.resolve("src"), 3, 4);
        Fixtures.opener(repoDir).init().close();
        RetentionPolicy keepLast3 = RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(3).build();
        Set<String> real = new HashSet<>();
        try (Repository repo = open(repoDir)) {
            for (int d = 10; d >= 6; d--) {
                Instant t = NOW.minus(Duration.ofDays(d));
                real.add(snapshotAt(repo, src, t, t.plusSeconds(60), repoDir));
            }
            Set<String> keptBefore = ids(Forget.on(repo).policy(keepLast3).protect(Duration.ofDays(2),
                    Duration.ofHours(6)).dryRun(true).run().kept());
            // the attack: three honest-looking new snapshots and one back-dated, all stored just now
            for (int i = 1; i <= 3; i++) {
                snapshotAt(repo, src, NOW.minusSeconds(i * 60L), NOW.minusSeconds(i * 60L), repoDir);
            }
            String backDated = snapshotAt(repo, src, NOW.minus(Duration.ofDays(400)), NOW.minusSeconds(30), repoDir);

            Set<String> keptUnprotected = ids(Forget.on(repo).policy(keepLast3).dryRun(true).run().kept());
            assertTrue(keptBefore.stream().anyMatch(id -> !keptUnprotected.contains(id)),
                    "without protection the attack pushes real snapshots out");

            ForgetResult r = Forget.on(repo).policy(keepLast3).protect(Duration.ofDays(2), Duration.ofHours(6)).run();
            assertTrue(ids(r.kept()).containsAll(keptBefore), "every real snapshot kept before is kept");
            assertTrue(r.decision().reasonsFor(backDated).get(0).rule().startsWith("suspicious: claims"),
                    r.decision().explain());
            assertEquals(2, r.removed().size(), "the two real snapshots keep-last 3 removed anyway");
            assertTrue(real.containsAll(ids(r.removed())));
        }
    }

    @Test
    void aForgetThatWouldRemoveTooMuchStopsUntilForced() throws Exception {
        Path repoDir = tmp.resolve("repo");
        Path src = Fixtures.tree(tmp.resolve("src"), 4, 3);
        Fixtures.opener(repoDir).init().close();
        try (Repository repo = open(repoDir)) {
            for (int d = 60; d >= 56; d--) {
                Instant t = NOW.minus(Duration.ofDays(d));
                snapshotAt(repo, src, t, t, repoDir);
            }
            RetentionPolicy keepLast1 = RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(1).build();
            ForgetLimitException share = assertThrows(ForgetLimitException.class,
                    () -> Forget.on(repo).policy(keepLast1).limits(0.5, null).run());
            assertTrue(share.getMessage().contains("4 of 5"), share.getMessage());
            // keeps only tagged snapshots: a mistaken policy that would remove all of them
            RetentionPolicy within = RetentionPolicy.builder().zone(ZoneOffset.UTC).keepTag("monthly")
                    .allowRemovingNewest().build();
            ForgetLimitException old = assertThrows(ForgetLimitException.class,
                    () -> Forget.on(repo).policy(within).limits(1.0, Duration.ofDays(30)).run());
            assertTrue(old.getMessage().contains("every snapshot older than"), old.getMessage());
            assertEquals(5, repo.snapshots().size(), "nothing removed");
            assertEquals(4, Forget.on(repo).policy(keepLast1).limits(0.5, null).force().run().removed().size());
        }
    }

    private static Set<String> ids(List<Snapshot> snaps) {
        return snaps.stream().map(s -> s.requireId().toString()).collect(Collectors.toSet());
    }
}
