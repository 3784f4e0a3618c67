package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * restic's {@code forget} policy flags as a value, so a CLI ({@code forget}, {@code simulate}) maps the same flag names
 * to a {@link RetentionPolicy} the same way.
 *
 * <p>Mapping: {@code --keep-last/-hourly/-daily/-weekly/-monthly/-yearly N} to the builder's count rules (0 means "not
 * given", as in restic; {@code -1} means unlimited, as in restic 0.15+; restic 0.14 silently treated {@code -1} as
 * "keep none", which is refused here as dangerous); {@code --keep-within[-hourly|-daily|...] DURATION} to the
 * keep-within family; each {@code --keep-tag a,b} to {@link RetentionPolicy.Builder#keepTag}; {@code --group-by} to
 * {@link GroupBy#parse}. With no keep flag at all, restic keeps every snapshot; so does the mapped policy (reason
 * {@code policy is empty}).
 *
 * <pre>{@code
 * ResticForgetOptions opts = ResticForgetOptions.builder()
 *     .flag("--keep-daily", "7").flag("--keep-weekly", "5").flag("--keep-tag", "monthly")
 *     .build();
 * RetentionPolicy p = RetentionPolicy.builder().zone(zone).resticOptions(opts).build();
 * }</pre>
 */
public final class ResticForgetOptions {

    /** The flag names {@link Builder#flag} understands. */
    public static final List<String> FLAGS = List.of("--keep-last", "--keep-hourly", "--keep-daily", "--keep-weekly",
            "--keep-monthly", "--keep-yearly", "--keep-within", "--keep-within-hourly", "--keep-within-daily",
            "--keep-within-weekly", "--keep-within-monthly", "--keep-within-yearly", "--keep-tag", "--group-by");

    private final int[] counts;
    private final CalendarAmount[] within;
    private final List<String> keepTags;
    private final Optional<String> groupBy;

    private ResticForgetOptions(Builder b) {
        this.counts = b.counts.clone();
        this.within = b.within.clone();
        this.keepTags = List.copyOf(b.keepTags);
        this.groupBy = Optional.ofNullable(b.groupBy);
    }

    /** Starts an empty set of options. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether no keep flag was given (restic then keeps everything). */
    public boolean isEmpty() {
        for (int c : counts) {
            if (c != 0) {
                return false;
            }
        }
        for (CalendarAmount w : within) {
            if (w != null) {
                return false;
            }
        }
        return keepTags.isEmpty();
    }

    /**
     * Adds these options' rules (and grouping, if given) to a policy builder.
     *
     * @throws IllegalStateException if the builder already has a conflicting option
     */
    public void applyTo(RetentionPolicy.Builder b) {
        requireNonNull(b, "builder");
        if (counts[0] != 0) {
            b.keepLast(counts[0]);
        }
        if (counts[1] != 0) {
            b.keepHourly(counts[1]);
        }
        if (counts[2] != 0) {
            b.keepDaily(counts[2]);
        }
        if (counts[3] != 0) {
            b.keepWeekly(counts[3]);
        }
        if (counts[4] != 0) {
            b.keepMonthly(counts[4]);
        }
        if (counts[5] != 0) {
            b.keepYearly(counts[5]);
        }
        if (within[0] != null) {
            b.keepWithin(within[0]);
        }
        if (within[1] != null) {
            b.keepWithinHourly(within[1]);
        }
        if (within[2] != null) {
            b.keepWithinDaily(within[2]);
        }
        if (within[3] != null) {
            b.keepWithinWeekly(within[3]);
        }
        if (within[4] != null) {
            b.keepWithinMonthly(within[4]);
        }
        if (within[5] != null) {
            b.keepWithinYearly(within[5]);
        }
        for (String t : keepTags) {
            b.keepTag(t.split(",", -1));
        }
        if (isEmpty()) {
            b.keep(CalendarRule.everySnapshot().named("policy is empty"));
        }
        groupBy.ifPresent(g -> b.groupBy(GroupBy.parse(g)));
    }

    /** The options as restic flags, for example {@code --keep-daily 7 --keep-tag a,b}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            if (counts[i] != 0) {
                parts.add(FLAGS.get(i) + " " + counts[i]);
            }
        }
        for (int i = 0; i < 6; i++) {
            if (within[i] != null) {
                parts.add(FLAGS.get(6 + i) + " " + within[i]);
            }
        }
        keepTags.forEach(t -> parts.add("--keep-tag " + t));
        groupBy.ifPresent(g -> parts.add("--group-by " + g));
        return String.join(" ", parts);
    }

    /** Collects restic-style options; each single-valued flag may be given once. */
    public static final class Builder {
        private final int[] counts = new int[6];
        private final boolean[] countSet = new boolean[6];
        private final CalendarAmount[] within = new CalendarAmount[6];
        private final List<String> keepTags = new ArrayList<>();
        private String groupBy;

        private Builder() {
        }

        /**
         * Sets one option by its restic flag name (one of {@link #FLAGS}) and its text value.
         *
         * @throws IllegalArgumentException for an unknown flag or a bad value (the message names the flag)
         * @throws IllegalStateException if a single-valued flag is given twice
         */
        public Builder flag(String name, String value) {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
            int i = FLAGS.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("unknown flag " + name + "; known: " + String.join(", ", FLAGS));
            }
            if (i < 6) {
                int n;
                try {
                    n = Integer.parseInt(value.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + ": '" + value + "' is not a whole number");
                }
                return count(i, n);
            }
            if (i < 12) {
                CalendarAmount a;
                try {
                    a = CalendarAmount.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ": " + e.getMessage());
                }
                return within(i - 6, a);
            }
            if (i == 12) {
                return keepTag(value);
            }
            return groupBy(value);
        }

        /** {@code --keep-last n}; 0 means not given, -1 unlimited. */
        public Builder keepLast(int n) {
            return count(0, n);
        }

        /** {@code --keep-hourly n}; 0 means not given, -1 unlimited. */
        public Builder keepHourly(int n) {
            return count(1, n);
        }

        /** {@code --keep-daily n}; 0 means not given, -1 unlimited. */
        public Builder keepDaily(int n) {
            return count(2, n);
        }

        /** {@code --keep-weekly n}; 0 means not given, -1 unlimited. */
        public Builder keepWeekly(int n) {
            return count(3, n);
        }

        /** {@code --keep-monthly n}; 0 means not given, -1 unlimited. */
        public Builder keepMonthly(int n) {
            return count(4, n);
        }

        /** {@code --keep-yearly n}; 0 means not given, -1 unlimited. */
        public Builder keepYearly(int n) {
            return count(5, n);
        }

        /** {@code --keep-tag a,b}: keep snapshots having all of these comma-separated tags; repeatable. */
        public Builder keepTag(String tagList) {
            keepTags.add(requireNonNull(tagList, "tagList"));
            return this;
        }

        /** {@code --group-by host,paths,tags} (empty: no grouping). */
        public Builder groupBy(String spec) {
            requireNonNull(spec, "spec");
            if (groupBy != null) {
                throw new IllegalStateException("--group-by given twice");
            }
            GroupBy.parse(spec);
            groupBy = spec;
            return this;
        }

        /** The options. */
        public ResticForgetOptions build() {
            return new ResticForgetOptions(this);
        }

        private Builder count(int i, int n) {
            if (n < RetentionPolicy.UNLIMITED) {
                throw new IllegalArgumentException(FLAGS.get(i) + " " + n + ": use a count of at least 1, or -1 for unlimited");
            }
            if (countSet[i]) {
                throw new IllegalStateException(FLAGS.get(i) + " given twice");
            }
            countSet[i] = true;
            counts[i] = n;
            return this;
        }

        private Builder within(int i, CalendarAmount a) {
            if (within[i] != null) {
                throw new IllegalStateException(FLAGS.get(6 + i) + " given twice");
            }
            // restic treats a zero duration as "not given".
            within[i] = a.isZero() ? null : a;
            return this;
        }
    }
}
