package dev.backup4j.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Windows, a trailing zone, bare {@code hourly} and {@link BackupSchedule#nextRun}. */
class BackupScheduleTest {
    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");

    @Test
    void policyEsWindowIsReadInItsOwnZone() {
        BackupSchedule s = BackupSchedule.parse("daily@01:00-02:00 Asia/Kolkata");
        assertEquals(Optional.of(IST), s.zone());
        Instant from = Instant.parse("2024-03-01T00:00:00Z");
        List<BackupSchedule.Run> runs = s.runsBetween(from, from.plus(Duration.ofDays(3)), s.zone().get());
        assertEquals(3, runs.size());
        BackupSchedule.Run r = runs.get(0);
        // 01:00 IST is 19:30 UTC the day before.
        assertEquals(Instant.parse("2024-03-01T19:30:00Z"), r.time());
        assertEquals(Instant.parse("2024-03-01T20:30:00Z"), r.windowEnd());
        assertTrue(r.hasWindow());
        assertTrue(r.inWindow(r.time()));
        assertFalse(r.inWindow(r.windowEnd()));
        assertEquals("daily@01:00-02:00 Asia/Kolkata", s.toString());
    }

    @Test
    void windowsAcrossMidnightAndTheHourAndBareHourly() {
        ZoneId utc = ZoneId.of("UTC");
        Instant from = Instant.parse("2024-03-01T00:00:00Z");
        BackupSchedule.Run night = BackupSchedule.parse("daily@23:30-00:30").nextRun(from, utc);
        assertEquals(Duration.ofHours(1), Duration.between(night.time(), night.windowEnd()));
        BackupSchedule.Run h = BackupSchedule.parse("hourly@:50-:10").nextRun(from, utc);
        assertEquals(Instant.parse("2024-03-01T00:50:00Z"), h.time());
        assertEquals(Instant.parse("2024-03-01T01:10:00Z"), h.windowEnd());
        BackupSchedule bare = BackupSchedule.parse("hourly");
        assertEquals(24, bare.runsBetween(from, from.plus(Duration.ofDays(1)), utc).size());
        assertFalse(bare.nextRun(from, utc).hasWindow());
        assertEquals(from, bare.nextRun(from, utc).time());
    }

    @Test
    void nextRunIsTheFirstOfRunsBetweenForEveryPartKind() {
        ZoneId z = ZoneId.of("Europe/Brussels");
        BackupSchedule s = BackupSchedule.parse("weekly@SUN/03:00-05:00+monthly@31/04:00+daily@02:00");
        Instant t = LocalDate.of(2024, 1, 1).atStartOfDay(z).toInstant();
        for (int i = 0; i < 400; i++) {
            BackupSchedule.Run next = s.nextRun(t, z);
            assertEquals(s.runsBetween(t, t.plus(Duration.ofDays(40)), z).get(0), next);
            t = next.time().plusSeconds(1);
        }
        // monthly@31 in February runs on its last day
        BackupSchedule m = BackupSchedule.parse("monthly@31/04:00");
        assertEquals(LocalDate.of(2024, 2, 29),
                m.nextRun(Instant.parse("2024-02-01T00:00:00Z"), z).time().atZone(z).toLocalDate());
    }

    @Test
    void malformedWindowsAndZonesAreRefusedWithTheReason() {
        for (String bad : new String[] {"daily@01:00-", "daily@01:00-25:00", "hourly@:00-:75", "daily@01:00 Mars/Base",
            "hourly@:00-15", "weekly@SUN/03:00-x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackupSchedule.parse(bad));
            assertTrue(e.getMessage().contains("invalid schedule"), e.getMessage());
        }
    }

    @Test
    void theSimulatorReadsAScheduleInItsOwnZone() {
        RetentionPolicy p = RetentionPresets.lastTwoDays(ZoneId.of("UTC"));
        SimulationResult r = RetentionSimulation.builder().policy(p)
                .schedule(BackupSchedule.parse("daily@01:00-02:00 Asia/Kolkata"))
                .from(LocalDate.of(2024, 1, 1)).years(1).run();
        assertTrue(r.toText().contains("Asia/Kolkata"), r.toText().lines().limit(5).toList().toString());
    }
}
