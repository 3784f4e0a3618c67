package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An immutable retention policy: rules that say which snapshots to keep, safety guards, a grouping and a time zone.
 * A snapshot is kept if at least one rule or guard keeps it; every other snapshot is removed.
 *
 * <p>Safety guards, applied whatever the rules say:
 * <ul>
 *   <li>a held snapshot is kept: {@link RetentionSnapshot#held()} (reason {@code held}), a snapshot carrying one of the
 *       {@linkplain Builder#holdTags hold tags} (reason {@code held: tagged T}) or matching a
 *       {@linkplain Builder#hold hold predicate} (reason {@code held: NAME});</li>
 *   <li>a snapshot younger than the {@linkplain Builder#minimumAge minimum age} is kept;</li>
 *   <li>the newest snapshot of each group is kept ({@code newest of its group}, only added when nothing else keeps it)
 *       unless {@link Builder#allowRemovingNewest()}.</li>
 * </ul>
 * Guards never change what the rules see: a held snapshot takes part in every rule like any other snapshot (it can be
 * the representative of its period and it uses up a count), so holding a snapshot keeps that snapshot and changes
 * nothing else. For every snapshot set, the kept set with holds is the kept set without them plus the held snapshots.
 *
 * <p>A policy is a starting point too: {@link #toBuilder()} gives a builder holding all of it, to add rules or
 * holds, and {@link Builder#keepAll(RetentionPolicy)} merges another policy's rules.
 *
 * <pre>{@code
 * RetentionPolicy policy = RetentionPolicy.builder()
 *     .zone(ZoneId.of("Europe/Brussels"))
 *     .keepDaily(7)
 *     .keepWeekly(3)
 *     .holdTags("legal-hold")
 *     .build();
 * RetentionDecision d = policy.apply(snapshots, clock.instant());
 * d.removed().forEach(s -> System.out.println("remove " + s.id()));
 * }</pre>
 */
public final class RetentionPolicy {

    /** The count meaning "no limit" for count rules (restic 0.15+ accepts {@code -1} for it). */
    public static final int UNLIMITED = -1;

    /** The reason of a snapshot kept because {@link RetentionSnapshot#held()} is true. */
    public static final String HELD = "held";

    private static final Comparator<Rules.Entry> NEWEST_FIRST =
            Comparator.comparing((Rules.Entry e) -> e.time).reversed().thenComparing(e -> e.snapshot.id());

    private final ZoneId zone;
    private final List<Rules.Rule> rules;
    private final Map<RetentionCalendar, Integer> calendarIndex;
    private final GroupBy groupBy;
    private final Optional<CalendarAmount> minimumAge;
    private final boolean allowRemovingNewest;
    private final boolean keepOldest;
    private final Set<String> holdTags;
    private final Map<String, Predicate<? super RetentionSnapshot>> holds;
    // Reasons, made once: the simulator marks millions of entries.
    private final Map<String, String> holdTagReasons;
    private final Map<String, String> holdReasons;

    private RetentionPolicy(Builder b) {
        this.zone = b.zone;
        List<Rules.Rule> r = new ArrayList<>(b.rules.size());
        for (Rules.Rule rule : b.rules) {
            // The builder's tag lists grow after the slot was placed; the policy takes a copy so it never changes.
            r.add(rule == Builder.TAGS_SLOT ? new Rules.Tags(List.copyOf(b.tagLists)) : rule);
        }
        this.rules = List.copyOf(r);
        this.calendarIndex = Rules.indexCalendars(this.rules);
        this.groupBy = b.groupBy;
        this.minimumAge = Optional.ofNullable(b.minimumAge);
        this.allowRemovingNewest = b.allowRemovingNewest;
        this.keepOldest = b.keepOldest;
        this.holdTags = Collections.unmodifiableSet(new LinkedHashSet<>(b.holdTags));
        this.holds = Collections.unmodifiableMap(new LinkedHashMap<>(b.holds));
        Map<String, String> tagReasons = new LinkedHashMap<>();
        b.holdTags.forEach(t -> tagReasons.put(t, HELD + ": tagged " + t));
        this.holdTagReasons = Collections.unmodifiableMap(tagReasons);
        Map<String, String> reasons = new LinkedHashMap<>();
        b.holds.keySet().forEach(n -> reasons.put(n, HELD + ": " + n));
        this.holdReasons = Collections.unmodifiableMap(reasons);
    }

    /** Starts a policy. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding every rule and setting of this policy: zone, grouping, minimum age, every rule (count, keep-within,
     * tag, calendar rules, in order), keep-oldest, the newest-snapshot guard and the holds. {@code toBuilder().build()}
     * decides exactly as this policy for any snapshots and reference time.
     *
     * <p>What a derived builder allows:
     * <ul>
     *   <li>Adding: any rule ({@code keep(CalendarRule)}, {@code keepTag}, {@code keepPeriods} with a calendar not yet
     *       counted...), hold tags and hold predicates, {@link Builder#keepAll merging} another policy.</li>
     *   <li>Overriding, once: a value taken from this policy counts as a default, not as set by the new builder, so
     *       setting it replaces it: {@code zone}, {@code groupBy}, {@code minimumAge}, and a count or keep-within rule
     *       with the same flag (for example {@code keepDaily(5)} on a policy with {@code --keep-daily 2} replaces that
     *       rule, in its place). Setting it a second time on the same builder throws, as on any builder.</li>
     *   <li>Not possible: removing a rule or a hold, or turning off {@code keepOldestWhenCountLeft} or
     *       {@code allowRemovingNewest} once inherited; start from {@link #builder()} for that.</li>
     * </ul>
     *
     * <pre>{@code
     * RetentionCalendar terms = Calendars.custom("academic-term")
     *     .period("2024-autumn", LocalDate.of(2024, 9, 1), LocalDate.of(2025, 1, 31))
     *     .period("2025-spring", LocalDate.of(2025, 2, 1), LocalDate.of(2025, 6, 30))
     *     .build();
     * RetentionPolicy lms = RetentionPresets.daily7Weekly3Monthly3(ZoneId.of("Europe/Brussels")).toBuilder()
     *     .keepPeriods(terms, 6)                       // and the last backup of each of the last 6 terms
     *     .holdTags("legal-hold")
     *     .build();
     * }</pre>
     *
     * @return a new builder; changing it never changes this policy
     */
    public Builder toBuilder() {
        return new Builder(this);
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

    /** Whether the newest snapshot of a group may be removed ({@link Builder#allowRemovingNewest()}). */
    public boolean allowsRemovingNewest() {
        return allowRemovingNewest;
    }

    /** Whether {@link Builder#keepOldestWhenCountLeft()} is on. */
    public boolean keepsOldestWhenCountLeft() {
        return keepOldest;
    }

    /** The tags that put a snapshot on hold ({@link Builder#holdTags}), in the order given; any one of them holds. */
    public Set<String> holdTags() {
        return holdTags;
    }

    /** The names of the hold predicates ({@link Builder#hold}), in the order given. */
    public List<String> holdNames() {
        return List.copyOf(holds.keySet());
    }

    /**
     * Whether this policy holds {@code s}: {@link RetentionSnapshot#held()}, a hold tag, or a hold predicate. A held
     * snapshot is never removed.
     *
     * @throws NullPointerException if {@code s} is null
     */
    public boolean isHeld(RetentionSnapshot s) {
        requireNonNull(s, "snapshot");
        if (s.held()) {
            return true;
        }
        for (String t : holdTags) {
            if (s.tags().contains(t)) {
                return true;
            }
        }
        for (Predicate<? super RetentionSnapshot> p : holds.values()) {
            if (p.test(s)) {
                return true;
            }
        }
        return false;
    }

    /** The rules, in the order given, as readable lines. */
    public List<String> ruleDescriptions() {
        List<String> l = new ArrayList<>();
        rules.forEach(r -> l.add(r.describe()));
        return l;
    }

    /**
     * Decides which snapshots to keep. Pure: the result depends only on the arguments, not on their order or on the
     * clock (hold predicates must be pure too).
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
                e.keep(HELD, null, Rules.Entry.NO_COUNTER);
            }
            if (!holdTagReasons.isEmpty()) {
                Set<String> tags = e.snapshot.tags();
                for (Map.Entry<String, String> t : holdTagReasons.entrySet()) {
                    if (tags.contains(t.getKey())) {
                        e.keep(t.getValue(), null, Rules.Entry.NO_COUNTER);
                    }
                }
            }
            if (!holds.isEmpty()) {
                for (Map.Entry<String, Predicate<? super RetentionSnapshot>> h : holds.entrySet()) {
                    if (h.getValue().test(e.snapshot)) {
                        e.keep(holdReasons.get(h.getKey()), null, Rules.Entry.NO_COUNTER);
                    }
                }
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
        holdTags.forEach(t -> b.append("; hold tagged ").append(t));
        holds.keySet().forEach(n -> b.append("; hold ").append(n));
        b.append(allowRemovingNewest ? "; newest of a group may be removed" : "; newest of each group always kept");
        return b.toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Builds a {@link RetentionPolicy}. Fails fast: a count rule set twice, a count of 0, or {@link #build()} without a
     * zone or without any rule throws at once with a message saying what to do. A builder from
     * {@link RetentionPolicy#toBuilder()} starts with that policy's rules and settings (see there for what it may
     * override); {@link #keepAll(RetentionPolicy)} merges another policy in.
     *
     * <p>Count rules ({@code keepLast}, {@code keepHourly} ... {@code keepYearly}, {@code keepPeriods}) follow restic:
     * walking from the newest snapshot, keep the newest snapshot of each of the {@code n} most recent periods that have
     * snapshots; a gap of empty periods does not use up the count (a count is not a time window).
     * The keep-within family follows restic too: measured from the newest snapshot not after the reference time.
     *
     * <p>A builder is not thread-safe. It may build several policies; each one is a snapshot of the builder at that
     * moment and does not change when the builder does.
     */
    public static final class Builder {
        /** Where the tag rule goes in the rule list; replaced by the tag lists at {@link #build()}. */
        static final Rules.Rule TAGS_SLOT = new Rules.Tags(List.of());

        /** Where a single-valued setting came from: it decides whether setting it again is allowed. */
        private enum Origin {
            /** Never set: setting it is allowed. */
            NONE,
            /** Taken from the policy of {@link RetentionPolicy#toBuilder()}: may be replaced once. */
            INHERITED,
            /** Set on this builder, or fixed by a merge: setting it again throws. */
            SET
        }

        private ZoneId zone;
        private Origin zoneOrigin = Origin.NONE;
        private final List<Rules.Rule> rules = new ArrayList<>();
        private final Map<String, Origin> flags = new HashMap<>();
        private final List<List<String>> tagLists = new ArrayList<>();
        private GroupBy groupBy = GroupBy.hostAndPaths();
        private Origin groupByOrigin = Origin.NONE;
        private CalendarAmount minimumAge;
        private Origin minimumAgeOrigin = Origin.NONE;
        private boolean allowRemovingNewest;
        private Origin allowRemovingNewestOrigin = Origin.NONE;
        private boolean newestKeptByMerge;
        private boolean keepOldest;
        private Origin keepOldestOrigin = Origin.NONE;
        private final Set<String> holdTags = new LinkedHashSet<>();
        private final Map<String, Predicate<? super RetentionSnapshot>> holds = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(RetentionPolicy p) {
            zone = p.zone;
            zoneOrigin = Origin.INHERITED;
            for (Rules.Rule r : p.rules) {
                if (r instanceof Rules.Tags t) {
                    rules.add(TAGS_SLOT);
                    tagLists.addAll(t.tagLists());
                } else {
                    rules.add(r);
                }
                Rules.flagOf(r).ifPresent(f -> flags.put(f, Origin.INHERITED));
            }
            groupBy = p.groupBy;
            groupByOrigin = Origin.INHERITED;
            minimumAge = p.minimumAge.orElse(null);
            minimumAgeOrigin = minimumAge == null ? Origin.NONE : Origin.INHERITED;
            allowRemovingNewest = p.allowRemovingNewest;
            allowRemovingNewestOrigin = allowRemovingNewest ? Origin.INHERITED : Origin.NONE;
            keepOldest = p.keepOldest;
            keepOldestOrigin = keepOldest ? Origin.INHERITED : Origin.NONE;
            holdTags.addAll(p.holdTags);
            holds.putAll(p.holds);
        }

        /**
         * The zone all periods and windows are computed in. Required: there is no default, so nobody gets buckets in a
         * zone they did not choose. On a builder from {@link RetentionPolicy#toBuilder()} this replaces the policy's
         * zone (the rules are then read in the new zone).
         *
         * @throws IllegalStateException if already set on this builder, or fixed by {@link #keepAll}
         */
        public Builder zone(ZoneId newZone) {
            requireNonNull(newZone, "zone");
            if (zoneOrigin == Origin.SET) {
                throw new IllegalStateException("zone already set to " + zone);
            }
            zone = newZone;
            zoneOrigin = Origin.SET;
            return this;
        }

        /**
         * Keeps the {@code n} newest snapshots (restic {@code --keep-last}).
         *
         * @param n at least 1, or {@link RetentionPolicy#UNLIMITED}
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set (an inherited {@code --keep-last} is replaced instead)
         */
        public Builder keepLast(int n) {
            return count("last snapshot", "keep-last", null, n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent local hours that have snapshots
         * (restic {@code --keep-hourly}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepHourly(int n) {
            return count("hourly snapshot", "keep-hourly", Calendars.hour(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent days that have snapshots
         * (restic {@code --keep-daily}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepDaily(int n) {
            return count("daily snapshot", "keep-daily", Calendars.day(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent ISO weeks that have snapshots
         * (restic {@code --keep-weekly}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepWeekly(int n) {
            return count("weekly snapshot", "keep-weekly", Calendars.isoWeek(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent months that have snapshots
         * (restic {@code --keep-monthly}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepMonthly(int n) {
            return count("monthly snapshot", "keep-monthly", Calendars.month(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent years that have snapshots
         * (restic {@code --keep-yearly}).
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepYearly(int n) {
            return count("yearly snapshot", "keep-yearly", Calendars.year(), n);
        }

        /**
         * Keeps the newest snapshot of each of the {@code n} most recent periods of any calendar that have snapshots
         * (quarters, terms...). Snapshots outside every period of the calendar are ignored by this rule.
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if a count rule for this calendar is already set (an inherited one is replaced
         *     instead)
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
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepWithin(CalendarAmount span) {
            return within("within", "keep-within", null, span);
        }

        /**
         * restic {@code --keep-within-hourly}: the newest snapshot of each hour within {@code span}; see {@link #keepWithin}.
         *
         * @throws IllegalArgumentException if {@code span} is zero
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepWithinHourly(CalendarAmount span) {
            return within("hourly within", "keep-within-hourly", Calendars.hour(), span);
        }

        /**
         * restic {@code --keep-within-daily}: the newest snapshot of each day within {@code span}; see {@link #keepWithin}.
         *
         * @throws IllegalArgumentException if {@code span} is zero
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepWithinDaily(CalendarAmount span) {
            return within("daily within", "keep-within-daily", Calendars.day(), span);
        }

        /**
         * restic {@code --keep-within-weekly}: the newest snapshot of each ISO week within {@code span}; see
         * {@link #keepWithin}.
         *
         * @throws IllegalArgumentException if {@code span} is zero
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepWithinWeekly(CalendarAmount span) {
            return within("weekly within", "keep-within-weekly", Calendars.isoWeek(), span);
        }

        /**
         * restic {@code --keep-within-monthly}: the newest snapshot of each month within {@code span}; see
         * {@link #keepWithin}.
         *
         * @throws IllegalArgumentException if {@code span} is zero
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepWithinMonthly(CalendarAmount span) {
            return within("monthly within", "keep-within-monthly", Calendars.month(), span);
        }

        /**
         * restic {@code --keep-within-yearly}: the newest snapshot of each year within {@code span}; see
         * {@link #keepWithin}.
         *
         * @throws IllegalArgumentException if {@code span} is zero
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
        public Builder keepWithinYearly(CalendarAmount span) {
            return within("yearly within", "keep-within-yearly", Calendars.year(), span);
        }

        /**
         * Keeps every snapshot that has all of {@code tags} (restic {@code --keep-tag a,b}); call again for "or".
         * As in restic, the empty tag matches snapshots without any tag. Giving the same list twice changes nothing.
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
            addTagList(List.copyOf(list));
            return this;
        }

        /** Adds a calendar-window rule; see {@link CalendarRule}. */
        public Builder keep(CalendarRule rule) {
            rules.add(new Rules.Calendar(requireNonNull(rule, "rule")));
            return this;
        }

        /**
         * Adds a rule that keeps at least N versions of each file under a path ({@link VersionRule}); it may be
         * given several times (different paths or counts), each adding its own rule.
         *
         * <pre>{@code
         * RetentionPolicy p = RetentionPolicy.builder().zone(ZoneId.of("UTC")).keepDaily(7)
         *     .keep(VersionRule.keepVersions(5, (s, under) -> java.util.Map.of()).under("/srv/app"))
         *     .build();
         * }</pre>
         */
        public Builder keep(VersionRule rule) {
            rules.add(new Rules.Versions(requireNonNull(rule, "rule")));
            return this;
        }

        /**
         * restic 0.16's behaviour: when a count rule (or a keep-within-period rule) still has count left at the oldest
         * snapshot of a group, keep that oldest snapshot too, even if its period already has a kept snapshot. Off by
         * default, as in restic 0.14. It applies to every count and keep-within-period rule of the policy.
         *
         * @throws IllegalStateException if already set on this builder, or fixed by {@link #keepAll}
         */
        public Builder keepOldestWhenCountLeft() {
            if (keepOldestOrigin == Origin.SET) {
                throw new IllegalStateException(keepOldest ? "keepOldestWhenCountLeft already set"
                        : "keepOldestWhenCountLeft: a policy merged with keepAll(...) has it off, and it would change that "
                                + "policy's count rules; call keepOldestWhenCountLeft() before keepAll(...)");
            }
            keepOldest = true;
            keepOldestOrigin = Origin.SET;
            return this;
        }

        /**
         * Never removes a snapshot younger than {@code age} (taken after reference time minus {@code age}); snapshots
         * dated after the reference time count as young. On a builder from {@link RetentionPolicy#toBuilder()} this
         * replaces the policy's minimum age.
         *
         * @throws IllegalStateException if already set on this builder, or fixed by {@link #keepAll}
         */
        public Builder minimumAge(CalendarAmount age) {
            requireNonNull(age, "age");
            if (minimumAgeOrigin == Origin.SET) {
                throw new IllegalStateException("minimumAge already set to " + minimumAge);
            }
            minimumAge = age;
            minimumAgeOrigin = Origin.SET;
            return this;
        }

        /**
         * Lets the rules remove the newest snapshot of a group (by default it is always kept, so a policy can never
         * leave a group without a restore point). restic has no such guard; use this to reproduce restic exactly.
         *
         * @throws IllegalStateException if already set on this builder, or if a policy merged with {@link #keepAll}
         *     keeps the newest snapshot of each group
         */
        public Builder allowRemovingNewest() {
            if (newestKeptByMerge) {
                throw new IllegalStateException("allowRemovingNewest: a policy merged with keepAll(...) always keeps the "
                        + "newest snapshot of each group, and a merged policy keeps what either policy keeps");
            }
            if (allowRemovingNewestOrigin == Origin.SET) {
                throw new IllegalStateException("allowRemovingNewest already set");
            }
            allowRemovingNewest = true;
            allowRemovingNewestOrigin = Origin.SET;
            return this;
        }

        /**
         * How to group snapshots (default {@link GroupBy#hostAndPaths()}, as restic). On a builder from
         * {@link RetentionPolicy#toBuilder()} this replaces the policy's grouping.
         *
         * @throws IllegalStateException if already set on this builder, or fixed by {@link #keepAll}
         */
        public Builder groupBy(GroupBy newGroupBy) {
            requireNonNull(newGroupBy, "groupBy");
            if (groupByOrigin == Origin.SET) {
                throw new IllegalStateException("groupBy already set to " + groupBy);
            }
            groupByOrigin = Origin.SET;
            groupBy = newGroupBy;
            return this;
        }

        /**
         * Puts every snapshot that carries any of {@code tags} on hold: it is never removed, with the reason
         * {@code held: tagged T}. Adds to the tags given before (a tag given twice changes nothing). Held snapshots
         * take part in the rules like any other (they can use up a count), so a hold changes nothing else.
         *
         * @throws IllegalArgumentException if no tag is given or a tag is empty
         */
        public Builder holdTags(String... tags) {
            requireNonNull(tags, "tags");
            if (tags.length == 0) {
                throw new IllegalArgumentException("holdTags needs at least one tag");
            }
            for (String t : tags) {
                requireNonNull(t, "tag");
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("a hold tag must not be empty");
                }
            }
            holdTags.addAll(List.of(tags));
            return this;
        }

        /**
         * Puts every snapshot {@code which} accepts on hold: it is never removed, with the reason {@code held: NAME}.
         * The predicate must be pure (it is called on each snapshot at each {@link RetentionPolicy#apply}, and by the
         * simulator at each prune) and thread-safe if the policy is used from several threads. Held snapshots take
         * part in the rules like any other (they can use up a count), so a hold changes nothing else.
         *
         * <pre>{@code
         * Set<String> caseIds = Set.of("4f2a9c01", "77d0e3b2");
         * RetentionPolicy p = RetentionPresets.lastTwoDays(ZoneId.of("Asia/Kolkata")).toBuilder()
         *     .hold("case 2024-17", s -> caseIds.contains(s.id()))
         *     .build();
         * }</pre>
         *
         * @param name what the reasons say, for example a case number; unique within the policy
         * @throws IllegalArgumentException if {@code name} is blank
         * @throws IllegalStateException if a hold with this name is already set
         */
        public Builder hold(String name, Predicate<? super RetentionSnapshot> which) {
            requireNonNull(name, "name");
            requireNonNull(which, "which");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a hold needs a name, for the reasons");
            }
            if (holds.containsKey(name)) {
                throw new IllegalStateException("a hold named '" + name + "' is already set");
            }
            holds.put(name, which);
            return this;
        }

        /**
         * Merges {@code other} in: the policy built keeps a snapshot if this builder's rules and guards or
         * {@code other}'s keep it (the kept set is the union of both policies' kept sets, for any snapshots). Both must
         * read periods the same way, so:
         * <ul>
         *   <li>rules: {@code other}'s rules are added after this builder's (a rule equal to one already here is not
         *       added twice; two count rules with one flag and different counts are both kept, which keeps the union);
         *       its tag lists and holds are added;</li>
         *   <li>zone: if this builder has none, {@code other}'s is taken; else both must be the same zone;</li>
         *   <li>grouping: if this builder has not set one, {@code other}'s is taken; else both must be equal;</li>
         *   <li>{@code keepOldestWhenCountLeft}: must be the same on both, as it changes what count rules keep; only a
         *       builder without any rule yet takes {@code other}'s;</li>
         *   <li>minimum age: if only one has a minimum age it applies; if both have one they must be equal;</li>
         *   <li>newest-snapshot guard: applies if either policy has it; a builder without any rule yet takes
         *       {@code other}'s (so {@code builder().keepAll(a).keepAll(b)} is exactly the union of {@code a} and
         *       {@code b}).</li>
         * </ul>
         * Afterwards zone, grouping and {@code keepOldestWhenCountLeft} (and the minimum age, if any) are fixed: setting
         * them on this builder throws, as does {@link #allowRemovingNewest()} if the guard came from {@code other}.
         *
         * <pre>{@code
         * ZoneId zone = ZoneId.of("Europe/Brussels");
         * RetentionPolicy both = RetentionPresets.daily7Weekly3Monthly3(zone).toBuilder()
         *     .keepAll(RetentionPresets.everySnapshotFor(CalendarAmount.ofDays(30), zone))
         *     .build();
         * }</pre>
         *
         * @throws IllegalArgumentException if a setting conflicts as above, or a hold name is used by both for different
         *     predicates
         */
        public Builder keepAll(RetentionPolicy other) {
            requireNonNull(other, "other");
            if (zone != null && !zone.normalized().equals(other.zone.normalized())) {
                throw new IllegalArgumentException("cannot merge a policy in zone " + other.zone + " into one in zone "
                        + zone + ": its periods would be read in another zone; build it in " + zone + " first");
            }
            if (groupByOrigin != Origin.NONE && !groupBy.equals(other.groupBy)) {
                throw new IllegalArgumentException("cannot merge a policy grouped by '" + other.groupBy + "' into one grouped by '"
                        + groupBy + "': a merged policy judges one set of groups");
            }
            // A builder without rules has nothing of its own to keep: it takes other's on/off settings.
            boolean empty = rules.isEmpty();
            boolean adoptKeepOldest = keepOldest != other.keepOldest && empty && keepOldestOrigin == Origin.NONE;
            if (keepOldest != other.keepOldest && !adoptKeepOldest) {
                throw new IllegalArgumentException("cannot merge: keepOldestWhenCountLeft is " + (other.keepOldest ? "on" : "off")
                        + " in the other policy and " + (keepOldest ? "on" : "off") + " here; it changes what count rules keep");
            }
            if (minimumAge != null && other.minimumAge.isPresent() && !minimumAge.equals(other.minimumAge.get())) {
                throw new IllegalArgumentException("cannot merge: minimum age " + other.minimumAge.get() + " in the other policy, "
                        + minimumAge + " here; a policy has one minimum age, set the same on both");
            }
            for (Map.Entry<String, Predicate<? super RetentionSnapshot>> h : other.holds.entrySet()) {
                Predicate<? super RetentionSnapshot> mine = holds.get(h.getKey());
                if (mine != null && mine != h.getValue()) {
                    throw new IllegalArgumentException("cannot merge: both policies have a hold named '" + h.getKey()
                            + "' with different predicates; rename one");
                }
            }
            // Checked everything: now change the builder.
            if (zone == null) {
                zone = other.zone;
            }
            zoneOrigin = Origin.SET;
            groupBy = groupByOrigin == Origin.NONE ? other.groupBy : groupBy;
            groupByOrigin = Origin.SET;
            keepOldest = other.keepOldest;
            keepOldestOrigin = Origin.SET;
            if (other.minimumAge.isPresent()) {
                minimumAge = other.minimumAge.get();
                minimumAgeOrigin = Origin.SET;
            }
            if (!other.allowRemovingNewest) {
                allowRemovingNewest = false;
                newestKeptByMerge = true;
            } else if (empty && allowRemovingNewestOrigin == Origin.NONE && !newestKeptByMerge) {
                allowRemovingNewest = true;
                allowRemovingNewestOrigin = Origin.SET;
            }
            for (Rules.Rule r : other.rules) {
                if (r instanceof Rules.Tags t) {
                    t.tagLists().forEach(this::addTagList);
                } else if (!rules.contains(r)) {
                    rules.add(r);
                }
                Rules.flagOf(r).ifPresent(f -> flags.put(f, Origin.SET));
            }
            holdTags.addAll(other.holdTags);
            holds.putAll(other.holds);
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

        /**
         * Keeps the newest of each week ending on {@code lastDay}, for the last {@code n} such weeks with snapshots.
         *
         * @throws IllegalArgumentException if {@code n} is 0 or below -1
         * @throws IllegalStateException if already set (an inherited one is replaced instead)
         */
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

        private void addTagList(List<String> list) {
            if (!rules.contains(TAGS_SLOT)) {
                rules.add(TAGS_SLOT);
            }
            if (!tagLists.contains(list)) {
                tagLists.add(list);
            }
        }

        private Builder count(String reason, String flag, RetentionCalendar calendar, int n) {
            if (n == 0 || n < UNLIMITED) {
                throw new IllegalArgumentException("--" + flag + " " + n + ": use a count of at least 1, or UNLIMITED (-1)");
            }
            return setFlagRule(flag, new Rules.Count(reason, flag, calendar, n));
        }

        private Builder within(String reason, String flag, RetentionCalendar calendar, CalendarAmount span) {
            requireNonNull(span, "span");
            if (span.isZero()) {
                throw new IllegalArgumentException("--" + flag + " needs a non-zero duration such as 7d");
            }
            return setFlagRule(flag, new Rules.Within(reason, flag, calendar, span));
        }

        /** Adds a single-valued rule; one inherited from {@link RetentionPolicy#toBuilder()} is replaced in its place. */
        private Builder setFlagRule(String flag, Rules.Rule rule) {
            Origin o = flags.getOrDefault(flag, Origin.NONE);
            if (o == Origin.SET) {
                throw new IllegalStateException(flag + " already set");
            }
            if (o == Origin.INHERITED) {
                int at = -1;
                for (int i = rules.size() - 1; i >= 0; i--) {
                    if (Rules.flagOf(rules.get(i)).map(flag::equals).orElse(false)) {
                        rules.remove(i);
                        at = i;
                    }
                }
                rules.add(at, rule);
            } else {
                rules.add(rule);
            }
            flags.put(flag, Origin.SET);
            return this;
        }
    }
}
