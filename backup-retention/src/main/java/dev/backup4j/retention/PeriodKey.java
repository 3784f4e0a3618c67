package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

/**
 * The period an instant falls in, for one calendar: for example {@code day:2024-03-17} or {@code iso-week:2020-W53}.
 * Two keys are equal only if both the calendar id and the label are equal, so keys of different calendars never
 * collide (a policy refuses two different calendars with the same id).
 *
 * @param calendarId the {@link RetentionCalendar#id()} of the calendar that made the key
 * @param label the period's name within that calendar
 */
public record PeriodKey(String calendarId, String label) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if an argument is empty
     */
    public PeriodKey {
        requireNonNull(calendarId, "calendarId");
        requireNonNull(label, "label");
        if (calendarId.isEmpty() || label.isEmpty()) {
            throw new IllegalArgumentException("calendar id and label must not be empty");
        }
    }

    /** {@code calendarId:label}. */
    @Override
    public String toString() {
        return calendarId + ":" + label;
    }
}
