package dev.backup4j.retention;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * A benchmark, not a test: ten years of hourly backups under presets, timed after a warm-up. Run it with
 * <pre>
 * mvn -B -q -pl backup-retention test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp backup-retention/target/classes:backup-retention/target/test-classes:$(cat backup-retention/target/cp.txt) \
 *     dev.backup4j.retention.SimulatorBenchmark
 * </pre>
 */
public final class SimulatorBenchmark {
    private SimulatorBenchmark() {
    }

    /** Prints one line per preset: runs, snapshots held, and the best and median wall time of five runs. */
    public static void main(String[] args) {
        ZoneId zone = ZoneId.of("Europe/Brussels");
        for (String preset : List.of("daily7-weekly3-monthly3", "daily7-weekly4-firstofmonth3", "daily2", "hourly90d")) {
            RetentionSimulation sim = RetentionSimulation.builder().policy(RetentionPresets.byName(preset, zone))
                    .schedule(BackupSchedule.parse("hourly@:15")).from(LocalDate.of(2015, 1, 1)).years(10).build();
            sim.run(); // warm-up
            long[] ms = new long[5];
            SimulationResult r = null;
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                r = sim.run();
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            java.util.Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "%-30s hourly@:15, 10 years: %d runs, max held %d; best %d ms, median %d ms%n",
                    preset, r.successfulRuns(), r.maxHeld(), ms[0], ms[2]);
        }
    }
}
