package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.between;
import static dev.backup4j.retention.Histories.histories;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * {@link VersionRule} ("keep N versions of each file under a path") against a reference model built from maps and
 * sorting, and its promise inside whole policies.
 */
class VersionRulePropertiesTest {

    private static final List<String> PATHS = List.of("/data/a", "/data/b", "/data/sub/c", "/database/x", "/other/d");
    private static final List<String> UNDER = List.of("/", "/data", "/data/sub", "/other", "/data/");

    /** A history, the files of each of its snapshots, a count and a path. */
    record Case(Histories.History history, Map<String, Map<String, String>> files, int n, String under) {
        SnapshotFiles catalog() {
            return (s, u) -> {
                Map<String, String> all = files.getOrDefault(s.id(), Map.of());
                // Return more than asked (paths outside `under` too): the rule must filter by itself.
                return all;
            };
        }

        @Override
        public String toString() {
            return history + "\nn=" + n + " under=" + under + "\nfiles=" + new TreeMap<>(files);
        }
    }

    static Gen<Case> cases() {
        Gen<Histories.History> histories = histories(30);
        return in -> {
            Histories.History h = histories.generate(in);
            Map<String, Map<String, String>> files = new HashMap<>();
            for (SnapshotInfo s : h.snapshots()) {
                Map<String, String> f = new LinkedHashMap<>();
                for (String p : PATHS) {
                    if (between(in, 0, 3) != 0) {
                        // A small alphabet of contents, so versions repeat and files go back to old contents.
                        f.put(p, "c" + between(in, 0, 3));
                    }
                }
                files.put(s.id(), f);
            }
            return new Case(h, files, (int) between(in, 1, 4), UNDER.get((int) between(in, 0, UNDER.size() - 1)));
        };
    }

    private static boolean covers(String under, String path) {
        String u = under.length() > 1 && under.endsWith("/") ? under.substring(0, under.length() - 1) : under;
        return u.equals("/") || path.equals(u) || path.startsWith(u + "/");
    }

    /** For each path: its contents, ordered by the newest snapshot holding each, and that snapshot. */
    static Set<String> model(Case c, List<SnapshotInfo> group) {
        List<SnapshotInfo> sorted = new ArrayList<>(group);
        sorted.sort(RuleSpec.NEWEST_FIRST);
        Map<String, Map<String, SnapshotInfo>> newestHolder = new HashMap<>();
        for (SnapshotInfo s : sorted) {
            c.files.getOrDefault(s.id(), Map.of()).forEach((path, content) -> {
                if (covers(c.under, path)) {
                    newestHolder.computeIfAbsent(path, k -> new HashMap<>()).merge(content, s,
                            (a, b) -> RuleSpec.NEWEST_FIRST.compare(a, b) <= 0 ? a : b);
                }
            });
        }
        Set<String> kept = new HashSet<>();
        for (Map<String, SnapshotInfo> byContent : newestHolder.values()) {
            List<SnapshotInfo> holders = new ArrayList<>(byContent.values());
            holders.sort(RuleSpec.NEWEST_FIRST);
            holders.stream().limit(c.n).forEach(s -> kept.add(s.id()));
        }
        return kept;
    }

    private static List<SnapshotInfo> unheld(Case c) {
        return c.history.snapshots().stream().map(s -> s.withHeld(false)).toList();
    }

    @Test
    void theRuleKeepsTheNewestHolderOfEachOfTheNMostRecentContentsOfEveryPath() {
        Props.theory().forAll(cases()).check(c -> {
            RetentionPolicy p = RetentionPolicy.builder().zone(c.history.zone()).groupBy(GroupBy.none())
                    .allowRemovingNewest().keep(VersionRule.keepVersions(c.n, c.catalog()).under(c.under)).build();
            return p.apply(unheld(c), c.history.reference()).keptIds().equals(model(c, unheld(c)));
        });
    }

