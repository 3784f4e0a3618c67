package dev.backup4j.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Regenerates the pictures of docs/retention.md (docs/img/retention-*.svg), one per preset, from ten-year simulations:
 * <pre>
 * java -cp backup-retention/target/classes:backup-retention/target/test-classes:$(cat backup-retention/target/cp.txt) \
 *     dev.backup4j.retention.DocsImages docs/img
 * </pre>
 */
public final class DocsImages {
    private DocsImages() {
    }

    /** Writes the SVGs into the directory given as the first argument and prints each summary. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/img");
        Files.createDirectories(dir);
        write(dir, "a-daily7-weekly3-monthly3", "daily7-weekly3-monthly3", "daily@02:00", "Europe/Brussels", 240);
        write(dir, "b-daily7-weekly4-firstofmonth3", "daily7-weekly4-firstofmonth3",
                "daily@02:00+weekly@SUN/03:00+monthly@1/04:00", "UTC", 240);
        write(dir, "c-daily7-weekly4-tagged1y", "daily7-weekly4-tagged1y", "weekly@SAT/23:00+daily@01:00", "Europe/Brussels", 240);
        write(dir, "d-hourly90d", "hourly90d", "hourly@:05+daily@03:30", "America/New_York", 200);
        write(dir, "d-all30d", "all30d", "weekly@SUN/01:00+daily@01:00", "America/New_York", 120);
        write(dir, "e-daily2", "daily2", "daily@01:30", "Asia/Kolkata", 60);
    }

    private static void write(Path dir, String file, String preset, String schedule, String zone, int days) throws IOException {
        ZoneId z = ZoneId.of(zone);
        SimulationResult r = RetentionSimulation.builder().policy(RetentionPresets.byName(preset, z))
                .schedule(BackupSchedule.parse(schedule)).from(LocalDate.of(2015, 1, 1)).years(10)
                .missedRuns(MissedRuns.randomly(0.03, 42)).run();
        Files.writeString(dir.resolve("retention-" + file + ".svg"), r.toSvg(r.until().minusDays(days), r.until()));
        System.out.println("== " + preset + " (" + schedule + ", " + zone + ")\n" + r.toText());
    }
}
