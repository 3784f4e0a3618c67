package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.between;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/** A random policy: rules, options and guards, with the reference model of the whole policy. */
record PolicySpec(List<RuleSpec> rules, boolean keepOldest, int grouping, CalendarAmount minimumAge, boolean allowRemovingNewest) {

    static final List<GroupBy> GROUPINGS = List.of(GroupBy.none(), GroupBy.hostAndPaths(), GroupBy.of(GroupBy.Field.TAGS),
            GroupBy.custom("first-tag", s -> s.tags().isEmpty() ? "-" : s.tags().iterator().next()));

    static Gen<PolicySpec> policies(Gen<RuleSpec> ruleGen, int maxRules) {
        return in -> {
            int n = (int) between(in, 1, maxRules);
            Map<String, RuleSpec> bySlot = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                RuleSpec r = ruleGen.generate(in);
                bySlot.putIfAbsent(r.slot(), r);
            }
            boolean keepOldest = between(in, 0, 3) == 0;
            int grouping = (int) between(in, 0, GROUPINGS.size() - 1);
            CalendarAmount minAge = between(in, 0, 3) == 0 ? RuleSpec.amounts().generate(in) : null;
            boolean allow = between(in, 0, 1) == 0;
            return new PolicySpec(List.copyOf(bySlot.values()), keepOldest, grouping, minAge, allow);
        };
    }

    /** Only restic-compatible rules, no guards, no grouping: what restic itself would do (grouping aside). */
    static Gen<PolicySpec> resticOnly(int maxRules) {
        Gen<RuleSpec> rules = in -> switch ((int) between(in, 0, 5)) {
            case 0 -> RuleSpec.Count.gen(in, null);
            case 1, 2 -> RuleSpec.Count.gen(in, RuleSpec.RESTIC_CALENDARS.get((int) between(in, 0, 4)));
            case 3 -> RuleSpec.Within.gen(in, null);
            case 4 -> RuleSpec.Within.gen(in, RuleSpec.RESTIC_CALENDARS.get((int) between(in, 0, 4)));
            default -> RuleSpec.Tags.gen(in);
        };
        return policies(rules, maxRules).map(p -> new PolicySpec(p.rules(), p.keepOldest(), 0, null, true));
    }

    RetentionPolicy build(ZoneId zone) {
        RetentionPolicy.Builder b = RetentionPolicy.builder().zone(zone).groupBy(GROUPINGS.get(grouping));
        rules.forEach(r -> r.addTo(b));
        if (keepOldest) {
            b.keepOldestWhenCountLeft();
        }
        if (minimumAge != null) {
            b.minimumAge(minimumAge);
        }
        if (allowRemovingNewest) {
            b.allowRemovingNewest();
        }
        return b.build();
    }

    /** The whole policy's reference model: per group, the union of the rules' models plus the guards. */
    Set<String> model(List<SnapshotInfo> all, ZoneId zone, Instant ref) {
        GroupBy g = GROUPINGS.get(grouping);
        Map<String, List<SnapshotInfo>> groups = new LinkedHashMap<>();
        all.forEach(s -> groups.computeIfAbsent(g.keyOf(s), k -> new ArrayList<>()).add(s));
        Set<String> kept = new HashSet<>();
        for (List<SnapshotInfo> group : groups.values()) {
            Set<String> k = new HashSet<>();
            for (RuleSpec r : rules) {
                k.addAll(r.model(group, zone, ref, keepOldest));
            }
            for (SnapshotInfo s : group) {
                if (s.held()) {
                    k.add(s.id());
                }
                if (minimumAge != null && s.time().isAfter(minimumAge.before(ref.atZone(zone)).toInstant())) {
                    k.add(s.id());
                }
            }
            if (!allowRemovingNewest && !group.isEmpty()) {
                k.add(group.stream().sorted(RuleSpec.NEWEST_FIRST).findFirst().get().id());
            }
            kept.addAll(k);
        }
        return kept;
    }

    /** A policy that keeps at least as much: each rule grown, maybe one more rule, maybe keep-oldest. */
    PolicySpec grow(RandomnessSource in, Gen<RuleSpec> ruleGen) {
        Map<String, RuleSpec> bySlot = new LinkedHashMap<>();
        for (RuleSpec r : rules) {
            bySlot.put(r.slot(), between(in, 0, 1) == 0 ? r.grow(in) : r);
        }
        if (between(in, 0, 1) == 0) {
            RuleSpec extra = ruleGen.generate(in);
            bySlot.putIfAbsent(extra.slot(), extra);
        }
        CalendarAmount minAge = minimumAge == null ? null : minimumAge.plus(CalendarAmount.ofDays((int) between(in, 0, 3)));
        return new PolicySpec(List.copyOf(bySlot.values()), keepOldest || between(in, 0, 2) == 0, grouping, minAge,
                allowRemovingNewest && between(in, 0, 2) != 0);
    }

    boolean usesAmong() {
        return rules.stream().anyMatch(RuleSpec::usesAmong);
    }
}
