package dev.backup4j.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * SPI: splits time into periods (hours, days, weeks, terms...). Implementations must be immutable, thread-safe and
 * deterministic, and their periods must be contiguous in time: if two instants map to the same key, every instant
 * between them maps to that key too. The built-in calendars are in {@link Calendars}.
 *
 * <pre>{@code
 * RetentionCalendar weeks = Calendars.weekEnding(DayOfWeek.SUNDAY);
 * weeks.periodOf(Instant.parse("2024-03-17T22:30:00Z"), ZoneId.of("Europe/Brussels"));
 * // 23:30 on Sunday 17 March in Brussels: Optional[week-ending-sunday:2024-03-17]
 * }</pre>
 */
public interface RetentionCalendar {

    /**
     * A short unique name, used as the {@link PeriodKey#calendarId()} of every key this calendar makes
     * (for example {@code day}, {@code iso-week}, {@code custom:academic-term}).
     */
    String id();

    /**
     * The period {@code instant} falls in, read in {@code zone}; empty if this calendar has no period there (a custom
     * calendar only covers its date ranges).
     *
     * @throws NullPointerException if an argument is null
     */
    Optional<PeriodKey> periodOf(Instant instant, ZoneId zone);
}
