package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A band of request ages for the simulator's gap report: "someone asks, at time T, to restore the state of T - age,
 * for an age in [younger, older)".
 *
 * @param name a label such as {@code 1-4 weeks}
 * @param younger the youngest age in the band (inclusive)
 * @param older the oldest age in the band (exclusive)
 */
public record AgeBand(String name, CalendarAmount younger, CalendarAmount older) {

    /** 0-7 days, 1-4 weeks, 1-3 months, 3-12 months, 1-10 years. */
    public static final List<AgeBand> DEFAULTS = List.of(
            new AgeBand("0-7 days", CalendarAmount.ZERO, CalendarAmount.ofDays(7)),
            new AgeBand("1-4 weeks", CalendarAmount.ofDays(7), CalendarAmount.ofDays(28)),
            new AgeBand("1-3 months", CalendarAmount.ofDays(28), CalendarAmount.ofMonths(3)),
            new AgeBand("3-12 months", CalendarAmount.ofMonths(3), CalendarAmount.ofYears(1)),
            new AgeBand("1-10 years", CalendarAmount.ofYears(1), CalendarAmount.ofYears(10)));

    /** @throws NullPointerException if an argument is null */
    public AgeBand {
        requireNonNull(name, "name");
        requireNonNull(younger, "younger");
        requireNonNull(older, "older");
    }
}
