package dev.backup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SimulateCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void presetSummaryShowsCountsGapsAndTheRestorePointMap(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("t.svg");
        Run r = run("--policy", "daily7-weekly3-monthly3", "--zone", "Europe/Brussels", "--schedule", "daily@02:00",
                "--from", "2024-01-01", "--years", "1", "--svg", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("runs       366 made, 0 missed"), r.out());
        assertTrue(r.out().contains("restore points at the end of 2024-12-31: 13"), r.out());
        assertTrue(Files.readString(svg).startsWith("<svg"));
    }

    @Test
    void atDateWithJsonListsRestorePointsWithTimeAndReasons() {
        Run r = run("--keep-daily", "3", "--keep-weekly", "2", "--zone", "UTC", "--schedule", "weekly@SUN/03:00+daily@02:00",
                "--from", "2024-01-01", "--years", "1", "--at", "2024-03-10", "--json");
        assertEquals(0, r.code(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("[{") && json.endsWith("}]"), json);
        assertTrue(json.contains("\"time\":\"2024-03-10T03:00:00Z\""), json);
        assertTrue(json.contains("\"reasons\":[{\"rule\":\"daily snapshot\""), json);
        // 3 daily (10th, 9th, 8th) + the weekly of the week before (Sunday 3rd): 4 points.
        assertEquals(4, json.split("\"time\"").length - 1, json);
    }

    @Test
    void badInputExitsOneWithAOneLineMessage() {
        for (String[] args : new String[][] {
            {"--policy", "nope", "--zone", "UTC", "--schedule", "daily@02:00", "--from", "2024-01-01"},
            {"--zone", "UTC", "--schedule", "daily@02:00", "--from", "2024-01-01"},
            {"--policy", "daily2", "--keep-daily", "3", "--zone", "UTC", "--schedule", "daily@02:00", "--from", "2024-01-01"},
            {"--policy", "daily2", "--zone", "Mars/Olympus", "--schedule", "daily@02:00", "--from", "2024-01-01"},
            {"--policy", "daily2", "--zone", "UTC", "--schedule", "daily@25:00", "--from", "2024-01-01"},
            {"--policy", "daily2", "--zone", "UTC", "--schedule", "daily@02:00", "--from", "yesterday"},
            {"--keep-daily", "x", "--zone", "UTC", "--schedule", "daily@02:00", "--from", "2024-01-01"},
        }) {
            Run r = run(args);
            assertEquals(1, r.code(), String.join(" ", args));
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }
}