    @Test
    void withinAnyPolicyEveryFileKeepsMinOfNAndItsDistinctVersionsAndTheRestIsUntouched() {
        AtomicInteger rescued = new AtomicInteger();
        AtomicInteger reverted = new AtomicInteger();
        Props.theory().forAll(cases(), Histories.bools(), in -> (int) between(in, 1, 5)).check((c, byHost, daily) -> {
            RetentionPolicy base = RetentionPolicy.builder().zone(c.history.zone())
                    .groupBy(byHost ? GroupBy.parse("host") : GroupBy.none()).keepDaily(daily).build();
            RetentionPolicy withVersions = base.toBuilder()
                    .keep(VersionRule.keepVersions(c.n, c.catalog()).under(c.under)).build();
            List<SnapshotInfo> all = c.history.snapshots();
            RetentionDecision d = withVersions.apply(all, c.history.reference());
            Set<String> baseKept = base.apply(all, c.history.reference()).keptIds();
            if (!d.keptIds().containsAll(baseKept)) {
                return false;
            }
            if (d.keptIds().size() > baseKept.size()) {
                rescued.incrementAndGet();
            }
            // Per group and per path: the kept snapshots hold at least min(n, distinct contents) contents.
            GroupBy g = withVersions.groupBy();
            Map<String, List<SnapshotInfo>> groups = new HashMap<>();
            all.forEach(s -> groups.computeIfAbsent(g.keyOf(s), k -> new ArrayList<>()).add(s));
            for (List<SnapshotInfo> group : groups.values()) {
                Map<String, Set<String>> everything = new HashMap<>();
                Map<String, Set<String>> kept = new HashMap<>();
                Map<String, List<String>> sequence = new HashMap<>();
                List<SnapshotInfo> oldestFirst = new ArrayList<>(group);
                oldestFirst.sort(RuleSpec.NEWEST_FIRST.reversed());
                for (SnapshotInfo s : oldestFirst) {
                    for (Map.Entry<String, String> f : c.files.getOrDefault(s.id(), Map.of()).entrySet()) {
                        if (!covers(c.under, f.getKey())) {
                            continue;
                        }
                        everything.computeIfAbsent(f.getKey(), k -> new HashSet<>()).add(f.getValue());
                        List<String> seq = sequence.computeIfAbsent(f.getKey(), k -> new ArrayList<>());
                        if (seq.isEmpty() || !seq.get(seq.size() - 1).equals(f.getValue())) {
                            seq.add(f.getValue());
                        }
                        if (d.keptIds().contains(s.id())) {
                            kept.computeIfAbsent(f.getKey(), k -> new HashSet<>()).add(f.getValue());
                        }
                    }
                }
                for (Map.Entry<String, Set<String>> e : everything.entrySet()) {
                    int have = kept.getOrDefault(e.getKey(), Set.of()).size();
                    if (have < Math.min(c.n, e.getValue().size())) {
                        return false;
                    }
                }
                if (sequence.values().stream().anyMatch(s -> s.size() > new HashSet<>(s).size())) {
                    reverted.incrementAndGet();
                }
            }
            return true;
        });
        System.out.printf("VersionRule: the rule kept more than keepDaily alone in %d of %d examples; "
                + "a file went back to an earlier content in %d groups%n", rescued.get(), Props.EXAMPLES, reverted.get());
        // Not vacuous: the rule must matter in a good share of the examples, and reverts must be generated.
        assertTrue(rescued.get() > Props.EXAMPLES / 10, "the rule rarely mattered: " + rescued.get());
        assertTrue(reverted.get() > Props.EXAMPLES / 10, "reverts were rarely generated: " + reverted.get());
    }

    @Test
    void aFileThatWentBackToAnEarlierContentCountsTwoVersionsKeptInTheirNewestHolders() {
        java.time.Instant t0 = java.time.Instant.parse("2024-01-01T00:00:00Z");
        List<SnapshotInfo> s = List.of(SnapshotInfo.of("a1", t0), SnapshotInfo.of("b2", t0.plusSeconds(60)),
                SnapshotInfo.of("a3", t0.plusSeconds(120)), SnapshotInfo.of("c4", t0.plusSeconds(180)));
        Map<String, String> contents = Map.of("a1", "A", "b2", "B", "a3", "A", "c4", "C");
        SnapshotFiles files = (snap, under) -> Map.of("/srv/f", contents.get(snap.id()), "/etc/g", "same");
        RetentionPolicy p = RetentionPolicy.builder().zone(java.time.ZoneOffset.UTC).allowRemovingNewest()
                .keep(VersionRule.keepVersions(3, files).under("/srv")).build();
        RetentionDecision d = p.apply(s, t0.plusSeconds(600));
        assertEquals(Set.of("c4", "a3", "b2"), d.keptIds());
        assertEquals("keep 3 versions of each file under /srv", p.ruleDescriptions().get(0));
        assertEquals("3 versions of each file under /srv", d.reasonsFor("b2").get(0).rule());
        assertThrows(IllegalArgumentException.class, () -> VersionRule.keepVersions(0, files));
        assertThrows(IllegalArgumentException.class, () -> VersionRule.keepVersions(1, files).under("srv"));
    }
}
