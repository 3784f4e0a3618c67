package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.histories;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Legal holds supplied by the caller ({@link RetentionPolicy.Builder#holdTags}, {@link RetentionPolicy.Builder#hold}, and
 * {@link RetentionSnapshot#held()}): a held snapshot is never removed, says why it is kept, and holding changes
 * nothing else: the kept set is the kept set without holds plus the held snapshots, and every other reason is the same.
 */
class HoldPropertiesTest {

    @Test
    void heldSnapshotsAreNeverRemovedAndHoldsAddExactlyTheHeldSnapshots() {
        AtomicInteger examples = new AtomicInteger();
        AtomicInteger holdSaved = new AtomicInteger();
        Props.theory().forAll(histories(40), PolicySpec.policies(RuleSpec.any(), 5), HoldSpec.holds()).check((h, spec, holds) -> {
            List<SnapshotInfo> unheld = h.snapshots().stream().map(s -> s.withHeld(false)).toList();
            RetentionDecision without = spec.build(h.zone()).apply(unheld, h.reference());
            RetentionPolicy policy = holds.addTo(spec.build(h.zone()).toBuilder()).build();
            RetentionDecision with = policy.apply(h.snapshots(), h.reference());

            Set<String> held = new HashSet<>();
            h.snapshots().stream().filter(holds::holds).forEach(s -> held.add(s.id()));
            Set<String> expected = new HashSet<>(without.keptIds());
            expected.addAll(held);
            examples.incrementAndGet();
            if (held.stream().anyMatch(without.removedIds()::contains)) {
                holdSaved.incrementAndGet();
            }
            if (with.removed().stream().anyMatch(s -> held.contains(s.id())) || !with.keptIds().equals(expected)) {
                return false;
            }
            for (SnapshotInfo s : h.snapshots()) {
                // The documented hold reasons, and policy.isHeld agreeing with the model.
                List<String> holdReasons = with.reasonsFor(s.id()).stream().map(KeepReason::rule)
                        .filter(r -> r.equals("held") || r.startsWith("held: ")).toList();
                if (!holdReasons.equals(holds.reasonsFor(s)) || policy.isHeld(s) != held.contains(s.id())) {
                    return false;
                }
                // Rules see held snapshots like any other: every rule reason (counters included) is unchanged.
                if (!ruleReasons(with, s.id()).equals(ruleReasons(without, s.id()))) {
                    return false;
                }
            }
            return true;
        });
        System.out.printf("holds: %d examples; a hold kept a snapshot the policy alone removes in %d (%.1f%%)%n",
                examples.get(), holdSaved.get(), 100.0 * holdSaved.get() / examples.get());
        // Without such examples the property would say nothing about holds.
        assertTrue(holdSaved.get() >= examples.get() / 5, "holds mattered in " + holdSaved + " of " + examples);
    }

    private static List<KeepReason> ruleReasons(RetentionDecision d, String id) {
        return d.reasonsFor(id).stream()
                .filter(r -> !r.rule().equals("held") && !r.rule().startsWith("held: ") && !r.rule().equals("newest of its group"))
                .toList();
    }

    @Test
    void theSimulatorHonoursHoldsAtEveryPrune() {
        // Every snapshot of a Sunday run is held (tag "weekly" from the schedule): none is ever removed in 2 years,
        // while everything else follows the policy (two days).
        Map<String, Integer> kinds = new HashMap<>();
        RetentionPolicy p = RetentionPresets.lastTwoDays(java.time.ZoneId.of("Europe/Brussels")).toBuilder()
                .holdTags("weekly").build();
        SimulationResult r = RetentionSimulation.builder().policy(p).schedule(BackupSchedule.parse("weekly@SUN/03:00+daily@02:00"))
                .from(java.time.LocalDate.of(2022, 1, 1)).years(2).ageBands(List.of()).run();
        for (SimulationResult.SnapshotLife l : r.snapshots()) {
            if (l.removedAt().isEmpty()) {
                kinds.merge(l.kind(), 1, Integer::sum);
            }
        }
        int weeklies = (int) r.snapshots().stream().filter(l -> l.kind().equals("weekly")).count();
        assertTrue(weeklies > 100, "weekly runs in 2 years: " + weeklies);
        assertEquals(weeklies, kinds.get("weekly"), "every weekly snapshot survives: " + kinds);
        assertTrue(kinds.get("daily") <= 2, "dailies alive at the end: " + kinds);
    }
}
