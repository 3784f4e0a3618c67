package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.between;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * A randomly generated rule, with a deliberately simple reference model of what it keeps. The models use maps and
 * sorting ("the newest snapshot of each period"), not the engine's walk-and-compare, so they fail independently.
 */
sealed interface RuleSpec {

    /** Newest first; equal times: smaller id first (the documented tie-break). */
    Comparator<SnapshotInfo> NEWEST_FIRST = Comparator.comparing(SnapshotInfo::time).reversed().thenComparing(SnapshotInfo::id);

    RetentionCalendar TERMS = terms();

    List<RetentionCalendar> CALENDARS = List.of(Calendars.hour(), Calendars.day(), Calendars.isoWeek(),
            Calendars.weekEnding(DayOfWeek.SUNDAY), Calendars.weekEnding(DayOfWeek.SATURDAY), Calendars.month(),
            Calendars.quarter(), Calendars.year(), TERMS);

    List<RetentionCalendar> RESTIC_CALENDARS = List.of(Calendars.hour(), Calendars.day(), Calendars.isoWeek(),
            Calendars.month(), Calendars.year());

    void addTo(RetentionPolicy.Builder b);

    /** The ids this rule alone keeps in one group. */
    Set<String> model(List<SnapshotInfo> group, ZoneId zone, Instant ref, boolean keepOldest);

    /** A rule that keeps at least as much (larger count, longer window). */
    RuleSpec grow(RandomnessSource in);

    /** A key that must be unique within a policy (the builder refuses repeated count rules). */
    String slot();

    /** Whether this rule chooses "among" another calendar's newest snapshots (not idempotent). */
    default boolean usesAmong() {
        return false;
    }

    /** Whether pruning after every run gives the same final set as one prune at the end. */
    boolean pathIndependent();

    private static RetentionCalendar terms() {
        Calendars.CustomBuilder b = Calendars.custom("academic-term");
        for (int y = 1995; y <= 2035; y++) {
            b.period(y + "-autumn", LocalDate.of(y, 9, 1), LocalDate.of(y, 12, 20));
            b.period(y + "-spring", LocalDate.of(y, 1, 10), LocalDate.of(y, 4, 30));
            b.period(y + "-summer", LocalDate.of(y, 5, 10), LocalDate.of(y, 7, 15));
        }
        return b.build();
    }

