package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The built-in {@link RetentionCalendar}s and a builder for calendars given as date ranges.
 *
 * <p>All of them read the instant as a local date-time in the zone they are given. The hour calendar keys by local
 * wall-clock hour, as restic does: on the night clocks go back, the repeated hour is one period; on the night they go
 * forward, the skipped hour has no snapshots. The ISO week calendar uses the ISO week-based year, so 2020-12-31 is in
 * {@code 2020-W53} and 2021-01-03 too, and 2019-12-30 is in {@code 2020-W01}.
 *
 * <pre>{@code
 * RetentionCalendar term = Calendars.custom("academic-term")
 *     .period("2024-autumn", LocalDate.of(2024, 9, 1), LocalDate.of(2025, 1, 31))
 *     .period("2025-spring", LocalDate.of(2025, 2, 1), LocalDate.of(2025, 6, 30))
 *     .build();
 * }</pre>
 */
public final class Calendars {

    private static final RetentionCalendar HOUR = new BuiltIn("hour", t -> date(t.toLocalDate()) + "T" + two(t.getHour()));
    private static final RetentionCalendar DAY = new BuiltIn("day", t -> date(t.toLocalDate()));
    private static final RetentionCalendar ISO_WEEK = new BuiltIn("iso-week",
            t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + two(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
    private static final RetentionCalendar MONTH = new BuiltIn("month", t -> t.getYear() + "-" + two(t.getMonthValue()));
    private static final RetentionCalendar QUARTER = new BuiltIn("quarter",
            t -> t.getYear() + "-Q" + ((t.getMonthValue() - 1) / 3 + 1));
    private static final RetentionCalendar YEAR = new BuiltIn("year", t -> Integer.toString(t.getYear()));

    private Calendars() {
    }

    /** Local wall-clock hours, labelled {@code 2024-03-17T02}. */
    public static RetentionCalendar hour() {
        return HOUR;
    }

    /** Local calendar days, labelled {@code 2024-03-17}. */
    public static RetentionCalendar day() {
        return DAY;
    }

    /** ISO weeks (Monday to Sunday, week-based year), labelled {@code 2020-W53}. restic's weekly bucket. */
    public static RetentionCalendar isoWeek() {
        return ISO_WEEK;
    }

    /**
     * Weeks that end on {@code lastDay} (so {@code weekEnding(SUNDAY)} runs Monday to Sunday, {@code weekEnding(SATURDAY)}
     * Sunday to Saturday), labelled by the date of their last day: {@code 2024-03-17}. Its id is
     * {@code week-ending-sunday} etc., distinct from {@link #isoWeek()} even when the weeks coincide.
     *
     * @throws NullPointerException if {@code lastDay} is null
     */
    public static RetentionCalendar weekEnding(DayOfWeek lastDay) {
        requireNonNull(lastDay, "lastDay");
        return new BuiltIn("week-ending-" + lastDay.name().toLowerCase(Locale.ROOT),
                t -> date(t.toLocalDate().with(TemporalAdjusters.nextOrSame(lastDay))));
    }

    /** Calendar months, labelled {@code 2024-03}. */
    public static RetentionCalendar month() {
        return MONTH;
    }

    /** Calendar quarters (January-March is Q1), labelled {@code 2024-Q1}. */
    public static RetentionCalendar quarter() {
        return QUARTER;
    }

    /** Calendar years, labelled {@code 2024}. */
    public static RetentionCalendar year() {
        return YEAR;
    }

    /**
     * Starts a calendar made of named date ranges (academic terms, fiscal months...). Its id is {@code custom:name}, so it
     * can never share keys with a built-in calendar.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    public static CustomBuilder custom(String name) {
        requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a custom calendar needs a name");
        }
        return new CustomBuilder(name);
    }

    /** Builds a calendar of named, non-overlapping date ranges; instants outside every range have no period. */
    public static final class CustomBuilder {
        private final String name;
        private final TreeMap<LocalDate, Range> ranges = new TreeMap<>();

        private CustomBuilder(String name) {
            this.name = name;
        }

        /**
         * Adds the period {@code label} from {@code firstDay} to {@code lastDay}, both inclusive, in local dates.
         *
         * @return this builder
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the range is empty, overlaps another, or the label is empty or repeated
         */
        public CustomBuilder period(String label, LocalDate firstDay, LocalDate lastDay) {
            requireNonNull(label, "label");
            requireNonNull(firstDay, "firstDay");
            requireNonNull(lastDay, "lastDay");
            if (label.isBlank()) {
                throw new IllegalArgumentException("a period needs a label");
            }
            if (lastDay.isBefore(firstDay)) {
                throw new IllegalArgumentException("period " + label + " ends (" + lastDay + ") before it starts (" + firstDay + ")");
            }
            for (Range r : ranges.values()) {
                if (r.label.equals(label)) {
                    throw new IllegalArgumentException("period label " + label + " is used twice");
                }
                if (!firstDay.isAfter(r.lastDay) && !r.firstDay.isAfter(lastDay)) {
                    throw new IllegalArgumentException("period " + label + " overlaps period " + r.label);
                }
            }
            ranges.put(firstDay, new Range(label, firstDay, lastDay));
            return this;
        }

        /**
         * The calendar.
         *
         * @throws IllegalStateException if no period was added
         */
        public RetentionCalendar build() {
            if (ranges.isEmpty()) {
                throw new IllegalStateException("custom calendar " + name + " has no period; add one with period(...)");
            }
            return new Custom("custom:" + name, new TreeMap<>(ranges));
        }
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String date(LocalDate d) {
        // Faster than DateTimeFormatter, and the simulator calls this millions of times.
        int y = d.getYear();
        String ys = y >= 1000 && y <= 9999 ? Integer.toString(y) : String.format(Locale.ROOT, "%+05d", y);
        return ys + "-" + two(d.getMonthValue()) + "-" + two(d.getDayOfMonth());
    }

    private record Range(String label, LocalDate firstDay, LocalDate lastDay) {
    }

    private static final class BuiltIn implements RetentionCalendar {
        private final String id;
        private final Function<LocalDateTime, String> label;

        BuiltIn(String id, Function<LocalDateTime, String> label) {
            this.id = id;
            this.label = label;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Optional<PeriodKey> periodOf(Instant instant, ZoneId zone) {
            return Optional.of(new PeriodKey(id, label.apply(LocalDateTime.ofInstant(instant, zone))));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BuiltIn b && b.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private static final class Custom implements RetentionCalendar {
        private final String id;
        private final NavigableMap<LocalDate, Range> ranges;

        Custom(String id, NavigableMap<LocalDate, Range> ranges) {
            this.id = id;
            this.ranges = ranges;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Optional<PeriodKey> periodOf(Instant instant, ZoneId zone) {
            LocalDate d = LocalDate.ofInstant(instant, zone);
            Map.Entry<LocalDate, Range> e = ranges.floorEntry(d);
            if (e == null || d.isAfter(e.getValue().lastDay)) {
                return Optional.empty();
            }
            return Optional.of(new PeriodKey(id, e.getValue().label));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Custom c && c.id.equals(id) && c.ranges.equals(ranges);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, ranges);
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
