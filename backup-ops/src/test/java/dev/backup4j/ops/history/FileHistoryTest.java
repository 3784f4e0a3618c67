package dev.backup4j.ops.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.maintenance.Forget;
import dev.backup4j.core.maintenance.ForgetResult;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.SimulatedClock;
import dev.backup4j.retention.VersionRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Versions of files across real snapshots, and policy B's "5 versions per file" applied by forget and prune. */
class FileHistoryTest {
    @TempDir
    Path tmp;

    @Test
    void everyDistinctVersionIsListedAndFiveVersionsPerFileSurviveAForgetThatKeepsOnlyTheLastDay() throws Exception {
        SimulatedClock clock = SimulatedClock.at(Instant.parse("2024-03-01T02:00:00Z"), ZoneOffset.UTC);
        Path src = Files.createDirectories(tmp.resolve("srv/app"));
        String a = src.resolve("config.yml").toString();
        String b = src.resolve("notes.txt").toString();
        Files.writeString(src.resolve("static.txt"), "never changes");
        try (Repository repo = Repository.at(Backends.local(tmp.resolve("repo"))).password("h").clock(clock)
                .lockCheckDelay(Duration.ZERO).init()) {
            // config.yml: v0..v7 one per day, then back to v3; notes.txt: changes every other day
            for (int day = 0; day < 9; day++) {
                Files.writeString(Path.of(a), "version " + (day < 8 ? day : 3) + "\n");
                Files.writeString(Path.of(b), "notes " + day / 2 + "\n");
                repo.backup().path(src).run();
                clock.advanceBy(Duration.ofDays(1));
            }
            FileHistory.Result h = FileHistory.of(repo).path(src.toString()).run();
            List<FileVersion> va = h.versions(a);
            assertEquals(8, va.size(), va.toString());
            FileVersion v3 = va.get(3);
            assertEquals(2, v3.snapshots());            // day 3 and day 8
            assertTrue(v3.lastSeen().isAfter(va.get(7).lastSeen()));
            assertEquals("version 3\n".length(), v3.size());
            assertEquals(5, h.versions(b).size());
            assertEquals(1, h.versions(src + "/static.txt").size());
            assertEquals(9, h.versions(src + "/static.txt").get(0).snapshots());
            assertEquals(List.of(a), List.copyOf(FileHistory.of(repo).path(a).run().byPath().keySet()));

            RetentionPolicy p = RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(1)
                    .keep(VersionRule.keepVersions(5, FileCatalog.of(repo)).under(src.toString())).build();
            ForgetResult f = Forget.on(repo).policy(p).run();
            Prune.on(repo).run();
            // config.yml needs days 4-8, notes.txt days 1, 3, 5, 7, 8: only days 0 and 2 may go
            assertEquals(2, f.removed().size(), f.decision().explain());
            FileHistory.Result after = FileHistory.of(repo).path(src.toString()).run();
            Set<String> kept = new HashSet<>();
            after.versions(a).forEach(v -> kept.add(v.contentId()));
            // day 1 stays for notes.txt, so config.yml keeps its version 1 too: 6 versions, at least the 5 newest
            assertEquals(6, kept.size());
            assertEquals(5, after.versions(b).size());
            // the five kept versions of config.yml are the five most recent contents: 3 (again), 7, 6, 5, 4
            Set<String> expected = new HashSet<>();
            for (int i : new int[] {3, 7, 6, 5, 4}) {
                expected.add(va.get(i).contentId());
            }
            assertTrue(kept.containsAll(expected), kept.toString());
        }
        Restic.requireRestic();
        Restic.on(tmp.resolve("repo"), "h").run("check", "--read-data").ok();
    }
}
