package dev.backup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.snapshot.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ls, find, diff and stats: exit codes, messages, output shapes, and the formatting helpers they share. */
class BrowseCommandsTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private final Map<String, String> env = Map.of("BACKUP_PASSWORD", "browse-cli");

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BackupCli.run(new BackupCli(env), args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private String repoWithOneSnapshot() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/sub"));
        Files.writeString(src.resolve("a.txt"), "alpha\n");
        Files.write(src.getParent().resolve("empty"), new byte[0]);
        String repo = tmp.resolve("repo").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        Run b = cli("--repo", repo, "--no-cache", "backup", src.getParent().toString());
        assertEquals(0, b.code(), b.err());
        return repo;
    }

    @Test
    void errorsExitOneWithOneFatalLine() throws Exception {
        String repo = repoWithOneSnapshot();
        Run unknown = cli("--repo", repo, "ls", "0123abcd");
        assertEquals(1, unknown.code());
        // the selector's message (its wording is SnapshotSelector's), on one line
        assertTrue(unknown.err().startsWith("Fatal: ") && unknown.err().contains("0123abcd")
                && unknown.err().indexOf('\n') == unknown.err().length() - 1, unknown.err());
        Run relative = cli("--repo", repo, "ls", "latest", "src");
        assertEquals(1, relative.code());
        assertTrue(relative.err().startsWith("Fatal: All path filters must be absolute"), relative.err());
        Run pattern = cli("--repo", repo, "find", "[");
        assertEquals(1, pattern.code());
        assertEquals("Fatal: invalid pattern '[': syntax error in pattern\n", pattern.err());
        Run mode = cli("--repo", repo, "stats", "--mode", "sizes");
        assertEquals(1, mode.code());
        assertTrue(mode.err().startsWith("Fatal: unknown counting mode: sizes"), mode.err());
        Run one = cli("--repo", repo, "diff", "latest");
        assertEquals(1, one.code());
        assertEquals("Fatal: specify two snapshot IDs\n", one.err());
        Run host = cli("--repo", repo, "ls", "latest", "--host", "elsewhere");
        assertEquals(1, host.code());
        assertTrue(host.err().startsWith("Fatal: no snapshot matched given filter"), host.err());
    }

    @Test
    void shapesOfTheOutput() throws Exception {
        String repo = repoWithOneSnapshot();
        ObjectMapper m = new ObjectMapper();
        Run ls = cli("--repo", repo, "--json", "ls", "latest");
        assertEquals(0, ls.code(), ls.err());
        String[] lines = ls.out().split("\n");
        JsonNode snap = m.readTree(lines[0]);
        assertEquals("snapshot", snap.get("struct_type").asText());
        assertEquals(snap.get("id").asText().substring(0, 8), snap.get("short_id").asText());
        JsonNode empty = null;
        for (int i = 1; i < lines.length; i++) {
            JsonNode n = m.readTree(lines[i]);
            assertEquals("node", n.get("struct_type").asText());
            assertEquals(n.get("type").asText().equals("file"), n.has("size"), "size for files only: " + n);
            if (n.get("name").asText().equals("empty")) {
                empty = n;
            }
        }
        assertEquals(0, empty.get("size").asLong(), "an empty file still has its size");
        assertEquals("-" + java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tmp.resolve("src/empty"))), empty.get("permissions").asText());

        Run missingDir = cli("--repo", repo, "ls", "latest", "/no/such/dir");
        assertEquals(0, missingDir.code(), "restic lists nothing for a directory that is not there");
        assertEquals(1, missingDir.out().split("\n").length, missingDir.out());

        Run none = cli("--repo", repo, "--json", "find", "nothing-like-this");
        assertEquals("[]\n", none.out());
        Run found = cli("--repo", repo, "--json", "find", "a.txt");
        JsonNode hits = m.readTree(found.out());
        assertEquals(1, hits.size());
        assertEquals(1, hits.get(0).get("hits").asInt());
        assertTrue(hits.get(0).get("matches").get(0).get("path").asText().endsWith("/src/sub/a.txt"));

        Run same = cli("--repo", repo, "diff", "latest", "latest");
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("Files:           0 new,     0 removed,     0 changed"), same.out());

        Run stats = cli("--repo", repo, "--json", "stats", "--mode", "raw-data");
        JsonNode st = m.readTree(stats.out());
        assertEquals(1, st.get("snapshots_count").asInt());
        assertEquals(0, st.get("total_file_count").asInt());
        assertTrue(st.get("total_blob_count").asInt() > 0);

        Run unknownId = cli("--repo", repo, "stats", "--json", "ffffffff", "latest");
        assertEquals(0, unknownId.code(), "restic skips ids that match nothing");
        assertTrue(unknownId.err().startsWith("Ignoring \"ffffffff\""), unknownId.err());
        assertEquals(1, m.readTree(unknownId.out()).get("snapshots_count").asInt());
    }

    @Test
    void findTimesAsResticParsesThem() {
        java.time.ZoneId here = java.time.ZoneId.systemDefault();
        assertEquals(java.time.LocalDate.of(2024, 5, 1).atStartOfDay(here).toOffsetDateTime(),
                FindCommand.parseTime("2024-05-01"));
        assertEquals(java.time.OffsetDateTime.parse("2024-05-01T02:03:04-07:00"),
                FindCommand.parseTime("2024-05-01 02:03:04 -0700"));
        assertEquals(java.time.LocalDateTime.of(2024, 5, 1, 2, 3).atZone(here).toOffsetDateTime(),
                FindCommand.parseTime("01.05.2024 02:03"));
        CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                () -> FindCommand.parseTime("yesterday"));
        assertEquals("unable to parse time: \"yesterday\"", e.getMessage());
    }

    @Test
    void goJsonEscapesAsGoDoes() {
        ObjectNode o = JsonOut.object();
        o.put("k", "<a&b>\u2028\u0001\n\t\"\\ \uDCFF \uD83D\uDE00 é\u007f");
        o.put("n", 42L);
        o.putArray("l").add(true).addNull();
        assertEquals("{\"k\":\"\\u003ca\\u0026b\\u003e\\u2028\\u0001\\n\\t\\\"\\\\ \\ufffd \uD83D\uDE00 é\u007f\","
                + "\"n\":42,\"l\":[true,null]}", GoJson.write(o));
    }

    @Test
    void modesAsGoPrintsThem() {
        assertEquals("drwxr-xr-x", NodeFormat.modeString(Node.MODE_DIR | 0755));
        assertEquals("-rw-r--r--", NodeFormat.modeString(0644));
        assertEquals("Lrwxrwxrwx", NodeFormat.modeString(Node.MODE_SYMLINK | 0777));
        assertEquals("urwxr-xr-x", NodeFormat.modeString(Node.MODE_SETUID | 0755));
        assertEquals("grwxr-x---", NodeFormat.modeString(Node.MODE_SETGID | 0750));
        assertEquals("dtrwxrwxrwx", NodeFormat.modeString(Node.MODE_DIR | Node.MODE_STICKY | 0777));
        assertEquals("Dcrw-rw-rw-", NodeFormat.modeString(Node.MODE_DEVICE | Node.MODE_CHAR_DEVICE | 0666));
        assertEquals("prw-r--r--", NodeFormat.modeString(Node.MODE_NAMED_PIPE | 0644));
        assertEquals("Srwxr-xr-x", NodeFormat.modeString(Node.MODE_SOCKET | 0755));
        assertEquals("----------", NodeFormat.modeString(0));
    }

    @Test
    void sizesAsResticFormatsThem() {
        assertEquals("0 B", Sizes.restic(0));
        assertEquals("1024 B", Sizes.restic(1024));
        assertEquals("1.001 KiB", Sizes.restic(1025));
        assertEquals("3.311 KiB", Sizes.restic(3390));
        assertEquals("1024.000 KiB", Sizes.restic(1L << 20));
        assertEquals("1.500 GiB", Sizes.restic(3L << 29));
    }
}
