package dev.backup4j.core;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A benchmark, not a test: {@code Repository.snapshots()} and a one-file backup in a repository of N snapshots
 * (default 3,001: eight years of nightly backups). Uses only API that predates the in-memory snapshot cache, so the
 * same class measures the code before and after it. Run with {@code bench/snapshot-listing.sh}.
 *
 * <pre>
 * java -cp ... dev.backup4j.core.SnapshotListingBenchmark REPO_DIR [SNAPSHOTS] [ROUNDS]
 * </pre>
 */
public final class SnapshotListingBenchmark {
    private SnapshotListingBenchmark() {
    }

    private static Repository.Opener opener(Path dir) {
        // no lock pause: a backup's time is then its work, not restic's 200 ms wait for racing lock files
        return Repository.at(Backends.local(dir)).password("bench").kdf(KdfParams.insecureFastForTests())
                .hostname("bench-host").lockCheckDelay(java.time.Duration.ZERO);
    }

    /** Prints the first and the repeated listing's time, and the time of small backups, in ms. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 3001;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        if (!Files.exists(dir.resolve("config"))) {
            try (Repository repo = opener(dir).init()) {
                Id tree = repo.saveTree(new Tree(List.of()));
                repo.flush();
                OffsetDateTime t = OffsetDateTime.parse("2018-01-01T02:00:00+01:00");
                for (int i = 0; i < n; i++) {
                    repo.saveSnapshot(new Snapshot(Optional.empty(), t.plusDays(i), tree, Optional.empty(),
                            List.of("/var/www/lms", "/db/lms.sql"), "bench-host", "backup", 0, 0,
                            List.of("nightly"), List.of("*.tmp"), Optional.empty()));
                }
            }
        }
        Path src = Files.createTempDirectory("listing-bench-src");
        Files.writeString(src.resolve("note.txt"), "one small file\n");
        try (Repository repo = opener(dir).open()) {
            long t0 = System.nanoTime();
            int count = repo.snapshots().size();
            double first = (System.nanoTime() - t0) / 1e6;
            double[] again = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long s = System.nanoTime();
                repo.snapshots();
                again[i] = (System.nanoTime() - s) / 1e6;
            }
            double[] backups = new double[rounds];
            for (int i = 0; i < backups.length; i++) {
                long s = System.nanoTime();
                repo.backup().path(src).run();
                backups[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(again);
            Arrays.sort(backups);
            System.out.printf(Locale.ROOT, "RESULT snapshots=%d first=%.0fms repeated: best=%.1fms median=%.1fms;"
                    + " one-file backup in the same instance: best=%.1fms median=%.1fms (%d each)%n", count, first,
                    again[0], again[rounds / 2], backups[0], backups[rounds / 2], rounds);
        }
    }
}