    /**
     * The period of {@code s} in calendar {@code c}, computed independently of {@link Calendars} (so a bug in a
     * built-in calendar shows up as a difference between the engine and the model).
     */
    static Optional<String> key(RetentionCalendar c, SnapshotInfo s, ZoneId zone) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofInstant(s.time(), zone);
        LocalDate d = t.toLocalDate();
        String id = c.id();
        if (id.startsWith("week-ending-")) {
            DayOfWeek last = DayOfWeek.valueOf(id.substring("week-ending-".length()).toUpperCase(java.util.Locale.ROOT));
            int daysToEnd = (last.getValue() - d.getDayOfWeek().getValue() + 7) % 7;
            return Optional.of(id + ":" + d.plusDays(daysToEnd));
        }
        return switch (id) {
            case "hour" -> Optional.of("hour:" + t.truncatedTo(java.time.temporal.ChronoUnit.HOURS));
            case "day" -> Optional.of("day:" + d);
            case "iso-week" -> {
                // The ISO week is the week of its Thursday; its year is the Thursday's year.
                LocalDate thursday = d.plusDays(4 - d.getDayOfWeek().getValue());
                yield Optional.of("iso-week:" + thursday.getYear() + "/" + ((thursday.getDayOfYear() - 1) / 7 + 1));
            }
            case "month" -> Optional.of("month:" + java.time.YearMonth.from(d));
            case "quarter" -> Optional.of("quarter:" + d.getYear() + "/" + (d.getMonthValue() + 2) / 3);
            case "year" -> Optional.of("year:" + d.getYear());
            case "custom:academic-term" -> {
                int y = d.getYear();
                if (!d.isBefore(LocalDate.of(y, 9, 1)) && !d.isAfter(LocalDate.of(y, 12, 20))) {
                    yield Optional.of("term:" + y + "a");
                }
                if (!d.isBefore(LocalDate.of(y, 1, 10)) && !d.isAfter(LocalDate.of(y, 4, 30))) {
                    yield Optional.of("term:" + y + "s");
                }
                if (!d.isBefore(LocalDate.of(y, 5, 10)) && !d.isAfter(LocalDate.of(y, 7, 15))) {
                    yield Optional.of("term:" + y + "u");
                }
                yield Optional.empty();
            }
            default -> throw new IllegalArgumentException("no model for calendar " + id);
        };
    }

    /** The newest snapshot of each period, periods ordered by that snapshot, newest first. */
    static List<SnapshotInfo> newestOfEachPeriod(List<SnapshotInfo> group, RetentionCalendar c, ZoneId zone) {
        Map<String, SnapshotInfo> newest = new HashMap<>();
        for (SnapshotInfo s : group) {
            key(c, s, zone).ifPresent(k -> newest.merge(k, s, (a, b) -> NEWEST_FIRST.compare(a, b) <= 0 ? a : b));
        }
        List<SnapshotInfo> l = new ArrayList<>(newest.values());
        l.sort(NEWEST_FIRST);
        return l;
    }

    static Gen<CalendarAmount> amounts() {
        return in -> switch ((int) between(in, 0, 4)) {
            case 0 -> CalendarAmount.ofHours((int) between(in, 1, 72));
            case 1, 2 -> CalendarAmount.ofDays((int) between(in, 1, 60));
            case 3 -> CalendarAmount.ofMonths((int) between(in, 1, 14));
            default -> new CalendarAmount((int) between(in, 0, 1), (int) between(in, 0, 3), (int) between(in, 0, 20),
                    (int) between(in, 1, 30));
        };
    }

    static Gen<RuleSpec> any() {
        return in -> switch ((int) between(in, 0, 9)) {
            case 0 -> Count.gen(in, null);
            case 1, 2, 3 -> Count.gen(in, CALENDARS.get((int) between(in, 0, CALENDARS.size() - 1)));
            case 4 -> Within.gen(in, null);
            case 5 -> Within.gen(in, RESTIC_CALENDARS.get((int) between(in, 0, RESTIC_CALENDARS.size() - 1)));
            case 6 -> Tags.gen(in);
            default -> Cal.gen(in);
        };
    }

    /** restic count rules (--keep-last, --keep-hourly ... --keep-yearly) and keepPeriods for other calendars. */
    record Count(RetentionCalendar calendar, int n) implements RuleSpec {
        static Count gen(RandomnessSource in, RetentionCalendar c) {
            int n = between(in, 0, 5) == 0 ? RetentionPolicy.UNLIMITED : (int) between(in, 1, 12);
            return new Count(c, n);
        }

        @Override
        public void addTo(RetentionPolicy.Builder b) {
            if (calendar == null) {
                b.keepLast(n);
            } else if (calendar.equals(Calendars.hour())) {
                b.keepHourly(n);
            } else if (calendar.equals(Calendars.day())) {
                b.keepDaily(n);
            } else if (calendar.equals(Calendars.isoWeek())) {
                b.keepWeekly(n);
            } else if (calendar.equals(Calendars.month())) {
                b.keepMonthly(n);
            } else if (calendar.equals(Calendars.year())) {
                b.keepYearly(n);
            } else {
                b.keepPeriods(calendar, n);
            }
        }

        @Override
        public Set<String> model(List<SnapshotInfo> group, ZoneId zone, Instant ref, boolean keepOldest) {
            List<SnapshotInfo> sorted = new ArrayList<>(group);
            sorted.sort(NEWEST_FIRST);
            int limit = n == RetentionPolicy.UNLIMITED ? Integer.MAX_VALUE : n;
            Set<String> kept = new HashSet<>();
            List<SnapshotInfo> representatives = calendar == null ? sorted : newestOfEachPeriod(sorted, calendar, zone);
            for (int i = 0; i < representatives.size() && i < limit; i++) {
                kept.add(representatives.get(i).id());
            }
            // restic 0.16: the oldest snapshot is kept too while the count is not used up.
            if (keepOldest && !sorted.isEmpty()) {
                SnapshotInfo oldest = sorted.get(sorted.size() - 1);
                boolean hasKey = calendar == null || key(calendar, oldest, zone).isPresent();
                if (hasKey && representatives.size() < limit) {
                    kept.add(oldest.id());
                }
            }
            return kept;
        }

        @Override
        public RuleSpec grow(RandomnessSource in) {
            return n == RetentionPolicy.UNLIMITED ? this : new Count(calendar, between(in, 0, 3) == 0
                    ? RetentionPolicy.UNLIMITED : n + (int) between(in, 0, 5));
        }

        @Override
        public String slot() {
            return "count " + (calendar == null ? "last" : calendar.id());
        }

        @Override
        public boolean pathIndependent() {
            return true;
        }
    }

    /** restic's keep-within family. */
    record Within(RetentionCalendar calendar, CalendarAmount span) implements RuleSpec {
        static Within gen(RandomnessSource in, RetentionCalendar c) {
            return new Within(c, amounts().generate(in));
        }

        @Override
        public void addTo(RetentionPolicy.Builder b) {
            if (calendar == null) {
                b.keepWithin(span);
            } else if (calendar.equals(Calendars.hour())) {
                b.keepWithinHourly(span);
            } else if (calendar.equals(Calendars.day())) {
                b.keepWithinDaily(span);
            } else if (calendar.equals(Calendars.isoWeek())) {
                b.keepWithinWeekly(span);
            } else if (calendar.equals(Calendars.month())) {
                b.keepWithinMonthly(span);
            } else {
                b.keepWithinYearly(span);
            }
        }

        /** Go's AddDate, restated: whole months from the first of a month never clamp, then days. */
        static Instant goCutoff(Instant latest, ZoneId zone, CalendarAmount a) {
            ZonedDateTime l = latest.atZone(zone);
            LocalDate d = LocalDate.of(l.getYear() - a.years(), 1, 1)
                    .plusMonths(l.getMonthValue() - 1 - a.months())
                    .plusDays(l.getDayOfMonth() - 1 - a.days());
            return ZonedDateTime.ofLocal(d.atTime(l.toLocalTime()), zone, l.getOffset()).toInstant()
                    .minusSeconds(3600L * a.hours());
        }

        @Override
        public Set<String> model(List<SnapshotInfo> group, ZoneId zone, Instant ref, boolean keepOldest) {
            Optional<Instant> latest = group.stream().map(SnapshotInfo::time).filter(t -> !t.isAfter(ref))
                    .max(Comparator.naturalOrder());
            List<SnapshotInfo> within = new ArrayList<>();
            for (SnapshotInfo s : group) {
                if (latest.isEmpty() || s.time().isAfter(goCutoff(latest.get(), zone, span))) {
                    within.add(s);
                }
            }
            Set<String> kept = new HashSet<>();
            if (calendar == null) {
                within.forEach(s -> kept.add(s.id()));
                return kept;
            }
            newestOfEachPeriod(within, calendar, zone).forEach(s -> kept.add(s.id()));
            if (keepOldest && !group.isEmpty()) {
                SnapshotInfo oldest = group.stream().sorted(NEWEST_FIRST.reversed()).findFirst().get();
                if (within.contains(oldest)) {
                    kept.add(oldest.id());
                }
            }
            return kept;
        }

        @Override
        public RuleSpec grow(RandomnessSource in) {
            return new Within(calendar, span.plus(new CalendarAmount(0, (int) between(in, 0, 2), (int) between(in, 0, 9), 0)));
        }

        @Override
        public String slot() {
            return "within " + (calendar == null ? "" : calendar.id());
        }

        @Override
        public boolean pathIndependent() {
            return true;
        }
    }

    /** restic's --keep-tag lists. */
    record Tags(List<List<String>> lists) implements RuleSpec {
        static Tags gen(RandomnessSource in) {
            List<List<String>> lists = new ArrayList<>();
            List<String> universe = List.of("x", "y", "z", "");
            int count = (int) between(in, 1, 3);
            for (int i = 0; i < count; i++) {
                List<String> l = new ArrayList<>();
                int size = (int) between(in, 1, 2);
                for (int j = 0; j < size; j++) {
                    l.add(universe.get((int) between(in, 0, 3)));
                }
                lists.add(l);
            }
            return new Tags(lists);
        }

        @Override
        public void addTo(RetentionPolicy.Builder b) {
            lists.forEach(l -> b.keepTag(l.toArray(String[]::new)));
        }

        @Override
        public Set<String> model(List<SnapshotInfo> group, ZoneId zone, Instant ref, boolean keepOldest) {
            Set<String> kept = new HashSet<>();
            for (SnapshotInfo s : group) {
                for (List<String> l : lists) {
                    // restic: walking the list, an empty tag matches an untagged snapshot at once.
                    boolean match = true;
                    for (String t : l) {
                        if (t.isEmpty() && s.tags().isEmpty()) {
                            break;
                        }
                        if (!s.tags().contains(t)) {
                            match = false;
                            break;
                        }
                    }
                    if (match) {
                        kept.add(s.id());
                    }
                }
            }
            return kept;
        }

        @Override
        public RuleSpec grow(RandomnessSource in) {
            List<List<String>> more = new ArrayList<>(lists);
            more.add(List.of(List.of("x", "y", "z").get((int) between(in, 0, 2))));
            return new Tags(more);
        }

        @Override
        public String slot() {
            return "tags";
        }

        @Override
        public boolean pathIndependent() {
            return true;
        }
    }

    /** Calendar-window rules. {@code pick}: 0 newest of each period, 1 oldest of each period, 2 every snapshot. */
    record Cal(int pick, RetentionCalendar calendar, RetentionCalendar among, CalendarAmount younger,
            CalendarAmount older, String tag, int salt) implements RuleSpec {
        static Cal gen(RandomnessSource in) {
            int pick = (int) between(in, 0, 2);
            RetentionCalendar c = pick == 2 ? null : CALENDARS.get((int) between(in, 0, CALENDARS.size() - 1));
            RetentionCalendar among = between(in, 0, 3) == 0 ? CALENDARS.get((int) between(in, 0, CALENDARS.size() - 1)) : null;
            CalendarAmount younger = between(in, 0, 1) == 0 ? CalendarAmount.ZERO : amounts().generate(in);
            CalendarAmount older = between(in, 0, 4) == 0 ? null : younger.plus(amounts().generate(in));
            String tag = between(in, 0, 4) == 0 ? "x" : null;
            return new Cal(pick, c, among, younger, older, tag, (int) between(in, 0, 1_000_000));
        }

        /** A calendar rule that always chooses among another calendar's newest snapshots. */
        static Cal genAmong(RandomnessSource in) {
            Cal c = gen(in);
            RetentionCalendar among = CALENDARS.get((int) between(in, 0, CALENDARS.size() - 1));
            return new Cal(c.pick, c.calendar, among, c.younger, c.older, c.tag, c.salt);
        }

        CalendarRule rule() {
            CalendarRule r = pick == 2 ? CalendarRule.everySnapshot()
                    : pick == 0 ? CalendarRule.lastOfEach(calendar) : CalendarRule.firstOfEach(calendar);
            if (among != null) {
                r = r.among(among);
            }
            if (tag != null) {
                r = r.taggedWith(tag);
            }
            Window w = older == null ? Window.olderThan(younger) : Window.between(younger, older);
            return r.window(w);
        }

        @Override
        public void addTo(RetentionPolicy.Builder b) {
            b.keep(rule());
        }

        /** The window test; the bound arithmetic itself is pinned by {@code CalendarAmountPropertiesTest}. */
        static boolean inWindow(Instant t, ZonedDateTime ref, CalendarAmount younger, CalendarAmount older) {
            boolean youngEnough = older == null || t.isAfter(older.before(ref).toInstant());
            boolean oldEnough = younger.isZero() || !t.isAfter(younger.before(ref).toInstant());
            return youngEnough && oldEnough;
        }

        @Override
        public Set<String> model(List<SnapshotInfo> group, ZoneId zone, Instant ref, boolean keepOldest) {
            List<SnapshotInfo> candidates = new ArrayList<>();
            for (SnapshotInfo s : group) {
                if (tag == null || s.tags().contains(tag)) {
                    candidates.add(s);
                }
            }
            if (among != null) {
                candidates = newestOfEachPeriod(candidates, among, zone);
            }
            List<SnapshotInfo> chosen;
            if (pick == 2) {
                chosen = candidates;
            } else if (pick == 0) {
                chosen = newestOfEachPeriod(candidates, calendar, zone);
            } else {
                Map<String, SnapshotInfo> oldest = new HashMap<>();
                for (SnapshotInfo s : candidates) {
                    key(calendar, s, zone).ifPresent(k -> oldest.merge(k, s, (a, b) -> NEWEST_FIRST.compare(a, b) >= 0 ? a : b));
                }
                chosen = new ArrayList<>(oldest.values());
            }
            ZonedDateTime r = ref.atZone(zone);
            Set<String> kept = new LinkedHashSet<>();
            for (SnapshotInfo s : chosen) {
                if (inWindow(s.time(), r, younger, older)) {
                    kept.add(s.id());
                }
            }
            return kept;
        }

        @Override
        public RuleSpec grow(RandomnessSource in) {
            CalendarAmount newOlder = older == null || between(in, 0, 4) == 0 ? null
                    : older.plus(new CalendarAmount(0, (int) between(in, 0, 2), (int) between(in, 0, 10), (int) between(in, 0, 5)));
            CalendarAmount newYounger = between(in, 0, 3) == 0 ? CalendarAmount.ZERO : younger;
            return new Cal(pick, calendar, among, newYounger, newOlder, tag, salt);
        }

        @Override
        public String slot() {
            return "cal " + salt + " " + this.hashCode();
        }

        @Override
        public boolean usesAmong() {
            return among != null;
        }

        @Override
        public boolean pathIndependent() {
            // Newest-of-period and every-snapshot rules with windows that start now are path independent; oldest-of-
            // period, "among" and windows that start later are not (see SimulationPropertiesTest).
            return pick != 1 && among == null && younger.isZero();
        }
    }
}
