package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.retention.KeepReason;
import dev.backup4j.retention.RetentionPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Legal holds on a real repository: through the policy's hold tags and through {@link Forget#hold}. */
class ForgetHoldTest {
    @TempDir
    Path tmp;

    @Test
    void heldSnapshotsSurviveForgetWithTheirReason() throws Exception {
        Path src = Fixtures.tree(tmp.resolve("src"), 1, 1);
        Clock clock = Clock.fixed(Instant.parse("2024-03-01T00:00:00Z"), ZoneOffset.UTC);
        try (Repository repo = Fixtures.opener(Backends.inMemory(), clock).init()) {
            for (int day = 1; day <= 6; day++) {
                var backup = repo.backup().path(src).host("h").time(Instant.parse("2024-02-0" + day + "T12:00:00Z"));
                if (day == 2) {
                    backup.tag("legal-hold");
                }
                backup.run();
            }
            Instant audited = Instant.parse("2024-02-04T12:00:00Z");
            RetentionPolicy p = RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(2).holdTags("legal-hold").build();
            ForgetResult r = Forget.on(repo).policy(p).hold(s -> s.instant().equals(audited)).run();

            assertEquals(Set.of("2024-02-02T12:00:00Z", "2024-02-04T12:00:00Z", "2024-02-05T12:00:00Z",
                    "2024-02-06T12:00:00Z"), times(r.kept()));
            assertEquals(Set.of("2024-02-01T12:00:00Z", "2024-02-03T12:00:00Z"), times(r.removed()));
            assertEquals(times(r.kept()), times(repo.snapshots()), "the removed snapshot files are gone, the held ones stay");
            Snapshot tagged = r.kept().stream().filter(s -> s.tags().contains("legal-hold")).findFirst().orElseThrow();
            Snapshot byPredicate = r.kept().stream().filter(s -> s.instant().equals(audited)).findFirst().orElseThrow();
            assertEquals(List.of("held: tagged legal-hold"), rules(r, tagged));
            assertEquals(List.of("held"), rules(r, byPredicate));
            assertThrows(NullPointerException.class, () -> Forget.on(repo).hold(null));
            // Without the holds, the same policy would have removed both.
            ForgetResult plain = Forget.on(repo).policy(RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(2).build())
                    .dryRun(true).run();
            assertTrue(times(plain.removed()).containsAll(Set.of("2024-02-02T12:00:00Z", "2024-02-04T12:00:00Z")));
        }
    }

    private static List<String> rules(ForgetResult r, Snapshot s) {
        return r.decision().reasonsFor(s.requireId().toString()).stream().map(KeepReason::rule).toList();
    }

    private static Set<String> times(List<Snapshot> snapshots) {
        Set<String> t = new TreeSet<>();
        snapshots.forEach(s -> t.add(s.instant().toString()));
        return t;
    }
}
