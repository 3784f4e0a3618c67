package dev.backup4j.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * An amount of calendar time: years, months, days and hours, as in restic's durations ({@code 1y6m7d12h}).
 * Unlike {@link java.time.Duration}, a day is a calendar day (23 or 25 hours across a DST change) and a month is a
 * calendar month.
 *
 * <p>Going back by an amount ({@link #before(ZonedDateTime)}) subtracts years and months together as a number of months
 * (31 March minus 1 month is 1 March 00:00, the start of the day after the missing 31 February), then days, on the
 * local date-time in the zone, then hours on the time line; the result never moves back as time moves forward.
 *
 * <pre>{@code
 * CalendarAmount a = CalendarAmount.parse("1y6m");  // same as ofMonths(18)
 * CalendarAmount b = CalendarAmount.ofDays(7).plus(CalendarAmount.ofWeeks(3));  // 28d
 * }</pre>
 *
 * @param years whole years, at least 0
 * @param months whole months, at least 0
 * @param days whole days, at least 0
 * @param hours whole hours, at least 0
 */
public record CalendarAmount(int years, int months, int days, int hours) {

    /** No time at all. */
    public static final CalendarAmount ZERO = new CalendarAmount(0, 0, 0, 0);

    /**
     * @throws IllegalArgumentException if a field is negative
     */
    public CalendarAmount {
        if (years < 0 || months < 0 || days < 0 || hours < 0) {
            throw new IllegalArgumentException("calendar amounts cannot be negative: " + years + "y" + months + "m" + days + "d" + hours + "h");
        }
    }

    /** {@code n} hours. @throws IllegalArgumentException if {@code n < 0} */
    public static CalendarAmount ofHours(int n) {
        return new CalendarAmount(0, 0, 0, n);
    }

    /** {@code n} calendar days. @throws IllegalArgumentException if {@code n < 0} */
    public static CalendarAmount ofDays(int n) {
        return new CalendarAmount(0, 0, n, 0);
    }

    /** {@code n} weeks, that is {@code 7n} calendar days. @throws IllegalArgumentException if {@code n < 0} */
    public static CalendarAmount ofWeeks(int n) {
        return new CalendarAmount(0, 0, Math.multiplyExact(n, 7), 0);
    }

    /** {@code n} calendar months. @throws IllegalArgumentException if {@code n < 0} */
    public static CalendarAmount ofMonths(int n) {
        return new CalendarAmount(0, n, 0, 0);
    }

    /** {@code n} calendar years. @throws IllegalArgumentException if {@code n < 0} */
    public static CalendarAmount ofYears(int n) {
        return new CalendarAmount(n, 0, 0, 0);
    }

    /**
     * Parses restic's duration syntax: numbers each followed by {@code y}, {@code m} (months), {@code d} or {@code h},
     * for example {@code 2y}, {@code 7d}, {@code 1y5m7d2h}. A unit given twice keeps the last value, as restic does.
     * Also accepts {@code w} (7 days) as an extension.
     *
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException if the text is empty, negative or not in that syntax
     */
    public static CalendarAmount parse(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration; expected something like 7d or 1y6m");
        }
        int y = 0;
        int mo = 0;
        int d = 0;
        int h = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new IllegalArgumentException("invalid duration '" + text + "': expected a number at position " + start + " (like 7d or 1y6m)");
            }
            if (i == s.length()) {
                throw new IllegalArgumentException("invalid duration '" + text + "': no unit after the last number (use y, m, w, d or h)");
            }
            int n;
            try {
                n = Integer.parseInt(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid duration '" + text + "': number too large");
            }
            switch (s.charAt(i)) {
                case 'y' -> y = n;
                case 'm' -> mo = n;
                case 'w' -> d = Math.multiplyExact(n, 7);
                case 'd' -> d = n;
                case 'h' -> h = n;
                default -> throw new IllegalArgumentException("invalid duration '" + text + "': unknown unit '" + s.charAt(i) + "' (use y, m, w, d or h)");
            }
            i++;
        }
        return new CalendarAmount(y, mo, d, h);
    }

    /** Whether every field is zero. */
    public boolean isZero() {
        return years == 0 && months == 0 && days == 0 && hours == 0;
    }

    /** The field-wise sum. @throws ArithmeticException on overflow */
    public CalendarAmount plus(CalendarAmount other) {
        return new CalendarAmount(Math.addExact(years, other.years), Math.addExact(months, other.months),
                Math.addExact(days, other.days), Math.addExact(hours, other.hours));
    }

    /**
     * {@code time} minus this amount, as used by windows and the minimum age. Designed so that the result never moves
     * back when {@code time} moves forward (otherwise a snapshot could leave a window and come back, and pruning along
     * the way would differ from one prune at the end):
     * <ol>
     *   <li>start from the local date-time of {@code time}; during the second pass of a repeated hour (clocks went back)
     *       use the local time at which the clocks went back instead, so the local time never runs backwards;</li>
     *   <li>subtract years and months as a number of months; when that day does not exist (31 March minus 1 month),
     *       use the start of the following day (1 March 00:00), not the end of the shorter month;</li>
     *   <li>subtract days on the local date;</li>
     *   <li>back to the time line: a local time skipped by a DST gap becomes the moment of the jump, a repeated local
     *       time its first occurrence;</li>
     *   <li>subtract hours on the time line.</li>
     * </ol>
     */
    public ZonedDateTime before(ZonedDateTime time) {
        ZoneId zone = time.getZone();
        ZoneRules rules = zone.getRules();
        LocalDateTime local = time.toLocalDateTime();
        ZoneOffsetTransition last = rules.previousTransition(time.toInstant().plusNanos(1));
        if (last != null && last.isOverlap() && time.toInstant().isBefore(last.getInstant().plus(last.getDuration().abs()))) {
            local = last.getDateTimeBefore();
        }
        long totalMonths = (long) years * 12 + months;
        LocalDateTime shifted = local.minusMonths(totalMonths);
        if (shifted.getDayOfMonth() != local.getDayOfMonth()) {
            shifted = shifted.toLocalDate().plusDays(1).atStartOfDay();
        }
        shifted = shifted.minusDays(days);
        ZonedDateTime result;
        if (rules.getValidOffsets(shifted).isEmpty()) {
            result = rules.getTransition(shifted).getInstant().atZone(zone);
        } else {
            result = ZonedDateTime.ofLocal(shifted, zone, rules.getValidOffsets(shifted).get(0));
        }
        return result.minusHours(hours);
    }

    /**
     * {@code latest} minus this amount the way restic's {@code --keep-within} computes it (Go's {@code AddDate}): years,
     * months and days are subtracted field by field and then normalized, so 31 March minus 1 month is 3 March
     * (or 2 March in a leap year), not the end of February; then hours on the time line.
     */
    Instant resticBefore(ZonedDateTime latest) {
        long month0 = (long) latest.getYear() * 12 + (latest.getMonthValue() - 1) - (long) years * 12 - months;
        int year = (int) Math.floorDiv(month0, 12);
        int month = (int) Math.floorMod(month0, 12) + 1;
        LocalDate date = LocalDate.of(year, month, 1).plusDays((long) latest.getDayOfMonth() - days - 1);
        ZonedDateTime t = ZonedDateTime.ofLocal(date.atTime(latest.toLocalTime()), latest.getZone(), latest.getOffset());
        return t.toInstant().minusSeconds(3600L * hours);
    }

    /** restic's form, for example {@code 1y6m7d}; {@code 0h} for zero. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (years != 0) {
            b.append(years).append('y');
        }
        if (months != 0) {
            b.append(months).append('m');
        }
        if (days != 0) {
            b.append(days).append('d');
        }
        if (hours != 0) {
            b.append(hours).append('h');
        }
        return b.length() == 0 ? "0h" : b.toString();
    }
}
