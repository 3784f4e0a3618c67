package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.histories;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Properties of whole policies: rules combined, with guards and grouping. */
class PolicyPropertiesTest {

    private static final Gen<PolicySpec> POLICIES = PolicySpec.policies(RuleSpec.any(), 5);

    private static RetentionDecision decide(Histories.History h, PolicySpec p) {
        return p.build(h.zone()).apply(h.snapshots(), h.reference());
    }

    @Test
    void aPolicyKeepsTheUnionOfItsRulesPlusItsGuards() {
        Props.theory().forAll(histories(40), POLICIES)
                .check((h, p) -> decide(h, p).keptIds().equals(p.model(h.snapshots(), h.zone(), h.reference())));
    }

    @Test
    void heldAndYoungSnapshotsAndTheNewestOfEachGroupAreNeverRemoved() {
        Props.theory().forAll(histories(40), POLICIES).check((h, p) -> {
            RetentionDecision d = decide(h, p);
            Instant young = p.minimumAge() == null ? Instant.MAX : p.minimumAge().before(h.reference().atZone(h.zone())).toInstant();
            Map<String, SnapshotInfo> newestOfGroup = new HashMap<>();
            GroupBy g = PolicySpec.GROUPINGS.get(p.grouping());
            for (SnapshotInfo s : h.snapshots()) {
                newestOfGroup.merge(g.keyOf(s), s, (a, b) -> RuleSpec.NEWEST_FIRST.compare(a, b) <= 0 ? a : b);
            }
            for (RetentionSnapshot r : d.removed()) {
                if (r.held() || r.time().isAfter(young)) {
                    return false;
                }
                if (!p.allowRemovingNewest() && newestOfGroup.get(g.keyOf(r)).id().equals(r.id())) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void everyKeptSnapshotHasAReasonAndTheDecisionPartitionsTheInput() {
        Props.theory().forAll(histories(40), POLICIES).check((h, p) -> {
            RetentionDecision d = decide(h, p);
            Set<String> all = new HashSet<>(d.keptIds());
            all.addAll(d.removedIds());
            boolean partition = all.size() == h.snapshots().size() && d.kept().size() + d.removed().size() == all.size();
            boolean reasons = d.kept().stream().allMatch(k -> !k.reasons().isEmpty() && d.reasonsFor(k.snapshot().id()).equals(k.reasons()))
                    && d.removed().stream().allMatch(r -> d.reasonsFor(r.id()).isEmpty());
            return partition && reasons;
        });
    }

    @Test
    void applyingAPolicyToItsOwnKeptSetRemovesNothing() {
        Props.theory().forAll(histories(40), POLICIES.map(p -> new PolicySpec(p.rules().stream().filter(r -> !r.usesAmong()).toList(), p.keepOldest(),
                p.grouping(), p.minimumAge(), p.allowRemovingNewest())).assuming(p -> !p.rules().isEmpty())).check((h, p) -> {
            RetentionPolicy policy = p.build(h.zone());
            RetentionDecision first = policy.apply(h.snapshots(), h.reference());
            return policy.apply(first.keptSnapshots(), h.reference()).removed().isEmpty();
        });
    }

    /**
     * "Among" rules are not idempotent: a snapshot kept for another reason (a hold, say) can become the newest of its
     * week once the week's real newest is removed, and then displace the month's representative. The guarantee they
     * do give: every period an "among" rule covered is still covered after re-applying.
     */
    @Test
    void reapplyingAnAmongRuleNeverUncoversAPeriod() {
        Gen<PolicySpec> withAmong = in -> {
            PolicySpec p = POLICIES.generate(in);
            List<RuleSpec> rules = new ArrayList<>(p.rules());
            rules.add(RuleSpec.Cal.genAmong(in));
            return new PolicySpec(rules, p.keepOldest(), p.grouping(), p.minimumAge(), p.allowRemovingNewest());
        };
        Props.theory().forAll(histories(40), withAmong).check((h, p) -> {
            RetentionPolicy policy = p.build(h.zone());
            RetentionDecision first = policy.apply(h.snapshots(), h.reference());
            RetentionDecision second = policy.apply(first.keptSnapshots(), h.reference());
            Set<PeriodKey> coveredBefore = new HashSet<>();
            first.kept().forEach(k -> k.reasons().forEach(r -> r.period().ifPresent(coveredBefore::add)));
            for (PeriodKey period : coveredBefore) {
                RetentionCalendar c = calendarOf(p, period.calendarId());
                boolean stillCovered = second.keptSnapshots().stream()
                        .anyMatch(s -> c.periodOf(s.time(), h.zone()).map(period::equals).orElse(false));
                if (!stillCovered) {
                    return false;
                }
            }
            return true;
        });
    }

    private static RetentionCalendar calendarOf(PolicySpec p, String id) {
        for (RetentionCalendar c : RuleSpec.CALENDARS) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalStateException("unknown calendar " + id + " in " + p);
    }

    @Test
    void inputOrderDoesNotMatterAndTiesAreBrokenDeterministically() {
        Props.theory().forAll(histories(40), POLICIES, seeds()).check((h, p, seed) -> {
            RetentionPolicy policy = p.build(h.zone());
            List<SnapshotInfo> shuffled = new ArrayList<>(h.snapshots());
            Collections.shuffle(shuffled, new Random(seed));
            RetentionDecision a = policy.apply(h.snapshots(), h.reference());
            RetentionDecision b = policy.apply(shuffled, h.reference());
            return a.kept().equals(b.kept()) && a.removed().equals(b.removed()) && a.toJson().equals(b.toJson());
        });
    }

    @Test
    void moreNeverKeepsLess() {
        Gen<PolicySpec[]> pairs = in -> {
            PolicySpec small = POLICIES.generate(in);
            return new PolicySpec[] {small, small.grow(in, RuleSpec.any())};
        };
        Props.theory().forAll(histories(40), pairs).check((h, pair) -> {
            Set<String> small = decide(h, pair[0]).keptIds();
            Set<String> big = decide(h, pair[1]).keptIds();
            return big.containsAll(small);
        });
    }

    @Test
    void groupsAreJudgedIndependently() {
        Props.theory().forAll(histories(40), POLICIES.map(p -> new PolicySpec(p.rules(), p.keepOldest(), 1, p.minimumAge(), p.allowRemovingNewest()))).check((h, p) -> {
            RetentionPolicy policy = p.build(h.zone());
            Set<String> together = policy.apply(h.snapshots(), h.reference()).keptIds();
            Set<String> separately = new HashSet<>();
            for (String host : List.of("a", "b")) {
                separately.addAll(policy.apply(h.snapshots().stream().filter(s -> s.host().equals(host)).toList(),
                        h.reference()).keptIds());
            }
            return together.equals(separately);
        });
    }

    private static Gen<Long> seeds() {
        return in -> in.next(org.quicktheories.impl.Constraint.between(0, Long.MAX_VALUE / 2));
    }

    @Test
    void generatedPoliciesUseEveryKindOfRule() {
        // Guards against a generator that silently stops producing a rule kind.
        Set<String> kinds = new HashSet<>();
        Props.theory(300).forAll(POLICIES).checkAssert(p -> p.rules().forEach(r -> kinds.add(r.getClass().getSimpleName())));
        assertTrue(kinds.containsAll(Set.of("Count", "Within", "Tags", "Cal")), "rule kinds generated: " + kinds);
    }
}
