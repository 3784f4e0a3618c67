package dev.backup4j.retention;

import static dev.backup4j.retention.CalendarAmount.ofDays;
import static dev.backup4j.retention.CalendarAmount.ofMonths;
import static dev.backup4j.retention.CalendarAmount.ofWeeks;
import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Ready-made policies, one for each published backup policy the library must express (docs/retention.md shows each
 * one as a simulated timeline). Each is named after what it does; each needs the zone its calendar is read in.
 *
 * <p>Every preset is a starting point: {@link RetentionPolicy#toBuilder()} on it gives a builder with all of its rules,
 * to add rules or holds, and {@code p.toBuilder().build()} decides exactly as {@code p}.
 *
 * <pre>{@code
 * RetentionPolicy p = RetentionPresets.daily7Weekly3Monthly3(ZoneId.of("Europe/Brussels"));
 * RetentionPolicy q = RetentionPresets.byName("daily2", ZoneId.of("Asia/Kolkata"));
 * RetentionPolicy r = p.toBuilder().keepMonthly(12).holdTags("legal-hold").build();
 * }</pre>
 */
public final class RetentionPresets {

    /** The tag {@link #byName} uses for {@link #daily7Weekly4TaggedYear}: snapshots tagged with it are kept a year. */
    public static final String KEEP_ONE_YEAR_TAG = "keep-1y";

    private static final Map<String, Function<ZoneId, RetentionPolicy>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("daily7-weekly3-monthly3", RetentionPresets::daily7Weekly3Monthly3);
        BY_NAME.put("daily7-weekly4-firstofmonth3", RetentionPresets::daily7Weekly4FirstOfMonth3);
        BY_NAME.put("daily7-weekly4-tagged1y", z -> daily7Weekly4TaggedYear(z, KEEP_ONE_YEAR_TAG));
        BY_NAME.put("hourly90d", RetentionPresets::hourly90Days);
        BY_NAME.put("all30d", z -> everySnapshotFor(ofDays(30), z));
        BY_NAME.put("all60d", z -> everySnapshotFor(ofDays(60), z));
        BY_NAME.put("all90d", z -> everySnapshotFor(ofDays(90), z));
        BY_NAME.put("daily2", RetentionPresets::lastTwoDays);
    }

    private RetentionPresets() {
    }

    /**
     * A weekly-then-monthly ladder (policy A, a learning-platform host): the last snapshot of each day for the last 7
     * days; then the last snapshot of each week ending Sunday (the Saturday-to-Sunday night backup) whose age is 7 to 28
     * days; then the last snapshot of each month, chosen among those last-of-week snapshots, whose age is 28 days to
     * 3 months 28 days. With one backup a night this is 7 + 3 + 3 restore points (plus the current ones of the ladder).
     */
    public static RetentionPolicy daily7Weekly3Monthly3(ZoneId zone) {
        RetentionCalendar weeks = Calendars.weekEnding(DayOfWeek.SUNDAY);
        return RetentionPolicy.builder().zone(requireNonNull(zone, "zone"))
                .keep(CalendarRule.lastOfEach(Calendars.day()).forLast(ofDays(7)).named("last of the day, first 7 days"))
                .keep(CalendarRule.lastOfEach(weeks).window(Window.after(ofDays(7), ofWeeks(3)))
                        .named("last of the week (ending Sunday), 3 weeks after the first 7 days"))
                .keep(CalendarRule.lastOfEach(Calendars.month()).among(weeks).window(Window.after(ofDays(28), ofMonths(3)))
                        .named("last weekly of the month, 3 months after the first 4 weeks"))
                .build();
    }

    /**
     * Daily for a week, weekly for four, the first of each month for three (policy B, a client-management SaaS):
     * every snapshot younger than 7 days; the last snapshot of each week ending Sunday (the Sunday full) younger than
     * 4 weeks; the 1st-of-month archive younger than 3 months, that is the last snapshot of the first day of each
     * month that has snapshots (a monthly archive taken after the daily backup of the 1st).
     */
    public static RetentionPolicy daily7Weekly4FirstOfMonth3(ZoneId zone) {
        return RetentionPolicy.builder().zone(requireNonNull(zone, "zone"))
                .keep(CalendarRule.everySnapshot().forLast(ofDays(7)).named("daily, kept 7 days"))
                .keep(CalendarRule.lastOfEach(Calendars.weekEnding(DayOfWeek.SUNDAY)).forLast(ofWeeks(4))
                        .named("weekly (last of the week ending Sunday), kept 4 weeks"))
                .keep(CalendarRule.firstOfEach(Calendars.month()).among(Calendars.day()).forLast(ofMonths(3))
                        .named("monthly (last of the month's first day), kept 3 months"))
                .build();
    }

    /**
     * Daily for a week, weekly for four, a year for tagged data (policy C, a media company's ISMS): every snapshot
     * younger than 7 days; the last snapshot of each ISO week younger than 4 weeks; every snapshot carrying {@code tag}
     * younger than 1 year. Legal holds are honoured by every policy: {@link RetentionSnapshot#held()}, or add them to
     * this preset with {@code toBuilder().holdTags("legal-hold")} or {@link RetentionPolicy.Builder#hold}.
     */
    public static RetentionPolicy daily7Weekly4TaggedYear(ZoneId zone, String tag) {
        requireNonNull(tag, "tag");
        return RetentionPolicy.builder().zone(requireNonNull(zone, "zone"))
                .keep(CalendarRule.everySnapshot().forLast(ofDays(7)).named("daily, kept 7 days"))
                .keep(CalendarRule.lastOfEach(Calendars.isoWeek()).forLast(ofWeeks(4)).named("weekly, kept 4 weeks"))
                .keep(CalendarRule.everySnapshot().taggedWith(tag).forLast(CalendarAmount.ofYears(1))
                        .named("tagged " + tag + ", kept 1 year"))
                .build();
    }

    /**
     * The last snapshot of each hour for 90 days (policy D, billing database: hourly dumps, 90 days). Daily fulls
     * taken in the same window are kept as the last of their hour.
     */
    public static RetentionPolicy hourly90Days(ZoneId zone) {
        return RetentionPolicy.builder().zone(requireNonNull(zone, "zone"))
                .keep(CalendarRule.lastOfEach(Calendars.hour()).forLast(ofDays(90)).named("last of the hour, kept 90 days"))
                .build();
    }

    /**
     * Every snapshot younger than {@code span} (policy D's 30/60/90-day scopes: VM images, control panel, websites,
     * billing files).
     */
    public static RetentionPolicy everySnapshotFor(CalendarAmount span, ZoneId zone) {
        requireNonNull(span, "span");
        return RetentionPolicy.builder().zone(requireNonNull(zone, "zone"))
                .keep(CalendarRule.everySnapshot().forLast(span).named("every snapshot, kept " + span))
                .build();
    }

    /**
     * The newest snapshot of each of the 2 most recent days that have one (policy E, a small SaaS keeping the 2 most
     * recent daily fulls). A count, not a window: after missed nights the last two successful days are still kept.
     */
    public static RetentionPolicy lastTwoDays(ZoneId zone) {
        return RetentionPolicy.builder().zone(requireNonNull(zone, "zone")).keepDaily(2).build();
    }

    /** The names {@link #byName} accepts, in the order of the policies (A to E). */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * The preset with this CLI name (see {@link #names()}).
     *
     * @throws IllegalArgumentException if there is no preset with that name
     */
    public static RetentionPolicy byName(String name, ZoneId zone) {
        requireNonNull(name, "name");
        requireNonNull(zone, "zone");
        Function<ZoneId, RetentionPolicy> f = BY_NAME.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; use one of " + String.join(", ", BY_NAME.keySet()));
        }
        return f.apply(zone);
    }
}
