package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.histories;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Each rule keeps exactly what its javadoc says: the engine against the simple reference models of {@link RuleSpec}. */
class RulePropertiesTest {

    private static boolean matchesModel(Histories.History h, RuleSpec rule, boolean keepOldest) {
        RetentionPolicy.Builder b = RetentionPolicy.builder().zone(h.zone()).groupBy(GroupBy.none()).allowRemovingNewest();
        rule.addTo(b);
        if (keepOldest) {
            b.keepOldestWhenCountLeft();
        }
        // Held snapshots would be kept by the guard, not by the rule: judge the rule on unheld copies.
        var unheld = h.snapshots().stream().map(s -> s.withHeld(false)).toList();
        Set<String> actual = b.build().apply(unheld, h.reference()).keptIds();
        Set<String> expected = rule.model(unheld, h.zone(), h.reference(), keepOldest);
        return actual.equals(expected);
    }

    private static void check(Gen<RuleSpec> rules) {
        Props.theory().forAll(histories(40), rules, Histories.bools()).check((h, r, oldest) -> matchesModel(h, r, oldest));
    }

    @Test
    void keepLastKeepsTheNNewest() {
        check(in -> RuleSpec.Count.gen(in, null));
    }

    @Test
    void countRulesKeepTheNewestOfTheNMostRecentPeriodsWithSnapshots() {
        check(in -> RuleSpec.Count.gen(in, RuleSpec.CALENDARS.get((int) Histories.between(in, 0, RuleSpec.CALENDARS.size() - 1))));
    }

    @Test
    void keepWithinKeepsEverythingAfterTheCutoffFromTheLatestSnapshot() {
        check(in -> RuleSpec.Within.gen(in, null));
    }

    @Test
    void keepWithinPeriodKeepsTheNewestOfEachPeriodAfterTheCutoff() {
        check(in -> RuleSpec.Within.gen(in, RuleSpec.RESTIC_CALENDARS.get((int) Histories.between(in, 0, 4))));
    }

    @Test
    void keepTagKeepsSnapshotsWithAllTagsOfAnyList() {
        check(RuleSpec.Tags::gen);
    }

    @Test
    void calendarRulesKeepTheChosenSnapshotOfEachPeriodInsideTheWindow() {
        check(RuleSpec.Cal::gen);
    }
}
