package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.retention.ResticForgetOptions;
import dev.backup4j.retention.RetentionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgetTest {
    @TempDir
    Path tmp;

    @Test
    void removesTheSnapshotFilesThePolicyRemovesAndExplainsTheRest() throws Exception {
        Path src = Fixtures.tree(tmp.resolve("src"), 1, 1);
        Clock clock = Clock.fixed(Instant.parse("2024-03-01T00:00:00Z"), ZoneOffset.UTC);
        try (Repository repo = Fixtures.opener(Backends.inMemory(), clock).init()) {
            for (int day = 1; day <= 5; day++) {
                repo.backup().path(src).host("h").time(Instant.parse("2024-02-0" + day + "T12:00:00Z")).run();
            }
            RetentionPolicy p = RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(2).build();
            ForgetResult dry = Forget.on(repo).policy(p).dryRun(true).run();
            assertEquals(3, dry.removed().size());
            assertEquals(5, repo.snapshots().size(), "a dry run deletes nothing");
            ForgetResult r = Forget.on(repo).policy(p).run();
            assertEquals(dry.removed(), r.removed());
            assertEquals(r.kept(), repo.snapshots());
            assertTrue(r.decision().explain().contains(r.kept().get(0).requireId().toString().substring(0, 8))
                    || r.decision().toJson().contains(r.kept().get(0).requireId().toString()));
            assertThrows(IllegalStateException.class, () -> Forget.on(repo).run());
        }
    }

    /** With restic's flags, the library removes exactly the snapshots restic removes (both in dry-run). */
    @Test
    void removesExactlyWhatResticForgetRemoves() throws Exception {
        Restic.requireRestic();
        Path dir = tmp.resolve("repo");
        Restic restic = Restic.on(dir, Fixtures.PASSWORD);
        Map<String, String> utc = Map.of("TZ", "UTC");
        restic.run(utc, "init", "--repository-version", "2").ok();
        Path a = Fixtures.tree(tmp.resolve("a"), 1, 1);
        Path b = Fixtures.tree(tmp.resolve("b"), 2, 1);
        LocalDateTime t = LocalDateTime.parse("2023-11-27T09:30:00");
        int[] gapsHours = {0, 5, 20, 24, 26, 48, 71, 150, 170, 400, 700, 1000, 1500};
        for (int i = 0; i < gapsHours.length; i++) {
            String when = t.plusHours(gapsHours[i]).toString().replace('T', ' ') + ":00";
            restic.run(utc, "backup", "--host", i % 4 == 3 ? "other" : "h", "--time", when,
                    (i % 5 == 4 ? b : a).toString()).ok();
        }
        Instant now = t.plusHours(1600).toInstant(ZoneOffset.UTC);
        List<List<String>> flagSets = List.of(
                List.of("--keep-daily", "3", "--keep-weekly", "2", "--keep-monthly", "2"),
                List.of("--keep-last", "2", "--keep-hourly", "4"),
                List.of("--keep-within", "20d"),
                List.of("--keep-within-daily", "30d", "--keep-yearly", "1"),
                List.of("--keep-weekly", "3", "--group-by", "host"),
                List.of("--keep-last", "1", "--group-by", ""));
        try (Repository repo = Fixtures.opener(Backends.local(dir), Clock.fixed(now, ZoneOffset.UTC)).open()) {
            for (List<String> flags : flagSets) {
                List<String> args = new java.util.ArrayList<>(List.of("forget", "--dry-run", "--json"));
                args.addAll(flags);
                JsonNode groups = new ObjectMapper().readTree(restic.run(utc, args.toArray(String[]::new)).ok()
                        .stdout());
                Set<String> resticRemoves = new TreeSet<>();
                for (JsonNode g : groups) {
                    for (JsonNode s : g.path("remove")) {
                        resticRemoves.add(s.get("id").asText());
                    }
                }
                ResticForgetOptions.Builder ob = ResticForgetOptions.builder();
                for (int i = 0; i < flags.size(); i += 2) {
                    ob.flag(flags.get(i), flags.get(i + 1));
                }
                RetentionPolicy.Builder pb = RetentionPolicy.builder().zone(ZoneOffset.UTC);
                ob.build().applyTo(pb);
                ForgetResult r = Forget.on(repo).policy(pb.build()).dryRun(true).run();
                Set<String> ours = new TreeSet<>();
                r.removed().forEach(s -> ours.add(s.requireId().toString()));
                assertEquals(resticRemoves, ours, String.join(" ", flags));
                assertFalse(flags.get(1).equals("3") && ours.isEmpty(), "the fixture makes the policy remove some");
            }
            assertEquals(gapsHours.length, repo.snapshots().size());
        }
    }

    @SuppressWarnings("unused")
    private static List<String> ids(List<Snapshot> s) {
        return s.stream().map(x -> x.requireId().toString()).toList();
    }
}
