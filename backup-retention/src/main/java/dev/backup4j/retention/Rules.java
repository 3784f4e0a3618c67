package dev.backup4j.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The rule implementations behind {@link RetentionPolicy.Builder}. Each rule walks one group sorted newest first and
 * marks the entries it keeps. Periods are contiguous in time (the {@link RetentionCalendar} contract), so "the newest
 * snapshot of its period" is found by comparing each entry's key with the previous one's, as restic does: no hashing,
 * which keeps the simulator's thousands of prunes cheap. The property tests check this against a hash-based model.
 */
final class Rules {
    private Rules() {
    }

    /**
     * One snapshot being judged, with its period keys computed at most once per calendar (the simulator reuses entries
     * from prune to prune). With reasons enabled, rules record {@link KeepReason}s; without, they only mark it kept.
     */
    static final class Entry {
        private static final Object ABSENT = new Object();
        static final int NO_COUNTER = Integer.MIN_VALUE;

        final RetentionSnapshot snapshot;
        final Instant time;
        final String group;
        final List<KeepReason> reasons;
        boolean kept;
        private final Object[] keys;

        Entry(RetentionSnapshot snapshot, String group, int calendars, boolean withReasons) {
            this.snapshot = snapshot;
            this.time = Objects.requireNonNull(snapshot.time(), "snapshot time");
            this.group = group;
            this.keys = new Object[calendars];
            this.reasons = withReasons ? new ArrayList<>(2) : null;
        }

        void reset() {
            kept = false;
            if (reasons != null) {
                reasons.clear();
            }
        }

        void keep(String rule, PeriodKey period, int counter) {
            kept = true;
            if (reasons != null) {
                reasons.add(new KeepReason(rule, Optional.ofNullable(period),
                        counter == NO_COUNTER ? OptionalInt.empty() : OptionalInt.of(counter)));
            }
        }

        /** The period key, or null when the calendar has no period for this snapshot. */
        PeriodKey key(Context ctx, RetentionCalendar calendar) {
            int i = ctx.index(calendar);
            Object k = keys[i];
            if (k == null) {
                Optional<PeriodKey> computed = Objects.requireNonNull(calendar.periodOf(time, ctx.zone),
                        () -> "calendar " + calendar.id() + " returned null");
                if (computed.isPresent() && !computed.get().calendarId().equals(calendar.id())) {
                    throw new IllegalStateException("calendar " + calendar.id() + " made a key of calendar "
                            + computed.get().calendarId());
                }
                k = computed.isPresent() ? computed.get() : ABSENT;
                keys[i] = k;
            }
            return k == ABSENT ? null : (PeriodKey) k;
        }
    }

    /** What every rule needs to know about one evaluation. */
    static final class Context {
        final ZoneId zone;
        final Instant reference;
        final ZonedDateTime referenceZoned;
        final boolean keepOldest;
        private final Map<RetentionCalendar, Integer> calendarIndex;

        Context(ZoneId zone, Instant reference, boolean keepOldest, Map<RetentionCalendar, Integer> calendarIndex) {
            this.zone = zone;
            this.reference = reference;
            this.referenceZoned = reference.atZone(zone);
            this.keepOldest = keepOldest;
            this.calendarIndex = calendarIndex;
        }

        int index(RetentionCalendar c) {
            Integer i = calendarIndex.get(c);
            if (i == null) {
                throw new IllegalStateException("calendar " + c.id() + " was not registered with the policy");
            }
            return i;
        }
    }

    /** A rule; {@code group} is sorted newest first (ties: smaller id first). */
    interface Rule {
        void apply(List<Entry> group, Context ctx);

        List<RetentionCalendar> calendars();

        String describe();
    }

