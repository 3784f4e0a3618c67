package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
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

/**
 * When backups run: one or more parts joined by {@code +}, each one of
 * <ul>
 *   <li>{@code hourly@:MM}: every hour at minute MM (every real hour: 23 runs on a spring-forward day, 25 in autumn);</li>
 *   <li>{@code daily@HH:MM}: every day;</li>
 *   <li>{@code weekly@DAY/HH:MM}: every week on DAY ({@code MON} ... {@code SUN});</li>
 *   <li>{@code monthly@D/HH:MM}: every month on day D (1-31; clamped to the month's last day).</li>
 * </ul>
 * Local times are read in the simulation's zone; a time in a DST gap runs at the first valid time after it, a time in
 * an overlap runs once, at the earlier offset. Each run is tagged with its part's kind ({@code hourly}, {@code daily},
 * {@code weekly}, {@code monthly}), so a tag-based rule can tell a weekly full from a daily incremental.
 *
 * <pre>{@code
 * BackupSchedule s = BackupSchedule.parse("weekly@SUN/03:00+daily@02:00");
 * }</pre>
 */
public final class BackupSchedule {

    /** One scheduled run. @param time when @param kind the kind of the part that scheduled it */
    public record Run(Instant time, String kind) {
        /** @throws NullPointerException if an argument is null */
        public Run {
            requireNonNull(time, "time");
            requireNonNull(kind, "kind");
        }
    }

    private record Part(String kind, int minute, LocalTime time, DayOfWeek day, int dayOfMonth) {
    }

    private final String spec;
    private final List<Part> parts;

    private BackupSchedule(String spec, List<Part> parts) {
        this.spec = spec;
        this.parts = parts;
    }

    /**
     * Parses a schedule spec such as {@code daily@02:00}, {@code hourly@:15}, {@code weekly@SUN/03:00},
     * {@code monthly@1/04:00} or several joined by {@code +}.
     *
     * @throws IllegalArgumentException if the spec is malformed (the message says which part and why)
     */
    public static BackupSchedule parse(String spec) {
        requireNonNull(spec, "spec");
        List<Part> parts = new ArrayList<>();
        for (String raw : spec.split("\\+", -1)) {
            String p = raw.strip();
            int at = p.indexOf('@');
            if (at < 0) {
                throw bad(spec, p, "expected KIND@WHEN, for example daily@02:00");
            }
            String kind = p.substring(0, at).toLowerCase(Locale.ROOT);
            String when = p.substring(at + 1);
            switch (kind) {
                case "hourly" -> {
                    if (!when.matches(":\\d{2}")) {
                        throw bad(spec, p, "hourly takes :MM, for example hourly@:15");
                    }
                    int minute = Integer.parseInt(when.substring(1));
                    if (minute > 59) {
                        throw bad(spec, p, "minute must be 00-59");
                    }
                    parts.add(new Part(kind, minute, null, null, 0));
                }
                case "daily" -> parts.add(new Part(kind, 0, time(spec, p, when), null, 0));
                case "weekly" -> {
                    String[] dw = when.split("/", -1);
                    if (dw.length != 2) {
                        throw bad(spec, p, "weekly takes DAY/HH:MM, for example weekly@SUN/03:00");
                    }
                    parts.add(new Part(kind, 0, time(spec, p, dw[1]), day(spec, p, dw[0]), 0));
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
                    parts.add(new Part(kind, 0, time(spec, p, dm[1]), null, d));
                }
                default -> throw bad(spec, p, "unknown kind '" + kind + "'; use hourly, daily, weekly or monthly");
            }
        }
        return new BackupSchedule(spec.strip(), List.copyOf(parts));
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
                        runs.add(new Run(i, p.kind));
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
                        runs.add(new Run(i, p.kind));
                    }
                }
            }
        }
        // Stable sort keeps part order for equal instants.
        runs.sort(Comparator.comparing(Run::time));
        return runs;
    }

    /** The spec this schedule was parsed from. */
    @Override
    public String toString() {
        return spec;
    }
}
