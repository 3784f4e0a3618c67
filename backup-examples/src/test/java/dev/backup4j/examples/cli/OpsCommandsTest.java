package dev.backup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code versions}, {@code drill} and {@code agent --check} through the CLI. */
class OpsCommandsTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>(Map.of("BACKUP_PASSWORD", "ops-secret"));

    record Run(int code, String out, String err) {
    }

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BackupCli.run(new BackupCli(env), args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void versionsDrillAndAgentCheck() throws Exception {
        String repo = tmp.resolve("repo").toString();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path f = src.resolve("config.yml");
        assertEquals(0, cli("--repo", repo, "--no-cache", "init").code());
        for (String v : new String[] {"a", "b", "a", "c"}) {
            Files.writeString(f, "value: " + v + "\n");
            Run b = cli("--repo", repo, "--no-cache", "backup", src.toString());
            assertEquals(0, b.code(), b.err());
        }
        ObjectMapper m = new ObjectMapper();
        Run versions = cli("--repo", repo, "--no-cache", "versions", "--json", f.toString());
        assertEquals(0, versions.code(), versions.err());
        JsonNode vs = m.readTree(versions.out());
        assertEquals(3, vs.size(), versions.out());
        assertEquals(2, vs.get(0).get("snapshots").asInt());
        assertEquals(f.toString(), vs.get(0).get("path").asText());
        Run text = cli("--repo", repo, "--no-cache", "versions", src.toString());
        assertTrue(text.out().contains(f + ": 3 versions"), text.out());

        Path journal = tmp.resolve("journal.jsonl");
        Run drill = cli("--repo", repo, "--no-cache", "drill", "--json", "--sample", "1", "--seed", "3", "--journal",
                journal.toString(), "--record", "--scratch", tmp.resolve("scratch").toString());
        assertEquals(0, drill.code(), drill.err());
        JsonNode d = m.readTree(drill.out());
        assertTrue(d.get("ok").asBoolean());
        assertEquals("sample", d.get("mode").asText());
        assertEquals(1, Files.readAllLines(journal).size());
        Run snaps = cli("--repo", repo, "--no-cache", "snapshots", "--json");
        assertTrue(snaps.out().contains("backup4j-drill"), snaps.out());

        Path cfg = tmp.resolve("agent.json");
        Files.writeString(cfg, """
                {"repositories": {"main": {"location": "%s"}},
                 "jobs": [{"name": "nightly", "type": "backup", "schedule": "daily@01:00-02:00 Asia/Kolkata",
                           "paths": ["%s"]},
                          {"name": "drill", "type": "drill", "schedule": "monthly@1/05:00", "sample_files": 3}]}
                """.formatted(repo, src));
        Run check = cli("agent", "--check", cfg.toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("nightly: next at ") && check.out().contains("drill: next at "), check.out());
        Files.writeString(cfg, "{\"repositories\": {\"main\": {\"location\": \"x\"}}, \"jobs\": [{\"name\": \"n\","
                + " \"type\": \"backup\", \"schedule\": \"daily@02:00\", \"pathz\": [\"/\"]}]}");
        Run bad = cli("agent", "--check", cfg.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown key 'pathz'"), bad.err());
    }
}
