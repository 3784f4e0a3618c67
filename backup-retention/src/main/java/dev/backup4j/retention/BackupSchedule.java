package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When backups run: one or more parts joined by {@code +}, each one of
 * <ul>
 *   <li>{@code hourly@:MM}: every hour at minute MM (every real hour: 23 runs on a spring-forward day, 25 in autumn);
 *       {@code hourly} alone is {@code hourly@:00};</li>
 *   <li>{@code daily@HH:MM}: every day;</li>
 *   <li>{@code weekly@DAY/HH:MM}: every week on DAY ({@code MON} ... {@code SUN});</li>
 *   <li>{@code monthly@D/HH:MM}: every month on day D (1-31; clamped to the month's last day).</li>
 * </ul>
 * A time may be a window, {@code HH:MM-HH:MM} ({@code :MM-:MM} for hourly): the run is planned at the window's start
 * and may start at any time before its end ({@link Run#windowEnd()}); an end at or before the start is on the next
 * day (next hour for hourly). A schedule may end with a zone, after a space ({@code daily@01:00-02:00 Asia/Kolkata}):
 * then {@link #zone()} tells it, and the simulator and the scheduler read the local times there.
 *
 * <p>Local times are read in the given zone; a time in a DST gap runs at the first valid time after it, a time in
 * an overlap runs once, at the earlier offset. Each run is tagged with its part's kind ({@code hourly}, {@code daily},
 * {@code weekly}, {@code monthly}), so a tag-based rule can tell a weekly full from a daily incremental.
 *
 * <pre>{@code
 * BackupSchedule s = BackupSchedule.parse("weekly@SUN/03:00+daily@02:00");
 * BackupSchedule e = BackupSchedule.parse("daily@01:00-02:00 Asia/Kolkata");   // policy E's window
 * }</pre>
 */
public final class BackupSchedule {

    /**
     * One scheduled run.
     *
     * @param time when it is planned (the start of its window)
     * @param kind the kind of the part that scheduled it
     * @param windowEnd the end of its window (exclusive); equal to {@code time} for a part without a window
     */
    public record Run(Instant time, String kind, Instant windowEnd) {
        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the window ends before it starts
         */
        public Run {
            requireNonNull(time, "time");
            requireNonNull(kind, "kind");
            requireNonNull(windowEnd, "windowEnd");
            if (windowEnd.isBefore(time)) {
                throw new IllegalArgumentException("window ends at " + windowEnd + ", before its start " + time);
            }
        }

        /** A run without a window. */
        public Run(Instant time, String kind) {
            this(time, kind, time);
        }

        /** Whether the part has a window (its end is after its start). */
        public boolean hasWindow() {
            return windowEnd.isAfter(time);
        }

        /** Whether {@code t} lies in the window: from {@code time} (inclusive) to {@code windowEnd} (exclusive). */
        public boolean inWindow(Instant t) {
            return !t.isBefore(time) && t.isBefore(windowEnd);
        }
    }

    /** {@code endMinute}/{@code end}: the window's end, or -1/null for a point in time. */
    private record Part(String kind, int minute, int endMinute, LocalTime time, LocalTime end, DayOfWeek day,
            int dayOfMonth) {
    }

    private final String spec;
    private final List<Part> parts;
    private final Optional<ZoneId> zone;

    private BackupSchedule(String spec, List<Part> parts, Optional<ZoneId> zone) {
        this.spec = spec;
        this.parts = parts;
        this.zone = zone;
    }

    /**
     * Parses a schedule spec such as {@code daily@02:00}, {@code hourly@:15}, {@code weekly@SUN/03:00},
     * {@code monthly@1/04:00} or several joined by {@code +}; times may be windows ({@code daily@01:00-02:00},
     * {@code hourly@:00-:15}) and the spec may end with a zone after a space ({@code daily@01:00-02:00 Asia/Kolkata}).
     *
     * @throws IllegalArgumentException if the spec is malformed (the message says which part and why)
     */
    public static BackupSchedule parse(String spec) {
        requireNonNull(spec, "spec");
        String body = spec.strip();
        Optional<ZoneId> zone = Optional.empty();
        int space = body.lastIndexOf(' ');
        if (space > 0) {
            String z = body.substring(space + 1);
            try {
                zone = Optional.of(ZoneId.of(z));
            } catch (DateTimeException e) {
                throw bad(spec, z, "unknown zone; write a region such as Asia/Kolkata or UTC after one space");
            }
            body = body.substring(0, space).strip();
        }
        List<Part> parts = new ArrayList<>();
        for (String raw : body.split("\\+", -1)) {
            String p = raw.strip();
            if (p.equalsIgnoreCase("hourly")) {
                p = "hourly@:00";
            }
            int at = p.indexOf('@');
            if (at < 0) {
                throw bad(spec, p, "expected KIND@WHEN, for example daily@02:00");
            }
            String kind = p.substring(0, at).toLowerCase(Locale.ROOT);
            String when = p.substring(at + 1);
            switch (kind) {
                case "hourly" -> {
                    if (!when.matches(":\\d{2}(-:\\d{2})?")) {
                        throw bad(spec, p, "hourly takes :MM or :MM-:MM, for example hourly@:15");
                    }
                    int minute = Integer.parseInt(when.substring(1, 3));
                    int end = when.length() > 3 ? Integer.parseInt(when.substring(5, 7)) : -1;
                    if (minute > 59 || end > 59) {
                        throw bad(spec, p, "minute must be 00-59");
                    }
                    parts.add(new Part(kind, minute, end, null, null, null, 0));
                }
                case "daily" -> {
                    LocalTime[] t = window(spec, p, when);
                    parts.add(new Part(kind, 0, -1, t[0], t[1], null, 0));
                }
                case "weekly" -> {
                    String[] dw = when.split("/", -1);
                    if (dw.length != 2) {
                        throw bad(spec, p, "weekly takes DAY/HH:MM, for example weekly@SUN/03:00");
                    }
                    LocalTime[] t = window(spec, p, dw[1]);
                    parts.add(new Part(kind, 0, -1, t[0], t[1], day(spec, p, dw[0]), 0));
                }
                case "monthly" -> {
                    String[] dm = when.split("/", -1);
                    if (dm.length != 2 || !dm[0].matches("\\d{1,2}")) {
                        throw bad(spec, p, "monthly takes D/HH:MM, for example monthly@1/04:00");
                    }
                    int d = Integer.parseInt(dm[0]);
                    if (d < 1 || d > 31) {
                        throw bad(spec, p, "day of month must be 1-31");
                    }
                    LocalTime[] t = window(spec, p, dm[1]);
                    parts.add(new Part(kind, 0, -1, t[0], t[1], null, d));
                }
                default -> throw bad(spec, p, "unknown kind '" + kind + "'; use hourly, daily, weekly or monthly");
            }
        }
        return new BackupSchedule(spec.strip(), List.copyOf(parts), zone);
    }

    /** {@code HH:MM} or {@code HH:MM-HH:MM}: start and end (null without a window). */
    private static LocalTime[] window(String spec, String part, String s) {
        int dash = s.indexOf('-');
        if (dash < 0) {
            return new LocalTime[] {time(spec, part, s), null};
        }
        return new LocalTime[] {time(spec, part, s.substring(0, dash)), time(spec, part, s.substring(dash + 1))};
    }

    /** The zone written at the end of the spec, if any. */
    public Optional<ZoneId> zone() {
        return zone;
    }

    /**
     * The first run at or after {@code fromInclusive}, looking at most 62 days ahead (every part recurs within a
     * month). Equivalent to the first element of {@link #runsBetween} from there.
     *
     * @throws NullPointerException if an argument is null
     */
    public Run nextRun(Instant fromInclusive, ZoneId zone) {
        requireNonNull(fromInclusive, "fromInclusive");
        requireNonNull(zone, "zone");
        for (long days : new long[] {2, 9, 63}) {
            List<Run> runs = runsBetween(fromInclusive, fromInclusive.plus(Duration.ofDays(days)), zone);
            if (!runs.isEmpty()) {
                return runs.get(0);
            }
        }
        throw new IllegalStateException("schedule " + spec + " has no run within 63 days of " + fromInclusive);
    }

    private static LocalTime time(String spec, String part, String s) {
        if (!s.matches("\\d{2}:\\d{2}")) {
            throw bad(spec, part, "time must be HH:MM");
        }
        try {
            return LocalTime.parse(s);
        } catch (DateTimeParseException e) {
            throw bad(spec, part, "time must be HH:MM between 00:00 and 23:59");
        }
    }

    private static DayOfWeek day(String spec, String part, String s) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(s)) {
                return d;
            }
        }
        throw bad(spec, part, "day must be MON, TUE, WED, THU, FRI, SAT or SUN");
    }

    private static IllegalArgumentException bad(String spec, String part, String why) {
        return new IllegalArgumentException("invalid schedule '" + spec + "' at '" + part + "': " + why);
    }

    /**
     * The runs from {@code fromInclusive} to {@code toExclusive}, in time order (runs of different parts at the same
     * instant: in the order the parts were given).
     *
     * @throws NullPointerException if an argument is null
     */
    public List<Run> runsBetween(Instant fromInclusive, Instant toExclusive, ZoneId zone) {
        requireNonNull(fromInclusive, "fromInclusive");
        requireNonNull(toExclusive, "toExclusive");
        requireNonNull(zone, "zone");
        List<Run> runs = new ArrayList<>();
        for (Part p : parts) {
            if (p.kind.equals("hourly")) {
                // Step on the time line, not on local times, so DST days get 23 or 25 runs, never a duplicate.
                ZonedDateTime t = fromInclusive.atZone(zone).truncatedTo(ChronoUnit.HOURS).withMinute(p.minute);
                for (Instant i = t.toInstant(); i.isBefore(toExclusive); i = i.plusSeconds(3600)) {
                    if (!i.isBefore(fromInclusive)) {
                        Instant end = p.endMinute < 0 ? i
                                : i.plus(Duration.ofMinutes(Math.floorMod(p.endMinute - p.minute - 1, 60) + 1));
                        runs.add(new Run(i, p.kind, end));
                    }
                }
                continue;
            }
            LocalDate last = toExclusive.atZone(zone).toLocalDate();
            for (LocalDate d = fromInclusive.atZone(zone).toLocalDate(); !d.isAfter(last); d = d.plusDays(1)) {
                boolean today = switch (p.kind) {
                    case "daily" -> true;
                    case "weekly" -> d.getDayOfWeek() == p.day;
                    default -> d.getDayOfMonth() == Math.min(p.dayOfMonth, d.lengthOfMonth());
                };
                if (today) {
                    Instant i = d.atTime(p.time).atZone(zone).toInstant();
                    if (!i.isBefore(fromInclusive) && i.isBefore(toExclusive)) {
                        runs.add(new Run(i, p.kind, windowEnd(p, d, i, zone)));
                    }
                }
            }
        }
        // Stable sort keeps part order for equal instants.
        runs.sort(Comparator.comparing(Run::time));
        return runs;
    }

    /** The end of a daily, weekly or monthly part's window that starts at {@code start} on local date {@code d}. */
    private static Instant windowEnd(Part p, LocalDate d, Instant start, ZoneId zone) {
        if (p.end == null) {
            return start;
        }
        LocalDate endDay = p.end.isAfter(p.time) ? d : d.plusDays(1);
        Instant end = endDay.atTime(p.end).atZone(zone).toInstant();
        // A window squeezed to nothing by a DST change still lets the run start at its planned time.
        return end.isAfter(start) ? end : start.plusSeconds(60);
    }

    /** The spec this schedule was parsed from. */
    @Override
    public String toString() {
        return spec;
    }
}
