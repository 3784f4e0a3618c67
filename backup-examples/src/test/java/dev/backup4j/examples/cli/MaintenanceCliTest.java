package dev.backup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backup4j.core.testing.Restic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaintenanceCliTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>(Map.of("BACKUP_PASSWORD", "cli-secret"));
    private final ObjectMapper json = new ObjectMapper();

    record Run(int code, String out, String err) {
    }

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BackupCli.run(new BackupCli(env), args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    Run ok(String... args) {
        Run r = cli(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
        return r;
    }

    @Test
    void forgetPruneCheckCopyKeyUnlock() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        String repo = tmp.resolve("repo").toString();
        ok("--repo", repo, "init");
        Random rnd = new Random(1);
        for (int day = 1; day <= 3; day++) {
            byte[] data = new byte[50_000];
            rnd.nextBytes(data);
            Files.write(src.resolve("day" + day + ".bin"), data);
            if (day > 1) {
                Files.delete(src.resolve("day" + (day - 1) + ".bin"));
            }
            ok("--repo", repo, "backup", "--host", "h", "--time", "2024-01-0" + day + " 10:00:00", src.toString());
        }

        JsonNode dry = json.readTree(ok("--repo", repo, "forget", "--keep-last", "1", "--dry-run", "--json").out());
        assertEquals(1, dry.size(), "one group: host h, one path");
        assertEquals("h", dry.get(0).get("host").asText());
        assertEquals(1, dry.get(0).get("keep").size());
        assertEquals(2, dry.get(0).get("remove").size());
        assertTrue(dry.get(0).get("reasons").get(0).get("matches").size() > 0);
        assertEquals(3, json.readTree(ok("--repo", repo, "snapshots", "--json").out()).size());

        String forgot = ok("--repo", repo, "forget", "--keep-last", "1", "--prune", "--max-unused", "0%").out();
        assertTrue(forgot.contains("freed "), forgot);
        assertEquals(1, json.readTree(ok("--repo", repo, "snapshots", "--json").out()).size());
        JsonNode prune = json.readTree(ok("--repo", repo, "prune", "--json").out());
        assertEquals(0, prune.get("bytes_freed").asLong(), "nothing left to prune");

        JsonNode check = json.readTree(ok("--repo", repo, "check", "--read-data", "--json").out());
        assertTrue(check.get("ok").asBoolean());
        assertTrue(check.get("packs_read").asInt() > 0);
        ok("--repo", repo, "check", "--read-data-subset", "1/2");
        if (Restic.binary() != null) {
            Restic.on(Path.of(repo), "cli-secret").run("check", "--read-data").ok();
        }

        // keys: list in restic's JSON shape, add, refuse to remove the last one
        JsonNode keys = json.readTree(ok("--repo", repo, "key", "list", "--json").out());
        assertEquals(1, keys.size());
        assertTrue(keys.get(0).get("current").asBoolean());
        assertEquals(8, keys.get(0).get("id").asText().length());
        for (String f : new String[] {"userName", "hostName", "created"}) {
            assertTrue(keys.get(0).has(f), f);
        }
        Run last = cli("--repo", repo, "key", "remove", keys.get(0).get("id").asText());
        assertEquals(1, last.code());
        env.put("BACKUP_NEW_PASSWORD", "second");
        ok("--repo", repo, "key", "add");
        env.put("BACKUP_PASSWORD", "second");
        ok("--repo", repo, "key", "remove", keys.get(0).get("id").asText());
        assertEquals(1, json.readTree(ok("--repo", repo, "key", "list", "--json").out()).size());

        // copy into a second repository with its own password; twice adds nothing
        String dest = tmp.resolve("dest").toString();
        env.put("BACKUP_PASSWORD", "dest-secret");
        ok("--repo", dest, "init");
        env.put("BACKUP_FROM_PASSWORD", "second");
        JsonNode copied = json.readTree(ok("--repo", dest, "copy", "--from-repo", repo, "--json").out());
        assertEquals(1, copied.get("copied").size());
        JsonNode again = json.readTree(ok("--repo", dest, "copy", "--from-repo", repo, "--json").out());
        assertEquals(0, again.get("copied").size());
        assertEquals(1, again.get("skipped").size());
        assertTrue(json.readTree(ok("--repo", dest, "check", "--read-data", "--json").out()).get("ok").asBoolean());

        // damage: check exits 1 and says which snapshot and file it costs
        Path pack;
        try (Stream<Path> s = Files.walk(Path.of(dest, "data"))) {
            pack = s.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.size(p) > 40_000;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(pack);
        b[100] ^= 1;
        pack.toFile().setWritable(true);
        Files.write(pack, b);
        Run bad = cli("--repo", dest, "check", "--read-data", "--json");
        assertEquals(1, bad.code(), bad.err());
        JsonNode damage = json.readTree(bad.out());
        assertFalse(damage.get("ok").asBoolean());
        assertTrue(damage.get("damaged_packs").get(0).get("affected").get(0).get("paths").get(0).asText()
                .endsWith("day3.bin"), damage.toString());

        JsonNode unlocked = json.readTree(ok("--repo", dest, "unlock", "--json").out());
        assertEquals(0, unlocked.get("removed").size());
    }
}