    /**
     * restic's count rules: walking from the newest snapshot, keep each one whose period differs from the previous
     * kept one's, until {@code count} periods were kept ({@code -1}: no limit). {@code calendar == null} is keep-last.
     */
    record Count(String reason, String flag, RetentionCalendar calendar, int count) implements Rule {
        @Override
        public void apply(List<Entry> group, Context ctx) {
            int remaining = count;
            PeriodKey last = null;
            int n = group.size();
            for (int nr = 0; nr < n && remaining != 0; nr++) {
                Entry e = group.get(nr);
                PeriodKey key = null;
                if (calendar != null) {
                    key = e.key(ctx, calendar);
                    if (key == null) {
                        // Outside every period of a custom calendar: this rule has nothing to say about it.
                        continue;
                    }
                }
                boolean newPeriod = calendar == null || !key.equals(last);
                boolean oldestWithCountLeft = ctx.keepOldest && nr == n - 1;
                if (newPeriod || oldestWithCountLeft) {
                    last = key;
                    if (remaining > 0) {
                        remaining--;
                    }
                    e.keep(reason, key, count == RetentionPolicy.UNLIMITED ? Entry.NO_COUNTER : remaining);
                }
            }
        }

        @Override
        public List<RetentionCalendar> calendars() {
            return calendar == null ? List.of() : List.of(calendar);
        }

        @Override
        public String describe() {
            return "--" + flag + " " + (count == RetentionPolicy.UNLIMITED ? "unlimited" : Integer.toString(count));
        }
    }

    /**
     * restic's {@code --keep-within} family, measured back from the newest snapshot not after the reference time
     * (restic: before "now", which is always later than a snapshot just made); with a calendar, only the newest snapshot
     * of each period inside the span.
     */
    record Within(String reason, String flag, RetentionCalendar calendar, CalendarAmount span) implements Rule {
        @Override
        public void apply(List<Entry> group, Context ctx) {
            Instant latest = null;
            for (Entry e : group) {
                if (!e.time.isAfter(ctx.reference) && (latest == null || e.time.isAfter(latest))) {
                    latest = e.time;
                }
            }
            // With no snapshot before the reference, restic measures from Go's zero time: everything is within.
            Instant cutoff = latest == null ? Instant.MIN : span.resticBefore(latest.atZone(ctx.zone));
            String name = reason + " " + span;
            PeriodKey last = null;
            int n = group.size();
            for (int nr = 0; nr < n; nr++) {
                Entry e = group.get(nr);
                if (!e.time.isAfter(cutoff)) {
                    continue;
                }
                if (calendar == null) {
                    e.keep(name, null, Entry.NO_COUNTER);
                    continue;
                }
                PeriodKey key = e.key(ctx, calendar);
                if (key == null) {
                    continue;
                }
                if (!key.equals(last) || (ctx.keepOldest && nr == n - 1)) {
                    last = key;
                    e.keep(name, key, Entry.NO_COUNTER);
                }
            }
        }

        @Override
        public List<RetentionCalendar> calendars() {
            return calendar == null ? List.of() : List.of(calendar);
        }

        @Override
        public String describe() {
            return "--" + flag + " " + span;
        }
    }

    /** restic's {@code --keep-tag}: keep snapshots that have every tag of at least one of the lists. */
    record Tags(List<List<String>> tagLists) implements Rule {
        @Override
        public void apply(List<Entry> group, Context ctx) {
            for (Entry e : group) {
                for (List<String> list : tagLists) {
                    if (hasTags(e.snapshot.tags(), list)) {
                        e.keep("has tags " + list.toString().replace(",", ""), null, Entry.NO_COUNTER);
                    }
                }
            }
        }

