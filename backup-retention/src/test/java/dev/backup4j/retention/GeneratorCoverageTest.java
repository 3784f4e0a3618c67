package dev.backup4j.retention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The history generator reaches the hard cases; the counters are printed so a reader can see how often. */
class GeneratorCoverageTest {

    @Test
    void historiesReachDstDaysWeek53LeapDaysEmptyPeriodsTiesAndFutureSnapshots() {
        Map<String, Integer> counts = new TreeMap<>();
        int[] total = {0};
        Props.theory().forAll(Histories.histories(40)).checkAssert(h -> {
            total[0]++;
            Histories.classify(h).forEach(c -> counts.merge(c, 1, Integer::sum));
        });
        StringBuilder report = new StringBuilder("history classes over " + total[0] + " generated histories:\n");
        counts.forEach((k, v) -> report.append(String.format("  %-50s %5d (%.1f%%)%n", k, v, 100.0 * v / total[0])));
        System.out.println(report);
        for (String c : List.of("snapshot on a DST day", "snapshot in ISO week 53", "snapshot on a leap day",
                "empty day between snapshots", "empty month between snapshots", "two snapshots at the same instant",
                "future-dated snapshot", "crosses a year boundary", "held snapshot")) {
            // At least 1% of the examples, so each class is exercised by every property run, not by luck.
            assertTrue(counts.getOrDefault(c, 0) >= total[0] / 100, c + " reached too rarely\n" + report);
        }
    }
}
