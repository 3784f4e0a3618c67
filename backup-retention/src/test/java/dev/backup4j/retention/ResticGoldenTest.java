package dev.backup4j.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Our restic-compatible rules against what the real {@code restic forget --dry-run --json} (0.14.0) decided on the same
 * snapshots. The golden files and the script that regenerates them are in src/test/resources/golden/.
 */
class ResticGoldenTest {

    static final List<String> SCENARIOS = List.of("brussels-dst", "utc-years-week53", "newyork-hourly",
            "kolkata-hosts-tags", "sydney-month-ends");

    record Golden(String name, ZoneId zone, Instant now, List<SnapshotInfo> snapshots, List<Case> cases) {
    }

    record Case(String flags, Set<String> keep, Set<String> remove) {
    }

    static Golden load(String name) throws IOException {
        String text;
        try (InputStream in = ResticGoldenTest.class.getResourceAsStream("/golden/" + name + ".golden")) {
            if (in == null) {
                throw new IOException("missing golden file " + name + "; run src/test/resources/golden/regenerate.sh");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ZoneId zone = null;
        Instant now = null;
        List<SnapshotInfo> snapshots = new ArrayList<>();
        List<Case> cases = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            switch (f[0]) {
                case "zone" -> zone = ZoneId.of(f[1]);
                case "now" -> now = Instant.parse(f[1]);
                case "snapshot" -> snapshots.add(new SnapshotInfo(f[1], OffsetDateTime.parse(f[2]).toInstant(), f[3],
                        List.of("/data"), f[4].equals("-") ? Set.of() : Set.of(f[4].split(",")), false));
                case "case" -> {
                    Set<String> keep = ids(lines[++i], "keep");
                    Set<String> remove = ids(lines[++i], "remove");
                    cases.add(new Case(lines[i - 2].substring("case ".length()), keep, remove));
                }
                default -> {
                }
            }
        }
        return new Golden(name, zone, now, snapshots, cases);
    }

    private static Set<String> ids(String line, String prefix) {
        assertTrue(line.startsWith(prefix), "expected a '" + prefix + "' line, got " + line);
        return new TreeSet<>(Arrays.asList(line.substring(prefix.length()).strip().split(" +"))).stream()
                .filter(s -> !s.isEmpty()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    /** The policy the flags map to: restic has no "newest is always kept" guard and groups by host and paths. */
    static RetentionPolicy policy(ZoneId zone, String flags) {
        ResticForgetOptions.Builder o = ResticForgetOptions.builder();
        String[] f = flags.split(" ");
        for (int i = 0; i < f.length; i += 2) {
            o.flag(f[i], f[i + 1]);
        }
        return RetentionPolicy.builder().zone(zone).resticOptions(o.build()).allowRemovingNewest().build();
    }

    @TestFactory
    Stream<DynamicTest> ourResticRulesKeepWhatResticKeeps() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : SCENARIOS) {
            Golden g = load(name);
            assertFalse(g.cases().isEmpty(), name + " has no cases");
            for (Case c : g.cases()) {
                tests.add(DynamicTest.dynamicTest(name + ": " + c.flags(), () -> {
                    RetentionDecision d = policy(g.zone(), c.flags()).apply(g.snapshots(), g.now());
                    assertEquals(c.keep(), new TreeSet<>(d.keptIds()), () -> "kept differs for " + c.flags() + "\n" + d.explain());
                    assertEquals(c.remove(), new TreeSet<>(d.removedIds()), () -> "removed differs for " + c.flags());
                }));
            }
        }
        return tests.stream();
    }
}
