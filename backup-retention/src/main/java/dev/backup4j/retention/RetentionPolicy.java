package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable retention policy: rules that say which snapshots to keep, safety guards, a grouping and a time zone.
 * A snapshot is kept if at least one rule or guard keeps it; every other snapshot is removed.
 *
 * <p>Safety guards, applied whatever the rules say: a {@link RetentionSnapshot#held() held} snapshot is kept
 * ({@code held}); a snapshot younger than the {@linkplain Builder#minimumAge minimum age} is kept; the newest snapshot of
 * each group is kept ({@code newest of its group}, only added when nothing else keeps it) unless
 * {@link Builder#allowRemovingNewest()}.
 *
 * <pre>{@code
 * RetentionPolicy policy = RetentionPolicy.builder()
 *     .zone(ZoneId.of("Europe/Brussels"))
 *     .keepDaily(7)
 *     .keepWeekly(3)
 *     .build();
 * RetentionDecision d = policy.apply(snapshots, clock.instant());
 * d.removed().forEach(s -> repository.forget(s.id()));
 * }</pre>
 */
public final class RetentionPolicy {

    /** The count meaning "no limit" for count rules (restic 0.15+ accepts {@code -1} for it). */
    public static final int UNLIMITED = -1;

    private static final Comparator<Rules.Entry> NEWEST_FIRST =
            Comparator.comparing((Rules.Entry e) -> e.time).reversed().thenComparing(e -> e.snapshot.id());

    private final ZoneId zone;
    private final List<Rules.Rule> rules;
    private final Map<RetentionCalendar, Integer> calendarIndex;
    private final GroupBy groupBy;
    private final Optional<CalendarAmount> minimumAge;
    private final boolean allowRemovingNewest;
    private final boolean keepOldest;

    private RetentionPolicy(Builder b) {
        this.zone = b.zone;
        this.rules = List.copyOf(b.rules);
        this.calendarIndex = Rules.indexCalendars(this.rules);
        this.groupBy = b.groupBy;
        this.minimumAge = Optional.ofNullable(b.minimumAge);
        this.allowRemovingNewest = b.allowRemovingNewest;
        this.keepOldest = b.keepOldest;
    }

    /** Starts a policy. */
    public static Builder builder() {
        return new Builder();
    }

    /** The zone every period and window is computed in. */
    public ZoneId zone() {
        return zone;
    }

    /** How snapshots are grouped. */
    public GroupBy groupBy() {
        return groupBy;
    }

    /** The minimum age below which nothing is removed, if set. */
    public Optional<CalendarAmount> minimumAge() {
        return minimumAge;
    }

    /** The rules, in the order given, as readable lines. */
    public List<String> ruleDescriptions() {
        List<String> l = new ArrayList<>();
        rules.forEach(r -> l.add(r.describe()));
        return l;
    }

    /**
     * Decides which snapshots to keep. Pure: the result depends only on the arguments, not on their order or on the
     * clock.
     *
     * @param snapshots the snapshots, ids unique
     * @param referenceTime "now": windows and the minimum age are measured back from it, and restic's keep-within
     *     family measures from the newest snapshot not after it
     * @return the decision; every input snapshot is either kept (with reasons) or removed
     * @throws NullPointerException if an argument or snapshot is null
     * @throws IllegalArgumentException if two snapshots share an id
     */
    public RetentionDecision apply(Collection<? extends RetentionSnapshot> snapshots, Instant referenceTime) {
        requireNonNull(snapshots, "snapshots");
        requireNonNull(referenceTime, "referenceTime");
        Set<String> ids = new HashSet<>();
        Map<String, List<Rules.Entry>> groups = new LinkedHashMap<>();
        for (RetentionSnapshot s : snapshots) {
            requireNonNull(s, "snapshot");
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("snapshot id " + s.id() + " appears twice; ids must be unique");
            }
            Rules.Entry e = newEntry(s, true);
            groups.computeIfAbsent(e.group, k -> new ArrayList<>()).add(e);
        }
        Rules.Context ctx = context(referenceTime);
        List<Rules.Entry> all = new ArrayList<>(snapshots.size());
        for (List<Rules.Entry> group : groups.values()) {
            group.sort(NEWEST_FIRST);
            mark(group, ctx);
            all.addAll(group);
        }
        all.sort(NEWEST_FIRST);
        List<KeptSnapshot> kept = new ArrayList<>();
        List<RetentionSnapshot> removed = new ArrayList<>();
        Map<String, String> groupOf = new LinkedHashMap<>();
        for (Rules.Entry e : all) {
            groupOf.put(e.snapshot.id(), e.group);
            if (!e.kept) {
                removed.add(e.snapshot);
            } else {
                kept.add(new KeptSnapshot(e.snapshot, e.group, e.reasons));
            }
        }
        return new RetentionDecision(this, referenceTime, kept, removed, groupOf);
    }

    /** An entry for {@code s}, for {@link #mark}; with reasons or only a kept mark. */
    Rules.Entry newEntry(RetentionSnapshot s, boolean withReasons) {
        return new Rules.Entry(s, groupBy.keyOf(s), calendarIndex.size(), withReasons);
    }

    /** The evaluation context for one reference time. */
    Rules.Context context(Instant referenceTime) {
        return new Rules.Context(zone, referenceTime, keepOldest, calendarIndex);
    }

    /** Sorts newest first as {@link #apply} does. */
    static void sortNewestFirst(List<Rules.Entry> group) {
        group.sort(NEWEST_FIRST);
    }

    /**
     * Evaluates rules and guards on one group sorted newest first, marking (and, if enabled, explaining) each entry.
     * The simulator calls this directly on entries it reuses from prune to prune.
     */
    void mark(List<Rules.Entry> group, Rules.Context ctx) {
        for (Rules.Entry e : group) {
            e.reset();
        }
        for (Rules.Rule r : rules) {
            r.apply(group, ctx);
        }
        Instant youngCutoff = minimumAge.map(a -> a.before(ctx.referenceZoned).toInstant()).orElse(null);
        for (Rules.Entry e : group) {
            if (e.snapshot.held()) {
                e.keep("held", null, Rules.Entry.NO_COUNTER);
            }
            if (youngCutoff != null && e.time.isAfter(youngCutoff)) {
                e.keep("younger than minimum age " + minimumAge.get(), null, Rules.Entry.NO_COUNTER);
            }
        }
        if (!allowRemovingNewest && !group.isEmpty() && !group.get(0).kept) {
            group.get(0).keep("newest of its group", null, Rules.Entry.NO_COUNTER);
        }
    }

    /** One line per rule and guard, for explanations. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("zone ").append(zone).append("; group by ").append(groupBy.toString().isEmpty() ? "nothing" : groupBy);
        for (Rules.Rule r : rules) {
            b.append("; ").append(r.describe());
        }
        minimumAge.ifPresent(a -> b.append("; minimum age ").append(a));
        if (keepOldest) {
            b.append("; keep oldest while a count is left");
        }
        b.append(allowRemovingNewest ? "; newest of a group may be removed" : "; newest of each group always kept");
        return b.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Builds a {@link RetentionPolicy}. Fails fast: a count rule set twice, a count of 0, or {@link #build()} without a
     * zone or without any rule throws at once with a message saying what to do.
     *
     * <p>Count rules ({@code keepLast}, {@code keepHourly} ... {@code keepYearly}, {@code keepPeriods}) follow restic:
     * walking from the newest snapshot, keep the newest snapshot of each of the {@code n} most recent periods that have
     * snapshots; a gap of empty periods does not use up the count (a count is not a time window).
     * The keep-within family follows restic too: measured from the newest snapshot not after the reference time.
     */
    public static final class Builder {
        private ZoneId zone;
        private final List<Rules.Rule> rules = new ArrayList<>();
        private final Set<String> countRulesSet = new HashSet<>();
        private final List<List<String>> tagLists = new ArrayList<>();
        private GroupBy groupBy = GroupBy.hostAndPaths();
        private boolean groupBySet;
        private CalendarAmount minimumAge;
        private boolean allowRemovingNewest;
        private boolean keepOldest;

        private Builder() {
        }

        /**
         * The zone all periods and windows are computed in. Required: there is no default, so nobody gets buckets in a
         * zone they did not choose.
         *
         * @throws IllegalStateException if already set
         */
        public Builder zone(ZoneId newZone) {
            requireNonNull(newZone, "zone");
            if (zone != null) {
                throw new IllegalStateException("zone already set to " + zone);
            }
            zone = newZone;
            return this;
        }

        /**
         * Keeps the {@code n} newest snapshots (restic {@code --keep-last}).
         *
         * @param n at least 1, or {@link RetentionPolicy#UNLIMITED}
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set
         */
        public Builder keepLast(int n) {
            return count("last snapshot", "keep-last", null, n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent local hours that have snapshots
         * (restic {@code --keep-hourly}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set
         */
        public Builder keepHourly(int n) {
            return count("hourly snapshot", "keep-hourly", Calendars.hour(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent days that have snapshots
         * (restic {@code --keep-daily}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set
         */
        public Builder keepDaily(int n) {
            return count("daily snapshot", "keep-daily", Calendars.day(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent ISO weeks that have snapshots
         * (restic {@code --keep-weekly}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set
         */
        public Builder keepWeekly(int n) {
            return count("weekly snapshot", "keep-weekly", Calendars.isoWeek(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent months that have snapshots
         * (restic {@code --keep-monthly}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set
         */
        public Builder keepMonthly(int n) {
            return count("monthly snapshot", "keep-monthly", Calendars.month(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent years that have snapshots
         * (restic {@code --keep-yearly}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set
         */
        public Builder keepYearly(int n) {
            return count("yearly snapshot", "keep-yearly", Calendars.year(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent periods of any calendar that have snapshots
         * (quarters, terms...). Snapshots outside every period of the calendar are ignored by this rule.
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if a count rule for this calendar is already set
         */
        public Builder keepPeriods(RetentionCalendar calendar, int n) {
            requireNonNull(calendar, "calendar");
            return count(calendar.id() + " snapshot", "keep-periods " + calendar.id(), calendar, n);
        }

        /**
         * Keeps every snapshot newer than {@code span} before the newest snapshot not after the reference time
         * (restic {@code --keep-within}; months and years are subtracted as Go's {@code AddDate} does).
         *
         * @throws IllegalArgumentException if {@code span} is zero
         * @throws IllegalStateException if already set
         */
        public Builder keepWithin(CalendarAmount span) {
            return within("within", "keep-within", null, span);
        }

        /** restic {@code --keep-within-hourly}: the newest snapshot of each hour within {@code span}; see {@link #keepWithin}. */
        public Builder keepWithinHourly(CalendarAmount span) {
            return within("hourly within", "keep-within-hourly", Calendars.hour(), span);
        }

        /** restic {@code --keep-within-daily}: the newest snapshot of each day within {@code span}; see {@link #keepWithin}. */
        public Builder keepWithinDaily(CalendarAmount span) {
            return within("daily within", "keep-within-daily", Calendars.day(), span);
        }

        /** restic {@code --keep-within-weekly}: the newest snapshot of each ISO week within {@code span}; see {@link #keepWithin}. */
        public Builder keepWithinWeekly(CalendarAmount span) {
            return within("weekly within", "keep-within-weekly", Calendars.isoWeek(), span);
        }

        /** restic {@code --keep-within-monthly}: the newest snapshot of each month within {@code span}; see {@link #keepWithin}. */
        public Builder keepWithinMonthly(CalendarAmount span) {
            return within("monthly within", "keep-within-monthly", Calendars.month(), span);
        }

        /** restic {@code --keep-within-yearly}: the newest snapshot of each year within {@code span}; see {@link #keepWithin}. */
        public Builder keepWithinYearly(CalendarAmount span) {
            return within("yearly within", "keep-within-yearly", Calendars.year(), span);
        }

        /**
         * Keeps every snapshot that has all of {@code tags} (restic {@code --keep-tag a,b}); call again for "or".
         * As in restic, the empty tag matches snapshots without any tag.
         *
         * @throws IllegalArgumentException if no tag is given
         */
        public Builder keepTag(String... tags) {
            requireNonNull(tags, "tags");
            if (tags.length == 0) {
                throw new IllegalArgumentException("keepTag needs at least one tag");
            }
            List<String> list = new ArrayList<>();
            for (String t : tags) {
                list.add(requireNonNull(t, "tag"));
            }
            if (tagLists.isEmpty()) {
                rules.add(new Rules.Tags(tagLists));
            }
            tagLists.add(List.copyOf(list));
            return this;
        }

        /** Adds a calendar-window rule; see {@link CalendarRule}. */
        public Builder keep(CalendarRule rule) {
            rules.add(new Rules.Calendar(requireNonNull(rule, "rule")));
            return this;
        }

        /**
         * restic 0.16's behaviour: when a count rule (or a keep-within-period rule) still has count left at the oldest
         * snapshot of a group, keep that oldest snapshot too, even if its period already has a kept snapshot. Off by
         * default, as in restic 0.14.
         *
         * @throws IllegalStateException if already set
         */
        public Builder keepOldestWhenCountLeft() {
            if (keepOldest) {
                throw new IllegalStateException("keepOldestWhenCountLeft already set");
            }
            keepOldest = true;
            return this;
        }

        /**
         * Never removes a snapshot younger than {@code age} (taken after reference time minus {@code age}); snapshots
         * dated after the reference time count as young.
         *
         * @throws IllegalStateException if already set
         */
        public Builder minimumAge(CalendarAmount age) {
            requireNonNull(age, "age");
            if (minimumAge != null) {
                throw new IllegalStateException("minimumAge already set to " + minimumAge);
            }
            minimumAge = age;
            return this;
        }

        /**
         * Lets the rules remove the newest snapshot of a group (by default it is always kept, so a policy can never
         * leave a group without a restore point). restic has no such guard; use this to reproduce restic exactly.
         *
         * @throws IllegalStateException if already set
         */
        public Builder allowRemovingNewest() {
            if (allowRemovingNewest) {
                throw new IllegalStateException("allowRemovingNewest already set");
            }
            allowRemovingNewest = true;
            return this;
        }

        /**
         * How to group snapshots (default {@link GroupBy#hostAndPaths()}, as restic).
         *
         * @throws IllegalStateException if already set
         */
        public Builder groupBy(GroupBy newGroupBy) {
            requireNonNull(newGroupBy, "groupBy");
            if (groupBySet) {
                throw new IllegalStateException("groupBy already set to " + groupBy);
            }
            groupBySet = true;
            groupBy = newGroupBy;
            return this;
        }

        /**
         * Adds restic-style options (see {@link ResticForgetOptions#applyTo}).
         *
         * @throws IllegalStateException if an option conflicts with one already set
         */
        public Builder resticOptions(ResticForgetOptions options) {
            requireNonNull(options, "options").applyTo(this);
            return this;
        }

        /** Keeps the newest of each week ending on {@code lastDay}, for the last {@code n} such weeks with snapshots. */
        public Builder keepWeeksEnding(DayOfWeek lastDay, int n) {
            return keepPeriods(Calendars.weekEnding(lastDay), n);
        }

        /**
         * The policy.
         *
         * @throws IllegalStateException if no zone or no rule was given
         * @throws IllegalArgumentException if two different calendars share an id
         */
        public RetentionPolicy build() {
            if (zone == null) {
                throw new IllegalStateException("no zone: call zone(ZoneId.of(\"...\")); retention never guesses a time zone");
            }
            if (rules.isEmpty()) {
                throw new IllegalStateException("no keep rule: a policy without rules would remove everything but the newest; "
                        + "add one (for example keep(CalendarRule.everySnapshot()) to keep all)");
            }
            return new RetentionPolicy(this);
        }

        private Builder count(String reason, String flag, RetentionCalendar calendar, int n) {
            if (n == 0 || n < UNLIMITED) {
                throw new IllegalArgumentException("--" + flag + " " + n + ": use a count of at least 1, or UNLIMITED (-1)");
            }
            if (!countRulesSet.add(flag)) {
                throw new IllegalStateException(flag + " already set");
            }
            rules.add(new Rules.Count(reason, flag, calendar, n));
            return this;
        }

        private Builder within(String reason, String flag, RetentionCalendar calendar, CalendarAmount span) {
            requireNonNull(span, "span");
            if (span.isZero()) {
                throw new IllegalArgumentException("--" + flag + " needs a non-zero duration such as 7d");
            }
            if (!countRulesSet.add(flag)) {
                throw new IllegalStateException(flag + " already set");
            }
            rules.add(new Rules.Within(reason, flag, calendar, span));
            return this;
        }
    }
}
