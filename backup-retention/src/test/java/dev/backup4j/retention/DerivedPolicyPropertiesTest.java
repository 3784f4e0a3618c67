package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.between;
import static dev.backup4j.retention.Histories.histories;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Properties of policies made from other policies: {@link RetentionPolicy#toBuilder()} round trips (every preset,
 * random policies with holds), adding a rule to a preset, and {@link RetentionPolicy.Builder#keepAll} keeping the union.
 */
class DerivedPolicyPropertiesTest {

    /** A preset, by how it is made, so a falsifying example names it. */
    record Preset(String label, Function<ZoneId, RetentionPolicy> make) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** Every preset of {@link RetentionPresets}: each name, and the two parameterised factories with other arguments. */
    static List<Preset> allPresets() {
        List<Preset> l = new ArrayList<>();
        for (String name : RetentionPresets.names()) {
            l.add(new Preset(name, z -> RetentionPresets.byName(name, z)));
        }
        l.add(new Preset("daily7Weekly4TaggedYear(x)", z -> RetentionPresets.daily7Weekly4TaggedYear(z, "x")));
        l.add(new Preset("everySnapshotFor(45d)", z -> RetentionPresets.everySnapshotFor(CalendarAmount.ofDays(45), z)));
        l.add(new Preset("everySnapshotFor(1m5d7h)", z -> RetentionPresets.everySnapshotFor(new CalendarAmount(0, 1, 5, 7), z)));
        return l;
    }

    /** Same kept snapshots with the same reasons, same removed, same JSON (which includes the policy's description). */
    static boolean sameDecision(RetentionDecision a, RetentionDecision b) {
        return a.kept().equals(b.kept()) && a.removed().equals(b.removed()) && a.toJson().equals(b.toJson())
                && a.explain().equals(b.explain());
    }

    @Test
    void everyPresetRoundTripsThroughToBuilder() {
        int presets = 0;
        for (Preset preset : allPresets()) {
            presets++;
            Props.theory().forAll(histories(40)).describedAs(h -> preset + " on " + h).check(h -> {
                RetentionPolicy p = preset.make().apply(h.zone());
                RetentionPolicy again = p.toBuilder().build();
                RetentionPolicy twice = again.toBuilder().build();
                RetentionDecision expected = p.apply(h.snapshots(), h.reference());
                return sameDecision(expected, again.apply(h.snapshots(), h.reference()))
                        && sameDecision(expected, twice.apply(h.snapshots(), h.reference()))
                        && p.describe().equals(again.describe());
            });
        }
        // 8 names and 3 more parameterisations: a preset added later is covered without touching this test.
        assertTrue(presets >= RetentionPresets.names().size() + 3, "presets checked: " + presets);
    }

    @Test
    void randomPoliciesWithHoldsRoundTripThroughToBuilder() {
        Props.theory().forAll(histories(40), PolicySpec.policies(RuleSpec.any(), 5), HoldSpec.holds()).check((h, spec, holds) -> {
            RetentionPolicy p = holds.addTo(spec.build(h.zone()).toBuilder()).build();
            return sameDecision(p.apply(h.snapshots(), h.reference()), p.toBuilder().build().apply(h.snapshots(), h.reference()));
        });
    }

    /**
     * The embedding case: a preset plus one more rule keeps what the preset keeps plus what that rule keeps. (A count
     * rule with the preset's own flag replaces it instead; {@code daily2} with another {@code keepDaily} is left out
     * here and pinned by {@code DerivedPolicyTest.aCountRuleWithAnInheritedFlagReplacesItInPlace}.)
     */
    @Test
    void aPresetPlusARuleKeepsThePresetsSnapshotsPlusTheRulesSnapshots() {
        Gen<Preset> presets = in -> allPresets().get((int) between(in, 0, allPresets().size() - 1));
        Props.theory().forAll(histories(40), presets, RuleSpec.any())
                .assuming((h, preset, r) -> !(preset.label().equals("daily2") && r instanceof RuleSpec.Count c
                        && Calendars.day().equals(c.calendar())))
                .check((h, preset, r) -> {
                    RetentionPolicy p = preset.make().apply(h.zone());
                    RetentionPolicy.Builder derived = p.toBuilder();
                    r.addTo(derived);
                    RetentionPolicy.Builder alone = RetentionPolicy.builder().zone(h.zone());
                    r.addTo(alone);
                    Set<String> expected = new HashSet<>(p.apply(h.snapshots(), h.reference()).keptIds());
                    expected.addAll(alone.build().apply(h.snapshots(), h.reference()).keptIds());
                    return derived.build().apply(h.snapshots(), h.reference()).keptIds().equals(expected);
                });
    }

    /** Two policies keepAll can merge: same grouping and keep-oldest, the same minimum age or none on one side. */
    record Pair(PolicySpec a, PolicySpec b) {
    }

    @Test
    void keepAllKeepsTheUnionOfBothPolicies() {
        Gen<Pair> pairs = in -> {
            PolicySpec a = PolicySpec.policies(RuleSpec.any(), 4).generate(in);
            PolicySpec b = PolicySpec.policies(RuleSpec.any(), 4).generate(in);
            CalendarAmount minAge = between(in, 0, 1) == 0 ? a.minimumAge() : null;
            return new Pair(a, new PolicySpec(b.rules(), a.keepOldest(), a.grouping(), minAge, b.allowRemovingNewest()));
        };
        AtomicInteger strictlyMore = new AtomicInteger();
        AtomicInteger examples = new AtomicInteger();
        Props.theory().forAll(histories(40), pairs, HoldSpec.holds("a"), HoldSpec.holds("b")).checkAssert((h, pair, ha, hb) -> {
            RetentionPolicy a = ha.addTo(pair.a().build(h.zone()).toBuilder()).build();
            RetentionPolicy b = hb.addTo(pair.b().build(h.zone()).toBuilder()).build();
            Set<String> keptA = a.apply(h.snapshots(), h.reference()).keptIds();
            Set<String> keptB = b.apply(h.snapshots(), h.reference()).keptIds();
            Set<String> union = new TreeSet<>(keptA);
            union.addAll(keptB);
            RetentionPolicy merged = a.toBuilder().keepAll(b).build();
            RetentionPolicy fromScratch = RetentionPolicy.builder().keepAll(b).keepAll(a).build();
            RetentionDecision d = merged.apply(h.snapshots(), h.reference());
            examples.incrementAndGet();
            if (union.size() > keptA.size() && union.size() > keptB.size()) {
                strictlyMore.incrementAndGet();
            }
            assertEquals(union, new TreeSet<>(d.keptIds()), () -> "a.toBuilder().keepAll(b): " + merged + "\n" + d.explain());
            RetentionDecision d2 = fromScratch.apply(h.snapshots(), h.reference());
            assertEquals(union, new TreeSet<>(d2.keptIds()), () -> "builder().keepAll(b).keepAll(a): " + fromScratch + "\n" + d2.explain());
            assertTrue(sameDecision(d, merged.toBuilder().build().apply(h.snapshots(), h.reference())), "round trip of " + merged);
        });
        System.out.printf("keepAll: %d examples, %d (%.1f%%) where the union keeps more than either policy%n",
                examples.get(), strictlyMore.get(), 100.0 * strictlyMore.get() / examples.get());
        // Otherwise the property would hold trivially (one policy containing the other).
        assertTrue(strictlyMore.get() >= examples.get() / 10, "union larger than both in " + strictlyMore + " of " + examples);
    }
}
