package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.between;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Going back by a calendar amount: never moves back as time moves forward, and lands where the calendar says. */
class CalendarAmountPropertiesTest {

    record Case(ZoneId zone, Instant t1, Instant t2, CalendarAmount amount) {
    }

    /** Two instants close together (often across a DST change or a month end) and an amount. */
    private static final Gen<Case> CASES = in -> {
        ZoneId zone = Histories.ZONES.get((int) between(in, 0, Histories.ZONES.size() - 1));
        java.util.List<Instant> anchors = Histories.anchors(zone);
        Instant base = anchors.get((int) between(in, 0, anchors.size() - 1)).plusSeconds(between(in, -40L * 86400, 40L * 86400));
        Instant t1 = base;
        Instant t2 = base.plusSeconds(between(in, 0, between(in, 0, 1) == 0 ? 7200 : 3L * 86400));
        return new Case(zone, t1, t2, RuleSpec.amounts().generate(in));
    };

    @Test
    void goingBackNeverMovesBackAsTimeMovesForward() {
        Props.theory().forAll(CASES).check(c -> !c.amount().before(c.t2().atZone(c.zone())).toInstant()
                .isBefore(c.amount().before(c.t1().atZone(c.zone())).toInstant()));
    }

    /**
     * The result lies where plain java.time arithmetic puts it, give or take what the monotone rules move: up to a day
     * later when the day does not exist in the target month, up to the length of a DST change either way.
     */
    @Test
    void goingBackLandsWithinADayOfPlainCalendarArithmetic() {
        Props.theory().forAll(CASES).check(c -> {
            ZonedDateTime t = c.t1().atZone(c.zone());
            CalendarAmount a = c.amount();
            Instant ours = a.before(t).toInstant();
            Instant plain = t.minus(Period.of(a.years(), a.months(), a.days())).minusHours(a.hours()).toInstant();
            long diff = ours.getEpochSecond() - plain.getEpochSecond();
            return diff >= -3600 && diff <= 86400 + 3600;
        });
    }
}
