package dev.backup4j.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** Examples: the API's contracts, fail-fast checks, and the documented non-properties. */
class RetentionPolicyTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static List<SnapshotInfo> daily(String firstDay, int days, int hour) {
        List<SnapshotInfo> l = new ArrayList<>();
        LocalDate d = LocalDate.parse(firstDay);
        for (int i = 0; i < days; i++) {
            l.add(SnapshotInfo.of(String.format("s%04d", i), d.plusDays(i).atTime(hour, 0).atZone(UTC).toInstant()));
        }
        return l;
    }

    @Test
    void builderFailsFastOnMissingZoneRepeatedOptionsAndZeroCounts() {
        assertThrows(IllegalStateException.class, () -> RetentionPolicy.builder().keepDaily(7).build());
        assertThrows(IllegalStateException.class, () -> RetentionPolicy.builder().zone(UTC).build());
        assertThrows(IllegalStateException.class, () -> RetentionPolicy.builder().zone(UTC).keepDaily(7).keepDaily(3));
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().zone(UTC).keepDaily(0));
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().zone(UTC).keepLast(-2));
        assertThrows(IllegalStateException.class, () -> RetentionPolicy.builder().zone(UTC).zone(UTC));
        assertThrows(IllegalArgumentException.class, () -> Window.between(CalendarAmount.ofDays(31), CalendarAmount.ofMonths(1)));
        RetentionCalendar a = Calendars.custom("t").period("x", LocalDate.of(2024, 1, 1), LocalDate.of(2024, 2, 1)).build();
        RetentionCalendar b = Calendars.custom("t").period("y", LocalDate.of(2024, 1, 1), LocalDate.of(2024, 2, 1)).build();
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().zone(UTC)
                .keep(CalendarRule.lastOfEach(a)).keep(CalendarRule.lastOfEach(b)).build(), "two calendars, one id");
        assertThrows(IllegalArgumentException.class, () -> Calendars.custom("t")
                .period("x", LocalDate.of(2024, 1, 1), LocalDate.of(2024, 2, 1)).period("y", LocalDate.of(2024, 2, 1), LocalDate.of(2024, 3, 1)));
        List<SnapshotInfo> dup = List.of(SnapshotInfo.of("a", Instant.EPOCH), SnapshotInfo.of("a", Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> RetentionPresets.lastTwoDays(UTC).apply(dup, Instant.EPOCH));
        assertThrows(IllegalArgumentException.class, () -> RetentionPresets.byName("nope", UTC));
    }

    @Test
    void decisionExplainsItselfAsTextAndJson() {
        RetentionPolicy p = RetentionPolicy.builder().zone(UTC).keepDaily(2).build();
        List<SnapshotInfo> s = daily("2024-03-01", 4, 2);
        RetentionDecision d = p.apply(s, Instant.parse("2024-03-05T00:00:00Z"));
        assertEquals(List.of("s0003", "s0002"), new ArrayList<>(d.keptIds()));
        assertEquals("daily snapshot [day:2024-03-04, 1 left]", d.reasonsFor("s0003").get(0).toString());
        assertTrue(d.reasonsFor("s0000").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> d.reasonsFor("unknown"));
        assertTrue(d.explain().contains("keep    2024-03-04T02:00:00Z  s0003  daily snapshot [day:2024-03-04, 1 left]"), d.explain());
        assertTrue(d.toJson().contains("{\"id\":\"s0003\",\"time\":\"2024-03-04T02:00:00Z\",\"group\":\"host= paths=[]\","
                + "\"reasons\":[{\"rule\":\"daily snapshot\",\"period\":\"day:2024-03-04\",\"counter\":1}]}"), d.toJson());
    }

    @Test
    void weeksAndYearsAreKeyedSoTheyNeverCollideAtYearEnds() {
        ZoneId z = ZoneId.of("Europe/Brussels");
        Instant dec31 = Instant.parse("2020-12-31T12:00:00Z");
        Instant jan3 = Instant.parse("2021-01-03T12:00:00Z");
        assertEquals("2020-W53", Calendars.isoWeek().periodOf(dec31, z).get().label());
        assertEquals("2020-W53", Calendars.isoWeek().periodOf(jan3, z).get().label());
        assertEquals("2020-W01", Calendars.isoWeek().periodOf(Instant.parse("2019-12-30T12:00:00Z"), z).get().label());
        assertEquals("2021-01-03", Calendars.weekEnding(DayOfWeek.SUNDAY).periodOf(dec31, z).get().label());
        // Different calendars never share a key, even with the same label.
        assertFalse(Calendars.isoWeek().periodOf(dec31, z).equals(Calendars.weekEnding(DayOfWeek.SUNDAY).periodOf(dec31, z)));
        assertEquals("2024-Q1", Calendars.quarter().periodOf(Instant.parse("2024-03-31T12:00:00Z"), z).get().label());
    }

    @Test
    void keepWithinMonthsIsNotPathIndependentBecauseRestic() {
        // restic measures --keep-within with Go's AddDate: 31 March - 1 month = 2 March (2000 is a leap year), but
        // 1 April - 1 month = 1 March. The cutoff moves back a day, so a snapshot of 1 March that pruning on 31 March
        // removed would have been kept by one prune on 1 April. We reproduce restic, so we inherit this.
        RetentionPolicy p = RetentionPolicy.builder().zone(UTC).keepWithin(CalendarAmount.parse("1m")).build();
        SnapshotInfo march1 = SnapshotInfo.of("m1", Instant.parse("2000-03-01T18:00:00Z"));
        SnapshotInfo march31 = SnapshotInfo.of("m31", Instant.parse("2000-03-31T12:00:00Z"));
        SnapshotInfo april1 = SnapshotInfo.of("a1", Instant.parse("2000-04-01T12:00:00Z"));
        assertFalse(p.apply(List.of(march1, march31), march31.time()).isKept("m1"));
        assertTrue(p.apply(List.of(march1, march31, april1), april1.time()).isKept("m1"));
    }

    @Test
    void amongAndLateWindowsArePathDependent() {
        // "last of each hour older than 1 hour" on its own: each new snapshot is too young to keep, so pruning after
        // every run removes it at once, while one prune at the end keeps all but the newest. The presets avoid this by
        // covering the young zone with another rule (a ladder), which SimulationPropertiesTest checks.
        RetentionPolicy p = RetentionPolicy.builder().zone(UTC).allowRemovingNewest()
                .keep(CalendarRule.lastOfEach(Calendars.hour()).window(Window.olderThan(CalendarAmount.ofHours(1)))).build();
        List<SnapshotInfo> s = daily("2024-01-01", 3, 2);
        List<RetentionSnapshot> alive = new ArrayList<>();
        for (SnapshotInfo x : s) {
            alive.add(x);
            alive = new ArrayList<>(p.apply(alive, x.time()).keptSnapshots());
        }
        assertTrue(alive.isEmpty());
        assertEquals(2, p.apply(s, s.get(2).time()).kept().size());
    }

    @Test
    void resticOptionsMapFlagsAndKeepEverythingWhenEmpty() {
        ResticForgetOptions o = ResticForgetOptions.builder().flag("--keep-daily", "7").flag("--keep-within", "1y2m")
                .flag("--keep-tag", "a,b").flag("--group-by", "host").build();
        assertEquals("--keep-daily 7 --keep-within 1y2m --keep-tag a,b --group-by host", o.toString());
        assertThrows(IllegalArgumentException.class, () -> ResticForgetOptions.builder().flag("--keep-daily", "x"));
        assertThrows(IllegalArgumentException.class, () -> ResticForgetOptions.builder().flag("--keep-within", "3q"));
        assertThrows(IllegalStateException.class, () -> ResticForgetOptions.builder().keepDaily(1).keepDaily(2));
        RetentionPolicy all = RetentionPolicy.builder().zone(UTC).resticOptions(ResticForgetOptions.builder().build()).build();
        assertEquals(5, all.apply(daily("2024-01-01", 5, 1), Instant.parse("2024-02-01T00:00:00Z")).kept().size());
        assertEquals(new CalendarAmount(1, 5, 7, 2), CalendarAmount.parse("1y5m7d2h"));
        assertEquals(CalendarAmount.ofDays(14), CalendarAmount.parse("2w"));
    }

    @Test
    void scheduleSpecsParseAndFollowDst() {
        ZoneId z = ZoneId.of("Europe/Brussels");
        Instant from = LocalDate.of(2024, 3, 30).atStartOfDay(z).toInstant();
        Instant to = LocalDate.of(2024, 4, 1).atStartOfDay(z).toInstant();
        // 31 March 2024 has 23 hours in Brussels: 23 hourly runs that day, 24 the day before.
        assertEquals(47, BackupSchedule.parse("hourly@:15").runsBetween(from, to, z).size());
        List<BackupSchedule.Run> runs = BackupSchedule.parse("weekly@SUN/02:30+daily@02:30").runsBetween(from, to, z);
        assertEquals(3, runs.size());
        assertEquals(Instant.parse("2024-03-31T01:30:00Z"), runs.get(1).time(), "02:30 does not exist that night: 03:30 CEST");
        assertEquals(List.of("weekly", "daily"), List.of(runs.get(1).kind(), runs.get(2).kind()));
        Instant feb = LocalDate.of(2023, 2, 1).atStartOfDay(z).toInstant();
        assertEquals(LocalDate.of(2023, 2, 28), LocalDate.ofInstant(BackupSchedule.parse("monthly@31/04:00")
                .runsBetween(feb, feb.plusSeconds(30L * 86400), z).get(0).time(), z));
        for (String bad : List.of("daily", "daily@25:00", "hourly@15", "weekly@XYZ/03:00", "monthly@32/01:00", "yearly@1/01:00", "daily@02:00+")) {
            assertThrows(IllegalArgumentException.class, () -> BackupSchedule.parse(bad), bad);
        }
    }

    @Test
    void simulationRendersTextCsvJsonAndAWellFormedSvg() throws Exception {
        ZoneId z = ZoneId.of("Europe/Brussels");
        SimulationResult r = RetentionSimulation.builder().policy(RetentionPresets.daily7Weekly3Monthly3(z))
                .schedule(BackupSchedule.parse("daily@02:00")).from(LocalDate.of(2024, 1, 1)).years(1)
                .missedRuns(MissedRuns.onDates(Set.of(LocalDate.of(2024, 12, 25)))).run();
        assertEquals(1, r.missedRuns());
        assertEquals(365, r.successfulRuns());
        assertTrue(r.maxHeld() >= 13 && r.maxHeld() <= 15, "max held " + r.maxHeld());
        assertTrue(r.toText().contains("restore points at the end of 2024-12-31"), r.toText());
        assertEquals(367, r.toCsv().split("\n").length);
        assertTrue(r.toJson().startsWith("{\"schedule\":\"daily@02:00\""));
        String at = r.restorePointsJson(LocalDate.of(2024, 6, 30));
        assertTrue(at.startsWith("[{\"id\":") && at.contains("\"time\":\"2024-06-30T02:00:00+02:00\"") && at.contains("\"reasons\":[{"), at);
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.toSvg().getBytes(StandardCharsets.UTF_8)));
        // Worst gap in the first week of age: at the end of the missed 25 December the newest restore point is from
        // 02:00 on the 24th, 46 hours before; every other day it is under a day.
        assertEquals(46, r.worstGaps().get(0).worst().get().toHours(), r.toText());
        assertEquals(LocalDate.of(2024, 12, 25), r.worstGaps().get(0).on().get());
    }

    @Test
    void simulatedClockOnlyMovesForward() {
        SimulatedClock c = SimulatedClock.at(Instant.EPOCH, UTC);
        c.advanceTo(Instant.EPOCH.plusSeconds(5));
        assertEquals(Instant.EPOCH.plusSeconds(5), c.instant());
        assertThrows(IllegalArgumentException.class, () -> c.advanceTo(Instant.EPOCH));
    }
}
