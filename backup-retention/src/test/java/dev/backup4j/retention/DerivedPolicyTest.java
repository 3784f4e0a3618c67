package dev.backup4j.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Examples of the documented contract of toBuilder, keepAll and holds: what is allowed, refused, and kept. */
class DerivedPolicyTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private static List<SnapshotInfo> nightly(String firstDay, int days, ZoneId zone) {
        List<SnapshotInfo> l = new ArrayList<>();
        LocalDate d = LocalDate.parse(firstDay);
        for (int i = 0; i < days; i++) {
            l.add(SnapshotInfo.of(String.format("s%04d", i), d.plusDays(i).atTime(2, 0).atZone(zone).toInstant()));
        }
        return l;
    }

    private static RetentionCalendar terms() {
        Calendars.CustomBuilder b = Calendars.custom("academic-term");
        for (int y = 2020; y <= 2026; y++) {
            b.period(y + "-autumn", LocalDate.of(y, 9, 1), LocalDate.of(y + 1, 1, 31));
            b.period((y + 1) + "-spring", LocalDate.of(y + 1, 2, 1), LocalDate.of(y + 1, 6, 30));
        }
        return b.build();
    }

    @Test
    void aPresetPlusTheLastBackupOfEachOfSixTermsKeepsBoth() {
        RetentionPolicy preset = RetentionPresets.daily7Weekly3Monthly3(BRUSSELS);
        RetentionPolicy lms = preset.toBuilder().keepPeriods(terms(), 6).build();
        // Nightly from September 2021 to the end of September 2024 (inside the 2024 autumn term).
        List<SnapshotInfo> s = nightly("2021-09-01", 3 * 365 + 30, BRUSSELS);
        Instant now = s.get(s.size() - 1).time();
        RetentionDecision d = lms.apply(s, now);
        List<KeptSnapshot> termly = d.kept().stream()
                .filter(k -> k.reasons().stream().anyMatch(r -> r.rule().equals("custom:academic-term snapshot"))).toList();
        // Six terms with backups, newest first: the term in progress, then the last night of each earlier term.
        assertEquals(6, termly.size(), d.explain());
        assertEquals(now, termly.get(0).snapshot().time());
        assertEquals(LocalDate.of(2024, 6, 30), LocalDate.ofInstant(termly.get(1).snapshot().time(), BRUSSELS));
        assertEquals(LocalDate.of(2024, 1, 31), LocalDate.ofInstant(termly.get(2).snapshot().time(), BRUSSELS));
        assertEquals(LocalDate.of(2022, 6, 30), LocalDate.ofInstant(termly.get(5).snapshot().time(), BRUSSELS));
        Set<String> expected = new java.util.HashSet<>(preset.apply(s, now).keptIds());
        termly.forEach(k -> expected.add(k.snapshot().id()));
        assertEquals(expected, d.keptIds(), "the preset's restore points plus the terms'");
        assertEquals(preset.ruleDescriptions().size() + 1, lms.ruleDescriptions().size());
        assertEquals(3, preset.ruleDescriptions().size(), "the preset itself is unchanged");
    }

    @Test
    void aDerivedBuilderOverridesAnInheritedSettingOnceAndRefusesASecondTime() {
        RetentionPolicy p = RetentionPolicy.builder().zone(UTC).keepDaily(2).minimumAge(CalendarAmount.ofDays(1)).build();
        RetentionPolicy q = p.toBuilder().zone(BRUSSELS).groupBy(GroupBy.none()).minimumAge(CalendarAmount.ofDays(3)).build();
        assertEquals(BRUSSELS, q.zone());
        assertEquals(GroupBy.none(), q.groupBy());
        assertEquals(CalendarAmount.ofDays(3), q.minimumAge().get());
        assertEquals(UTC, p.zone(), "the original policy does not change");
        assertThrows(IllegalStateException.class, () -> p.toBuilder().zone(BRUSSELS).zone(UTC));
        assertThrows(IllegalStateException.class, () -> p.toBuilder().groupBy(GroupBy.none()).groupBy(GroupBy.none()));
        assertThrows(IllegalStateException.class, () -> p.toBuilder().minimumAge(CalendarAmount.ofDays(2))
                .minimumAge(CalendarAmount.ofDays(3)));
        // Inherited on/off settings can be given again once (they are already on), not twice; they cannot be turned off.
        RetentionPolicy restic = RetentionPolicy.builder().zone(UTC).keepLast(1).allowRemovingNewest().keepOldestWhenCountLeft().build();
        RetentionPolicy again = restic.toBuilder().allowRemovingNewest().keepOldestWhenCountLeft().build();
        assertTrue(again.allowsRemovingNewest() && again.keepsOldestWhenCountLeft());
        assertThrows(IllegalStateException.class, () -> restic.toBuilder().allowRemovingNewest().allowRemovingNewest());
        assertThrows(IllegalStateException.class, () -> restic.toBuilder().keepOldestWhenCountLeft().keepOldestWhenCountLeft());
    }

    @Test
    void aCountRuleWithAnInheritedFlagReplacesItInPlace() {
        RetentionPolicy p = RetentionPolicy.builder().zone(UTC).keepLast(1).keepDaily(2).keepTag("a").keepWithin(CalendarAmount.ofDays(3)).build();
        RetentionPolicy q = p.toBuilder().keepDaily(5).keepWithin(CalendarAmount.ofDays(1)).keepWeekly(2).build();
        assertEquals(List.of("--keep-last 1", "--keep-daily 5", "--keep-tag a", "--keep-within 1d", "--keep-weekly 2"),
                q.ruleDescriptions());
        assertThrows(IllegalStateException.class, () -> p.toBuilder().keepDaily(5).keepDaily(6));
        assertThrows(IllegalStateException.class, () -> p.toBuilder().keepWeekly(5).keepWeekly(6));
        // keepDaily(5) on lastTwoDays keeps what keepDaily(5) alone keeps.
        List<SnapshotInfo> s = nightly("2024-01-01", 10, UTC);
        Instant now = s.get(9).time();
        assertEquals(RetentionPolicy.builder().zone(UTC).keepDaily(5).build().apply(s, now).keptIds(),
                RetentionPresets.lastTwoDays(UTC).toBuilder().keepDaily(5).build().apply(s, now).keptIds());
        assertEquals(5, RetentionPresets.lastTwoDays(UTC).toBuilder().keepDaily(5).build().apply(s, now).kept().size());
    }

    @Test
    void tagRulesAddUpAndABuiltPolicyNeverChangesWithItsBuilder() {
        RetentionPolicy.Builder b = RetentionPolicy.builder().zone(UTC).keepTag("a");
        RetentionPolicy first = b.build();
        b.keepTag("b");
        RetentionPolicy second = b.build();
        assertEquals(List.of("--keep-tag a"), first.ruleDescriptions(), "building again must not change the first policy");
        assertEquals(List.of("--keep-tag a --keep-tag b"), second.ruleDescriptions());
        assertEquals(List.of("--keep-tag a --keep-tag b --keep-tag c"), second.toBuilder().keepTag("c").keepTag("a").build()
                .ruleDescriptions());
        assertEquals(List.of("--keep-tag a --keep-tag b"), second.ruleDescriptions());
    }

    @Test
    void keepAllTakesWhatTheBuilderLacksAndRefusesConflicts() {
        RetentionPolicy daily = RetentionPolicy.builder().zone(BRUSSELS).groupBy(GroupBy.none()).keepDaily(3)
                .minimumAge(CalendarAmount.ofDays(1)).holdTags("legal-hold").build();
        RetentionPolicy merged = RetentionPolicy.builder().keepWeekly(2).keepAll(daily).build();
        assertEquals(BRUSSELS, merged.zone());
        assertEquals(GroupBy.none(), merged.groupBy());
        assertEquals(CalendarAmount.ofDays(1), merged.minimumAge().get());
        assertEquals(Set.of("legal-hold"), merged.holdTags());
        assertEquals(List.of("--keep-weekly 2", "--keep-daily 3"), merged.ruleDescriptions());
        // Equal rules are not repeated; the same flag with another count keeps both (the union).
        assertEquals(List.of("--keep-daily 3"), daily.toBuilder().keepAll(daily).build().ruleDescriptions());
        RetentionPolicy daily5 = RetentionPolicy.builder().zone(BRUSSELS).groupBy(GroupBy.none()).keepDaily(5).build();
        assertEquals(List.of("--keep-daily 3", "--keep-daily 5"), daily.toBuilder().keepAll(daily5).build().ruleDescriptions());

        RetentionPolicy utc = RetentionPolicy.builder().zone(UTC).groupBy(GroupBy.none()).keepDaily(3).build();
        assertThrows(IllegalArgumentException.class, () -> daily.toBuilder().keepAll(utc), "another zone");
        RetentionPolicy.Builder b1 = RetentionPolicy.builder().zone(ZoneOffset.UTC).keepAll(utc);
        assertEquals(ZoneOffset.UTC, b1.build().zone(), "UTC by region or by offset is one zone");
        RetentionPolicy grouped = RetentionPolicy.builder().zone(BRUSSELS).keepDaily(3).build();
        assertThrows(IllegalArgumentException.class, () -> daily.toBuilder().keepAll(grouped), "another grouping");
        RetentionPolicy older = RetentionPolicy.builder().zone(BRUSSELS).groupBy(GroupBy.none()).keepDaily(3)
                .minimumAge(CalendarAmount.ofDays(2)).build();
        assertThrows(IllegalArgumentException.class, () -> daily.toBuilder().keepAll(older), "two minimum ages");
        RetentionPolicy oldest = RetentionPolicy.builder().zone(BRUSSELS).groupBy(GroupBy.none()).keepDaily(3)
                .keepOldestWhenCountLeft().build();
        assertThrows(IllegalArgumentException.class, () -> daily.toBuilder().keepAll(oldest), "keep-oldest differs");
        assertTrue(RetentionPolicy.builder().keepAll(oldest).build().keepsOldestWhenCountLeft(), "an empty builder takes it");
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().keepLast(1).keepAll(oldest),
                "it would change this builder's keep-last");
        RetentionPolicy heldA = RetentionPolicy.builder().zone(UTC).keepLast(1).hold("case", s -> s.id().startsWith("a")).build();
        RetentionPolicy heldB = RetentionPolicy.builder().zone(UTC).keepLast(1).hold("case", s -> s.id().startsWith("b")).build();
        assertThrows(IllegalArgumentException.class, () -> heldA.toBuilder().keepAll(heldB), "one hold name, two predicates");
        assertEquals(List.of("case"), heldA.toBuilder().keepAll(heldA).build().holdNames());

        // After a merge the settings it relied on are fixed.
        assertThrows(IllegalStateException.class, () -> daily.toBuilder().keepAll(daily).zone(UTC));
        assertThrows(IllegalStateException.class, () -> daily.toBuilder().keepAll(daily).groupBy(GroupBy.hostAndPaths()));
        assertThrows(IllegalStateException.class, () -> daily.toBuilder().keepAll(daily).minimumAge(CalendarAmount.ofDays(9)));
        assertThrows(IllegalStateException.class, () -> daily.toBuilder().keepAll(daily).keepOldestWhenCountLeft());
        assertThrows(IllegalStateException.class, () -> daily.toBuilder().keepAll(daily).allowRemovingNewest(),
                "the merged policy keeps the newest of each group");
        assertThrows(IllegalStateException.class, () -> daily.toBuilder().keepAll(daily5.toBuilder().build()).keepDaily(1),
                "a merged count flag is set");
    }

    @Test
    void theNewestGuardOfEitherPolicyAppliesToTheMerge() {
        RetentionPolicy restic = RetentionPolicy.builder().zone(UTC).keepTag("keep").allowRemovingNewest().build();
        RetentionPolicy guarded = RetentionPolicy.builder().zone(UTC).keepTag("other").build();
        List<SnapshotInfo> s = nightly("2024-01-01", 3, UTC);
        Instant now = s.get(2).time();
        assertTrue(restic.apply(s, now).kept().isEmpty());
        RetentionPolicy merged = restic.toBuilder().keepAll(guarded).build();
        assertFalse(merged.allowsRemovingNewest());
        assertEquals(Set.of("s0002"), merged.apply(s, now).keptIds());
        assertTrue(restic.toBuilder().keepAll(restic).build().allowsRemovingNewest());
    }

    @Test
    void heldSnapshotsAreKeptWithTheirReasonAndStillUseUpCounts() {
        List<SnapshotInfo> s = new ArrayList<>(nightly("2024-01-01", 6, UTC));
        s.set(5, s.get(5).withTags(Set.of("legal-hold")));
        s.set(1, s.get(1).withTags(Set.of("legal-hold")));
        s.set(0, s.get(0).withHeld(true));
        Set<String> caseIds = Set.of("s0002");
        RetentionPolicy p = RetentionPolicy.builder().zone(UTC).keepLast(2).holdTags("legal-hold")
                .hold("case 2024-17", x -> caseIds.contains(x.id())).build();
        RetentionDecision d = p.apply(s, s.get(5).time());
        // keepLast(2) keeps the two newest, s0005 (held too) and s0004: the held s0005 used up one of the two.
        assertEquals(List.of("s0005", "s0004", "s0002", "s0001", "s0000"), new ArrayList<>(d.keptIds()));
        assertEquals(List.of("s0003"), new ArrayList<>(d.removedIds()));
        assertEquals("[last snapshot [1 left], held: tagged legal-hold]", d.reasonsFor("s0005").toString());
        assertEquals("[held: case 2024-17]", d.reasonsFor("s0002").toString());
        assertEquals("[held]", d.reasonsFor("s0000").toString());
        assertTrue(p.isHeld(s.get(1)) && !p.isHeld(s.get(3)));
        assertTrue(p.describe().contains("hold tagged legal-hold; hold case 2024-17"), p.describe());
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().holdTags());
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().holdTags(""));
        assertThrows(IllegalArgumentException.class, () -> RetentionPolicy.builder().hold(" ", x -> true));
        assertThrows(IllegalStateException.class, () -> RetentionPolicy.builder().hold("a", x -> true).hold("a", x -> false));
        assertThrows(NullPointerException.class, () -> RetentionPolicy.builder().hold("a", null));
    }

    @Test
    void aHeldFridayChangesNothingElseInTheLadder() {
        // A held Friday snapshot in a week whose Sunday snapshot is the week's last: the ladder still keeps Sunday.
        RetentionPolicy p = RetentionPresets.daily7Weekly3Monthly3(UTC).toBuilder().holdTags("legal-hold").build();
        List<SnapshotInfo> s = new ArrayList<>(nightly("2024-03-01", 30, UTC));
        int friday = 0;
        while (LocalDate.ofInstant(s.get(friday).time(), UTC).getDayOfWeek() != DayOfWeek.FRIDAY) {
            friday++;
        }
        s.set(friday, s.get(friday).withTags(Set.of("legal-hold")));
        Instant now = s.get(29).time();
        RetentionDecision with = p.apply(s, now);
        RetentionDecision without = RetentionPresets.daily7Weekly3Monthly3(UTC).apply(s, now);
        Set<String> expected = new java.util.HashSet<>(without.keptIds());
        expected.add(s.get(friday).id());
        assertEquals(expected, with.keptIds());
        assertFalse(without.isKept(s.get(friday).id()), "the hold is what keeps it");
    }
}
