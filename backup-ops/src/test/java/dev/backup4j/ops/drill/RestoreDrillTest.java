package dev.backup4j.ops.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.retention.RetentionPresets;
import dev.backup4j.retention.SimulatedClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drills on a real repository: full and sampled, a damaged pack caught, records in the journal and for restic. */
class RestoreDrillTest {
    @TempDir
    Path tmp;

    private final SimulatedClock clock = SimulatedClock.at(Instant.parse("2024-05-01T02:00:00Z"), ZoneOffset.UTC);

    private Repository repo() throws Exception {
        return Repository.at(Backends.local(tmp.resolve("repo"))).password("drill-pw").clock(clock)
                .lockCheckDelay(Duration.ZERO).init();
    }

    private Path data() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/app/sub"));
        for (int i = 0; i < 30; i++) {
            Files.writeString(src.resolve("f" + i + ".txt"), ("file " + i + "\n").repeat(i * 50), StandardCharsets.UTF_8);
        }
        byte[] big = new byte[3 << 20]; // several chunks
        new java.util.Random(1).nextBytes(big);
        Files.write(src.getParent().resolve("big.bin"), big);
        Files.writeString(src.getParent().resolve("we[ir]d *name?.txt"), "glob characters", StandardCharsets.UTF_8);
        return src.getParent();
    }

    @Test
    void aFullAndASampledDrillVerifyEveryByteAndAreRecordedInTheJournalAndTheRepository() throws Exception {
        Path src = data();
        OpsJournal journal = OpsJournal.at(tmp.resolve("state/journal.jsonl"));
        try (Repository repo = repo()) {
            repo.backup().path(src).run();
            clock.advanceBy(Duration.ofDays(1));
            repo.backup().path(src).run();
            DrillResult full = RestoreDrill.on(repo).pick(SnapshotPick.random(42)).scratch(tmp.resolve("drills")).run();
            assertTrue(full.ok(), full.summary());
            assertEquals("full", full.mode());
            assertEquals(32, full.filesSelected());
            assertEquals(32, full.filesVerified());
            assertTrue(full.bytesVerified() > 3 << 20);
            journal.append(full);
            RepositoryRecords.save(repo, full, clock);

            clock.advanceBy(Duration.ofDays(1));
            DrillResult sample = RestoreDrill.on(repo).pick(SnapshotPick.oldestKeptBy(
                    RetentionPresets.daily7Weekly4FirstOfMonth3(ZoneOffset.UTC))).sampleFiles(5).run();
            assertTrue(sample.ok(), sample.summary());
            assertEquals(5, sample.filesVerified());
            assertEquals("oldest-kept", sample.pick());
            assertEquals(repo.snapshots().get(0).requireId().toString(), sample.snapshotId());
            journal.append(sample);
            RepositoryRecords.save(repo, sample, clock);

            // the drill's own records are never drilled
            for (int i = 0; i < 10; i++) {
                clock.advanceBy(Duration.ofHours(1));
                DrillResult r = RestoreDrill.on(repo).pick(SnapshotPick.random(i)).sampleFiles(1).run();
                Snapshot s = repo.snapshot(r.snapshotId());
                assertFalse(RepositoryRecords.isRecord(s));
            }
            assertEquals(List.of(full, sample), journal.drills());
            assertEquals(List.of(full, sample), RepositoryRecords.drills(repo));
            // nothing left in the scratch directory
            try (Stream<Path> left = Files.list(tmp.resolve("drills"))) {
                assertEquals(0, left.count());
            }
        }
        Restic.requireRestic();
        Restic restic = Restic.on(tmp.resolve("repo"), "drill-pw");
        String listed = restic.run("snapshots", "--tag", "backup4j-drill", "--json").ok().stdout();
        JsonNode snaps = OpsRecord.MAPPER.readTree(listed);
        assertEquals(2, snaps.size());
        String dumped = restic.run("dump", snaps.get(0).get("id").asText(), "/backup4j/drill.json").ok().stdout();
        assertEquals("full", OpsRecord.MAPPER.readTree(dumped).get("mode").asText());
        restic.run("check", "--read-data").ok();
    }

    @Test
    void aDamagedPackFailsTheDrillWithTheFilesItCosts() throws Exception {
        Path src = data();
        try (Repository repo = repo()) {
            repo.backup().path(src).run();
        }
        // flip a byte in the largest pack: it holds big.bin's data, not the trees
        try (Stream<Path> packs = Files.walk(tmp.resolve("repo/data"))) {
            Path p = packs.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(x -> x.toFile().length()))
                    .orElseThrow();
            byte[] b = Files.readAllBytes(p);
            b[b.length / 3] ^= 0x40;
            Files.write(p, b);
        }
        try (Repository repo = Repository.at(Backends.local(tmp.resolve("repo"))).password("drill-pw").clock(clock)
                .lockCheckDelay(Duration.ZERO).open()) {
            DrillResult r = RestoreDrill.on(repo).pick(SnapshotPick.latest()).run();
            assertFalse(r.ok());
            assertTrue(r.filesVerified() < r.filesSelected(), r.summary());
            assertFalse(r.problems().isEmpty());
            assertTrue(r.summary().startsWith("drill FAILED"), r.summary());
            assertTrue(r.problems().stream().anyMatch(p -> p.contains("big.bin")), r.problems().toString());
        }
    }

    @Test
    void globCharactersInNamesAreEscapedForTheSampleRestore() {
        assertEquals("/a/we\\[ir\\]d \\*name\\?.txt", RestoreDrill.glob("/a/we[ir]d *name?.txt"));
    }
}
