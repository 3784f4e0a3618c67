package dev.backup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backup4j.core.testing.TreeDigest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code restore --dry-run --json}, {@code --time}, {@code SNAPSHOT:PATH}, {@code --delete} and {@code dump}. */
class RestoreCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private final Map<String, String> env = Map.of("BACKUP_PASSWORD", "cli-secret");

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BackupCli.run(new BackupCli(env), args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothingThenRestoreFollowsIt() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/course42"));
        Files.writeString(src.resolve("grades.csv"), "alice,A\n", StandardCharsets.UTF_8);
        Files.writeString(src.getParent().resolve("other.txt"), "other\n".repeat(500), StandardCharsets.UTF_8);
        String repo = tmp.resolve("repo").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        Run b1 = cli("--repo", repo, "backup", "--time", "2024-05-01 02:00:00", src.getParent().toString());
        assertEquals(0, b1.code(), b1.err());
        Files.writeString(src.resolve("grades.csv"), "alice,A+\n", StandardCharsets.UTF_8);
        Run b2 = cli("--repo", repo, "backup", "--time", "2024-05-08 02:00:00", src.getParent().toString());
        assertEquals(0, b2.code(), b2.err());

        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("keep-me.txt"), "mine");
        Map<String, String> before = TreeDigest.of(target);
        Run dry = cli("--repo", repo, "restore", "--time", "2024-05-05", "--target", target.toString(), "--delete",
                "--dry-run", "--json");
        assertEquals(0, dry.code(), dry.err());
        assertEquals(before, TreeDigest.of(target), "a dry run writes nothing");
        JsonNode plan = new ObjectMapper().readTree(dry.out());
        assertEquals("plan", plan.get("message_type").asText());
        assertTrue(plan.get("distance_seconds").asDouble() < -3 * 86400, plan.toString());
        assertTrue(plan.get("bytes_to_download").asLong() > 0);
        assertTrue(plan.get("estimated_seconds").asDouble() >= 0);
        assertTrue(plan.get("packs").size() > 0);
        boolean deletes = false;
        for (JsonNode a : plan.get("actions")) {
            deletes |= a.get("action").asText().equals("delete") && a.get("path").asText().equals("/keep-me.txt");
        }
        assertTrue(deletes, plan.get("actions").toString());

        Run text = cli("--repo", repo, "restore", "latest", "--target", target.toString(), "--dry-run");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("dry run: nothing was written"), text.out());
        assertEquals(before, TreeDigest.of(target));

        // restore one course as of May 5th: the May 1st backup, only that directory, as the target's root
        Run r = cli("--repo", repo, "restore", ":" + src, "--time", "2024-05-05", "--target", target.toString(),
                "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("alice,A\n", Files.readString(target.resolve("grades.csv")));
        assertTrue(Files.exists(target.resolve("keep-me.txt")), "nothing deleted without --delete");
        assertEquals(1, new ObjectMapper().readTree(r.out()).get("files_restored").asLong());

        Run del = cli("--repo", repo, "restore", "latest:" + src, "--target", target.toString(), "--delete");
        assertEquals(0, del.code(), del.err());
        assertFalse(Files.exists(target.resolve("keep-me.txt")));
        assertEquals("alice,A+\n", Files.readString(target.resolve("grades.csv")));

        Path dumped = tmp.resolve("grades.csv");
        Run d = cli("--repo", repo, "dump", "latest", src + "/grades.csv", "--target", dumped.toString());
        assertEquals(0, d.code(), d.err());
        assertEquals("alice,A+\n", Files.readString(dumped));

        Run both = cli("--repo", repo, "restore", "abcdef", "--time", "2024-05-05", "--target", target.toString());
        assertEquals(BackupCli.ERROR, both.code());
        assertTrue(both.err().contains("either a snapshot id or --time"), both.err());
    }
}
