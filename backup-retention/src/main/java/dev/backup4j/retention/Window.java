package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A range of snapshot ages, measured back from the reference time in calendar units, in the policy's zone.
 * A snapshot taken at {@code t} is inside the window {@code [younger, older)} when
 * {@code t <= younger.before(ref)} and {@code t > older.before(ref)} (see {@link #after} for windows given as a skip
 * and a span). A window whose younger bound is zero also contains
 * snapshots dated after the reference time (clock skew), so they are not dropped by the youngest rules.
 *
 * <pre>{@code
 * Window.last(CalendarAmount.ofDays(7));                                  // age < 7 days
 * Window.after(CalendarAmount.ofDays(7), CalendarAmount.ofWeeks(3));       // 7 days <= age < 28 days
 * Window.always();                                                         // any age
 * }</pre>
 */
public final class Window {

    private static final Window ALWAYS = new Window(CalendarAmount.ZERO, List.of());

    private final CalendarAmount younger;
    private final Optional<CalendarAmount> older;
    // The older bound is reached by going back by these amounts one after the other (after(7d, 3m): 7 days, then 3
    // months), which is not always the same as going back by their sum (3 months and 7 days at once).
    private final List<CalendarAmount> olderSteps;

    private Window(CalendarAmount younger, List<CalendarAmount> olderSteps) {
        this.younger = younger;
        this.olderSteps = List.copyOf(olderSteps);
        this.older = olderSteps.stream().reduce(CalendarAmount::plus);
    }

    private static double approxHours(CalendarAmount a) {
        return a.years() * 8766.0 + a.months() * 730.5 + a.days() * 24.0 + a.hours();
    }

    /** Every age, including future-dated snapshots. */
    public static Window always() {
        return ALWAYS;
    }

    /**
     * Ages below {@code span} (and future-dated snapshots).
     *
     * @throws IllegalArgumentException if {@code span} is zero
     */
    public static Window last(CalendarAmount span) {
        return between(CalendarAmount.ZERO, span);
    }

    /**
     * Ages from {@code skip} (inclusive) for {@code span} more: the older bound is the reference time minus
     * {@code skip}, then minus {@code span} ({@code after(28d, 3m)} on 26 May: 28 April, then 28 January).
     *
     * @throws IllegalArgumentException if {@code span} is zero
     */
    public static Window after(CalendarAmount skip, CalendarAmount span) {
        requireNonNull(skip, "skip");
        requireNonNull(span, "span");
        if (span.isZero()) {
            throw new IllegalArgumentException("window after " + skip + " needs a non-zero span");
        }
        return new Window(skip, List.of(skip, span));
    }

    /**
     * Ages at least {@code younger} and below {@code older}.
     *
     * @throws IllegalArgumentException if {@code older} is not longer than {@code younger} (compared with average
     *     month and year lengths; a window like {@code [30d, 1m)} is refused because it would be empty in most months)
     */
    public static Window between(CalendarAmount younger, CalendarAmount older) {
        requireNonNull(younger, "younger");
        requireNonNull(older, "older");
        if (approxHours(older) <= approxHours(younger)) {
            throw new IllegalArgumentException("window [" + younger + ", " + older + ") is empty: the older bound must be longer than the younger one");
        }
        return new Window(younger, List.of(older));
    }

    /** Ages at least {@code younger}, with no upper bound. */
    public static Window olderThan(CalendarAmount younger) {
        requireNonNull(younger, "younger");
        return new Window(younger, List.of());
    }

    /** The younger bound (inclusive); zero when the window starts now. */
    public CalendarAmount younger() {
        return younger;
    }

    /** The older bound (exclusive), if any, as one amount (for {@link #after}, the sum of skip and span). */
    public Optional<CalendarAmount> older() {
        return older;
    }

    /** Resolves the window against a reference time. */
    Bounds at(ZonedDateTime reference) {
        Instant newest = younger.isZero() ? Instant.MAX : younger.before(reference).toInstant();
        Instant oldestExclusive = Instant.MIN;
        if (!olderSteps.isEmpty()) {
            ZonedDateTime t = reference;
            for (CalendarAmount step : olderSteps) {
                t = step.before(t);
            }
            oldestExclusive = t.toInstant();
        }
        return new Bounds(newest, oldestExclusive);
    }

    /** A resolved window: {@code oldestExclusive < t <= newest}. */
    record Bounds(Instant newest, Instant oldestExclusive) {
        boolean contains(Instant t) {
            return !t.isAfter(newest) && t.isAfter(oldestExclusive);
        }
    }

    /** Human form: {@code last 7d}, {@code 7d..28d}, {@code any age}. */
    @Override
    public String toString() {
        if (older.isEmpty()) {
            return younger.isZero() ? "any age" : "older than " + younger;
        }
        String o = olderSteps.size() == 1 ? olderSteps.get(0).toString() : olderSteps.get(0) + "+" + olderSteps.get(1);
        return younger.isZero() ? "last " + o : "from " + younger + " to " + o;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Window w && w.younger.equals(younger) && w.olderSteps.equals(olderSteps);
    }

    @Override
    public int hashCode() {
        return younger.hashCode() * 31 + olderSteps.hashCode();
    }
}
