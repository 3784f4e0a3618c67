package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import java.util.Optional;

/**
 * A calendar-window rule: keep one snapshot per calendar period (or every snapshot) whose age lies in a {@link Window}
 * measured back from the reference time in the policy's zone. Immutable; each method returns a new rule.
 *
 * <p>Semantics, for one group of snapshots:
 * <ol>
 *   <li>Candidates are the snapshots carrying {@link #taggedWith the tag}, if one is set, else all.</li>
 *   <li>With {@link #among(RetentionCalendar) among(c)}, candidates are narrowed to the newest candidate of each period
 *       of {@code c} (over the whole group, not just the window): "chosen among the weekly backups".</li>
 *   <li>{@link #lastOfEach}: for each period of the calendar, the newest candidate in it is <em>the</em> representative
 *       of that period; it is kept if its time is in the window. Older candidates of the same period are never kept by
 *       this rule, even if they are in the window and the representative is not. {@link #firstOfEach} is the same with
 *       the oldest candidate. {@link #everySnapshot}: every candidate in the window is kept.</li>
 * </ol>
 * Ties (equal times) are broken by id: the smaller id counts as newer.
 *
 * <pre>{@code
 * CalendarRule.lastOfEach(Calendars.day()).forLast(CalendarAmount.ofDays(7));
 * CalendarRule.lastOfEach(Calendars.weekEnding(DayOfWeek.SUNDAY))
 *     .window(Window.after(CalendarAmount.ofDays(7), CalendarAmount.ofWeeks(3)));
 * CalendarRule.lastOfEach(Calendars.month()).among(Calendars.weekEnding(DayOfWeek.SUNDAY))
 *     .window(Window.after(CalendarAmount.ofDays(28), CalendarAmount.ofMonths(3)));
 * CalendarRule.everySnapshot().taggedWith("keep-1y").forLast(CalendarAmount.ofYears(1));
 * }</pre>
 */
public final class CalendarRule {

    private final Optional<RetentionCalendar> calendar;
    private final boolean newest;
    private final Optional<RetentionCalendar> among;
    private final Window window;
    private final Optional<String> tag;
    private final Optional<String> name;

    private CalendarRule(Optional<RetentionCalendar> calendar, boolean newest, Optional<RetentionCalendar> among,
            Window window, Optional<String> tag, Optional<String> name) {
        this.calendar = calendar;
        this.newest = newest;
        this.among = among;
        this.window = window;
        this.tag = tag;
        this.name = name;
    }

    /** The newest snapshot of each period of {@code calendar}, at any age until a window is set. */
    public static CalendarRule lastOfEach(RetentionCalendar calendar) {
        return new CalendarRule(Optional.of(requireNonNull(calendar, "calendar")), true, Optional.empty(), Window.always(),
                Optional.empty(), Optional.empty());
    }

    /** The oldest snapshot of each period of {@code calendar} ("the 1st of the month"), at any age until a window is set. */
    public static CalendarRule firstOfEach(RetentionCalendar calendar) {
        return new CalendarRule(Optional.of(requireNonNull(calendar, "calendar")), false, Optional.empty(), Window.always(),
                Optional.empty(), Optional.empty());
    }

    /** Every snapshot, at any age until a window is set. */
    public static CalendarRule everySnapshot() {
        return new CalendarRule(Optional.empty(), true, Optional.empty(), Window.always(), Optional.empty(), Optional.empty());
    }

    /** This rule limited to ages below {@code span}: same as {@code window(Window.last(span))}. */
    public CalendarRule forLast(CalendarAmount span) {
        return window(Window.last(span));
    }

    /** This rule limited to the given window of ages. */
    public CalendarRule window(Window newWindow) {
        return new CalendarRule(calendar, newest, among, requireNonNull(newWindow, "window"), tag, name);
    }

    /**
     * This rule choosing only among the newest snapshot of each period of {@code candidates}
     * ("the last of each month, chosen among the weekly backups").
     */
    public CalendarRule among(RetentionCalendar candidates) {
        return new CalendarRule(calendar, newest, Optional.of(requireNonNull(candidates, "candidates")), window, tag, name);
    }

    /** This rule considering only snapshots that carry {@code requiredTag}. */
    public CalendarRule taggedWith(String requiredTag) {
        requireNonNull(requiredTag, "requiredTag");
        return new CalendarRule(calendar, newest, among, window, Optional.of(requiredTag), name);
    }

    /** This rule with a name of your own in {@link KeepReason#rule()} (default: {@link #describe()}). */
    public CalendarRule named(String ruleName) {
        requireNonNull(ruleName, "ruleName");
        if (ruleName.isBlank()) {
            throw new IllegalArgumentException("a rule name must not be blank");
        }
        return new CalendarRule(calendar, newest, among, window, tag, Optional.of(ruleName));
    }

    /** The calendar whose periods are represented; empty for {@link #everySnapshot()}. */
    public Optional<RetentionCalendar> calendar() {
        return calendar;
    }

    /** Whether the newest (true) or the oldest (false) snapshot represents its period. */
    public boolean keepsNewest() {
        return newest;
    }

    /** The calendar whose newest snapshots are the only candidates, if any. */
    public Optional<RetentionCalendar> amongCalendar() {
        return among;
    }

    /** The window of ages. */
    public Window window() {
        return window;
    }

    /** The tag a snapshot needs to be considered, if any. */
    public Optional<String> tag() {
        return tag;
    }

    /** The name used in reasons: the one given to {@link #named}, else {@link #describe()}. */
    public String name() {
        return name.orElseGet(this::describe);
    }

    /** For example {@code last of each month among last of each week-ending-sunday, from 28d to 3m28d}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (calendar.isEmpty()) {
            b.append("every snapshot");
        } else {
            b.append(newest ? "last of each " : "first of each ").append(calendar.get().id());
        }
        tag.ifPresent(t -> b.append(" tagged ").append(t));
        among.ifPresent(a -> b.append(" among last of each ").append(a.id()));
        return b.append(", ").append(window).toString();
    }

    /** Rules are equal when they keep the same snapshots for the same reasons: same parts, same name. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CalendarRule r && r.calendar.equals(calendar) && r.newest == newest && r.among.equals(among)
                && r.window.equals(window) && r.tag.equals(tag) && r.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(calendar, newest, among, window, tag, name);
    }

    @Override
    public String toString() {
        return name();
    }
}
