package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backup4j.core.Repository;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.restore.SnapshotSelector.TimeMatch;
import dev.backup4j.core.snapshot.Snapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Point-in-time selection over snapshots at irregular times, as a retention calendar leaves them. */
class SnapshotSelectorTest {
    @TempDir
    Path tmp;

    /** Snapshots 1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 59 days before "now" (daily, then weekly, then a monthly). */
    static final int[] DAYS_AGO = {59, 28, 21, 14, 7, 6, 5, 4, 3, 2, 1};

    @Test
    void restoreAsOfADateGetsTheNearestBackupAndSaysHowFarItIs() throws Exception {
        Instant now = Instant.parse("2024-06-30T12:00:00Z");
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        List<Snapshot> snaps = new ArrayList<>();
        try (Repository repo = Fixtures.opener(tmp.resolve("repo")).clock(clock).init()) {
            for (int d : DAYS_AGO) {
                // nightly at 02:00, with a jitter of a few minutes, as a real scheduler has
                OffsetDateTime t = OffsetDateTime.ofInstant(clock.instant().minus(Duration.ofDays(d)), ZoneOffset.UTC)
                        .withHour(2).withMinute(d % 7);
                snaps.add(Fixtures.snapshot(repo, t, Fixtures.file(repo, "day-" + d, "content of day " + d)));
            }
            Snapshot extra = repo.saveSnapshot(new Snapshot(Optional.empty(),
                    OffsetDateTime.ofInstant(now.minus(Duration.ofDays(10)), ZoneOffset.ofHours(2)),
                    snaps.get(0).tree(), Optional.empty(), List.of("/other"), "other-host", "u", 0, 0,
                    List.of("manual"), List.of(), Optional.empty()));
            List<Snapshot> all = repo.snapshots();

            Instant tenDaysAgo = clock.instant().minus(Duration.ofDays(10));
            SnapshotChoice before = SnapshotSelector.at(tenDaysAgo, TimeMatch.AT_OR_BEFORE).withHost("test-host")
                    .select(all);
            assertEquals(daysAgo(snaps, 14), before.snapshot());
            assertEquals(Duration.ofDays(-4).minusHours(10), before.distance().orElseThrow());
            SnapshotChoice after = SnapshotSelector.at(tenDaysAgo, TimeMatch.AT_OR_AFTER).withHost("test-host")
                    .select(all);
            assertEquals(daysAgo(snaps, 7), after.snapshot());
            assertEquals(Duration.ofDays(2).plusHours(14), after.distance().orElseThrow());
            assertEquals(daysAgo(snaps, 7), SnapshotSelector.at(tenDaysAgo, TimeMatch.NEAREST).withHost("test-host")
                    .select(all).snapshot());
            assertEquals(extra, SnapshotSelector.at(tenDaysAgo, TimeMatch.NEAREST).select(all).snapshot(),
                    "without the host filter, the other host's snapshot is exactly at that time");
            assertEquals(extra, SnapshotSelector.latest().withTag("manual").select(all).snapshot());
            assertEquals(extra, SnapshotSelector.latest().withPath("/other").select(all).snapshot());

            // exactly at a snapshot's time: every mode picks it, distance zero
            Instant exact = daysAgo(snaps, 21).instant();
            for (TimeMatch m : TimeMatch.values()) {
                SnapshotChoice c = SnapshotSelector.at(exact, m).select(all);
                assertEquals(daysAgo(snaps, 21), c.snapshot(), m.toString());
                assertEquals(Duration.ZERO, c.distance().orElseThrow());
            }
            // before the first and after the last
            Instant ancient = now.minus(Duration.ofDays(400));
            assertThrows(NoSuchSnapshotException.class,
                    () -> SnapshotSelector.at(ancient, TimeMatch.AT_OR_BEFORE).select(all));
            assertEquals(daysAgo(snaps, 59), SnapshotSelector.at(ancient, TimeMatch.NEAREST).select(all).snapshot());
            assertThrows(NoSuchSnapshotException.class,
                    () -> SnapshotSelector.at(now, TimeMatch.AT_OR_AFTER).select(all));
            assertEquals(daysAgo(snaps, 1), SnapshotSelector.at(now, TimeMatch.AT_OR_BEFORE).select(all).snapshot());
            assertEquals(daysAgo(snaps, 1), SnapshotSelector.latest().withHost("test-host").select(all).snapshot());
            assertThrows(NoSuchSnapshotException.class,
                    () -> SnapshotSelector.latest().withHost("nobody").select(all));

            // the plan states the choice
            RestorePlan plan = RestorePlanner.of(repo, SnapshotSelector.at(tenDaysAgo, TimeMatch.AT_OR_BEFORE)
                    .withHost("test-host")).plan(RestoreTargets.tar(java.io.OutputStream.nullOutputStream()));
            assertEquals(before, plan.choice());
            assertEquals("/day-14", plan.actions().get(0).path());
        }
    }

    @Test
    void nearestPrefersTheEarlierOnATieAndIdPrefixesMustBeUnique() throws Exception {
        try (Repository repo = Fixtures.opener(tmp.resolve("repo")).init()) {
            OffsetDateTime t = Fixtures.T0;
            Snapshot a = Fixtures.snapshot(repo, t, Fixtures.file(repo, "a", "a"));
            Snapshot b = Fixtures.snapshot(repo, t.plusHours(2), Fixtures.file(repo, "b", "b"));
            List<Snapshot> all = repo.snapshots();
            assertEquals(a, SnapshotSelector.at(t.plusHours(1).toInstant(), TimeMatch.NEAREST).select(all).snapshot());
            assertEquals(b, SnapshotSelector.at(t.plusMinutes(61).toInstant(), TimeMatch.NEAREST).select(all)
                    .snapshot());
            assertEquals(b, SnapshotSelector.id(b.requireId().toString()).select(all).snapshot());
            assertThrows(NoSuchSnapshotException.class, () -> SnapshotSelector.id("").select(all));
            assertThrows(NoSuchSnapshotException.class, () -> SnapshotSelector.id("zz").select(all));
        }
    }

    private static Snapshot daysAgo(List<Snapshot> snaps, int d) {
        for (int i = 0; i < DAYS_AGO.length; i++) {
            if (DAYS_AGO[i] == d) {
                return snaps.get(i);
            }
        }
        throw new IllegalArgumentException();
    }
}