        /** restic's {@code HasTags}: an empty tag in the list matches a snapshot without tags. */
        static boolean hasTags(Set<String> tags, List<String> list) {
            for (String t : list) {
                if (t.isEmpty() && tags.isEmpty()) {
                    return true;
                }
                if (!tags.contains(t)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public List<RetentionCalendar> calendars() {
            return List.of();
        }

        @Override
        public String describe() {
            List<String> parts = new ArrayList<>();
            tagLists.forEach(l -> parts.add("--keep-tag " + String.join(",", l)));
            return String.join(" ", parts);
        }
    }

    /** A {@link CalendarRule}; see its javadoc for the semantics. */
    record Calendar(CalendarRule rule, String name) implements Rule {
        Calendar(CalendarRule rule) {
            this(rule, rule.name());
        }

        @Override
        public void apply(List<Entry> group, Context ctx) {
            Window.Bounds bounds = rule.window().at(ctx.referenceZoned);
            String tag = rule.tag().orElse(null);
            RetentionCalendar among = rule.amongCalendar().orElse(null);
            RetentionCalendar calendar = rule.calendar().orElse(null);
            boolean newest = rule.keepsNewest();
            PeriodKey previousAmong = null;
            Entry previous = null;
            PeriodKey previousKey = null;
            for (Entry e : group) {
                if (tag != null && !e.snapshot.tags().contains(tag)) {
                    continue;
                }
                if (among != null) {
                    // Only the newest (first seen) entry of each "among" period is a candidate.
                    PeriodKey a = e.key(ctx, among);
                    if (a == null || a.equals(previousAmong)) {
                        continue;
                    }
                    previousAmong = a;
                }
                if (calendar == null) {
                    if (bounds.contains(e.time)) {
                        e.keep(name, null, Entry.NO_COUNTER);
                    }
                    continue;
                }
                PeriodKey k = e.key(ctx, calendar);
                if (k == null) {
                    continue;
                }
                boolean newPeriod = !k.equals(previousKey);
                if (newest) {
                    if (newPeriod && bounds.contains(e.time)) {
                        e.keep(name, k, Entry.NO_COUNTER);
                    }
                } else if (newPeriod && previous != null && bounds.contains(previous.time)) {
                    // The previous candidate was the oldest of its period.
                    previous.keep(name, previousKey, Entry.NO_COUNTER);
                }
                previous = e;
                previousKey = k;
            }
            if (!newest && previous != null && bounds.contains(previous.time)) {
                previous.keep(name, previousKey, Entry.NO_COUNTER);
            }
        }

        @Override
        public List<RetentionCalendar> calendars() {
            List<RetentionCalendar> l = new ArrayList<>(2);
            rule.calendar().ifPresent(l::add);
            rule.amongCalendar().ifPresent(l::add);
            return l;
        }

        @Override
        public String describe() {
            return name;
        }
    }

    /** A {@link VersionRule}; see its javadoc for the semantics. */
    record Versions(VersionRule rule) implements Rule {
        @Override
        public void apply(List<Entry> group, Context ctx) {
            String name = rule.describe();
            int n = rule.versions();
            Map<String, Set<String>> seen = new java.util.HashMap<>();
            for (Entry e : group) {
                Map<String, String> files = Objects.requireNonNull(rule.files().filesUnder(e.snapshot, rule.under()),
                        "SnapshotFiles returned null");
                boolean keep = false;
                for (Map.Entry<String, String> f : files.entrySet()) {
                    if (!rule.covers(f.getKey())) {
                        continue;
                    }
                    Set<String> contents = seen.computeIfAbsent(f.getKey(), k -> new java.util.HashSet<>());
                    if (contents.size() < n && contents.add(f.getValue())) {
                        keep = true;
                    }
                }
                if (keep) {
                    e.keep(name, null, Entry.NO_COUNTER);
                }
            }
        }

        @Override
        public List<RetentionCalendar> calendars() {
            return List.of();
        }

        @Override
        public String describe() {
            return "keep " + rule.describe();
        }
    }

    /** The flag of a single-valued rule (count or keep-within, for example {@code keep-daily}); empty for others. */
    static Optional<String> flagOf(Rule r) {
        if (r instanceof Count c) {
            return Optional.of(c.flag());
        }
        if (r instanceof Within w) {
            return Optional.of(w.flag());
        }
        return Optional.empty();
    }

    /** Assigns each distinct calendar an index, refusing two different calendars that share an id. */
    static Map<RetentionCalendar, Integer> indexCalendars(List<Rule> rules) {
        Map<RetentionCalendar, Integer> index = new LinkedHashMap<>();
        Map<String, RetentionCalendar> byId = new LinkedHashMap<>();
        for (Rule r : rules) {
            for (RetentionCalendar c : r.calendars()) {
                RetentionCalendar other = byId.putIfAbsent(c.id(), c);
                if (other != null && !other.equals(c)) {
                    throw new IllegalArgumentException("two different calendars share the id '" + c.id()
                            + "'; their period keys would collide, give one another name");
                }
                index.putIfAbsent(c, index.size());
            }
        }
        return index;
    }
}
