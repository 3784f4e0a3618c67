package dev.backup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.TreeDigest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private final Map<String, String> env = new HashMap<>(Map.of("BACKUP_PASSWORD", "cli-secret"));

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BackupCli.run(new BackupCli(env), args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path sample() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/sub"));
        Files.writeString(src.resolve("a.txt"), "alpha\n", StandardCharsets.UTF_8);
        Files.writeString(src.getParent().resolve("b.log"), "log\n".repeat(1000), StandardCharsets.UTF_8);
        Files.write(src.getParent().resolve("skip.tmp"), new byte[] {1});
        return src.getParent();
    }

    @Test
    void onlyNamedSubcommandsAreBuiltYetOptionValuesThatLookLikeCommandsWork() throws Exception {
        // a repository directory called "check": the arguments name two commands, and the right one runs
        String repo = tmp.resolve("check").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        Run snaps = cli("--repo", repo, "snapshots", "--json");
        assertEquals(0, snaps.code(), snaps.err());
        assertEquals("[]", snaps.out().strip());
        // no command named: the usage lists them all, and an unknown one is an error naming the choices
        Run help = cli("--help");
        for (String c : new String[] {"init", "backup", "snapshots", "restore", "dump", "ls", "find", "diff", "stats",
            "forget", "prune", "check", "copy", "key", "unlock", "simulate", "demo"}) {
            assertTrue(help.out().contains("\n  " + c + " "), c + " missing from:\n" + help.out());
        }
        Run unknown = cli("--repo", repo, "snapshot");
        assertEquals(BackupCli.ERROR, unknown.code());
        assertTrue(unknown.err().contains("snapshot"), unknown.err());
    }

    private static List<Path> filesUnder(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void theCacheDirectoryComesFromTheFlagOrTheEnvironmentAndNoCacheTurnsItOff() throws Exception {
        Path src = sample();
        String repo = tmp.resolve("repo").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        // no HOME, XDG_CACHE_HOME or BACKUP_CACHE_DIR in this environment: no cache
        assertEquals(0, cli("--repo", repo, "backup", src.toString()).code());
        env.put("BACKUP_CACHE_DIR", tmp.resolve("env-cache").toString());
        Run first = cli("--repo", repo, "backup", "--json", src.toString());
        assertEquals(0, first.code(), first.err());
        assertEquals(1, filesUnder(tmp.resolve("env-cache")).size(), "one cache file, for the new snapshot");
        Run second = cli("--repo", repo, "backup", "--json", src.toString());
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("\"files_unmodified\":3"), second.out());
        assertEquals(1, filesUnder(tmp.resolve("env-cache")).size(), "the parent's cache file was replaced");
        Path flag = tmp.resolve("flag-cache");
        assertEquals(0, cli("--repo", repo, "--cache-dir", flag.toString(), "backup", src.toString()).code());
        assertEquals(1, filesUnder(flag).size());
        Path none = tmp.resolve("none");
        env.put("BACKUP_CACHE_DIR", none.toString());
        assertEquals(0, cli("--repo", repo, "--no-cache", "backup", src.toString()).code());
        assertEquals(List.of(), filesUnder(none));
    }

    @Test
    void aDamagedIndexFailsTheCommandsThatNeedItWhileSnapshotsStillLists() throws Exception {
        Path src = sample();
        String repo = tmp.resolve("repo").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        assertEquals(0, cli("--repo", repo, "backup", src.toString()).code());
        Path index = filesUnder(tmp.resolve("repo/index")).get(0);
        byte[] b = Files.readAllBytes(index);
        b[b.length / 2] ^= 1;
        Files.write(index, b);
        Run snapshots = cli("--repo", repo, "snapshots");
        assertEquals(0, snapshots.code(), snapshots.err());
        Run backup = cli("--repo", repo, "backup", src.toString());
        assertEquals(BackupCli.ERROR, backup.code());
        assertTrue(backup.err().contains("repository data is damaged") && backup.err().contains("index/"),
                backup.err());
        Run restore = cli("--repo", repo, "restore", "latest", "--target", tmp.resolve("out").toString());
        assertEquals(BackupCli.ERROR, restore.code());
        assertTrue(restore.err().contains("repository data is damaged"), restore.err());
    }

    @Test
    void initBackupSnapshotsRestore() throws Exception {
        Path src = sample();
        String repo = tmp.resolve("repo").toString();
        Run init = cli("--repo", repo, "init");
        assertEquals(0, init.code(), init.err());
        assertTrue(init.out().startsWith("created restic repository "), init.out());

        Run b = cli("backup", "--repo", repo, "--tag", "a,b", "--tag", "c", "--host", "h1", "--time",
                "2023-01-31 23:30:00", "--exclude", "*.tmp", "--json", src.toString());
        assertEquals(0, b.code(), b.err());
        String[] lines = b.out().strip().split("\n");
        JsonNode summary = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("summary", summary.get("message_type").asText());
        for (int i = 0; i < lines.length - 1; i++) {
            assertEquals("status", new ObjectMapper().readTree(lines[i]).get("message_type").asText(), lines[i]);
        }
        assertEquals(64, summary.get("snapshot_id").asText().length());
        assertEquals(2, summary.get("total_files_processed").asInt(), "skip.tmp is excluded");
        assertTrue(summary.get("total_bytes_processed").asLong() > 4000);

        Run s = cli("--repo", repo, "snapshots", "--json");
        assertEquals(0, s.code(), s.err());
        JsonNode arr = new ObjectMapper().readTree(s.out());
        assertEquals(1, arr.size());
        JsonNode snap = arr.get(0);
        assertEquals(summary.get("snapshot_id").asText(), snap.get("id").asText());
        assertEquals("h1", snap.get("hostname").asText());
        assertEquals("[\"a\",\"b\",\"c\"]", snap.get("tags").toString());
        assertEquals("[\"" + src + "\"]", snap.get("paths").toString());
        assertEquals(java.time.LocalDateTime.parse("2023-01-31T23:30:00"),
                OffsetDateTime.parse(snap.get("time").asText()).atZoneSameInstant(java.time.ZoneId.systemDefault())
                        .toLocalDateTime());

        Run text = cli("--repo", repo, "snapshots");
        assertTrue(text.out().contains(snap.get("short_id").asText()), text.out());

        Path target = tmp.resolve("restore");
        Run r = cli("--repo", repo, "restore", snap.get("short_id").asText(), "--target", target.toString());
        assertEquals(0, r.code(), r.err());
        Path restored = target.resolve(src.toString().substring(1));
        Files.delete(src.resolve("skip.tmp"));
        assertEquals(TreeDigest.of(src), TreeDigest.of(restored));

        Path partial = tmp.resolve("partial");
        assertEquals(0, cli("--repo", repo, "restore", "latest", "--target", partial.toString(), "--include",
                "a.txt").code());
        Path p = partial.resolve(src.toString().substring(1));
        assertTrue(Files.exists(p.resolve("sub/a.txt")));
        assertFalse(Files.exists(p.resolve("b.log")));
    }

    @Test
    void errorsAreOneLineWithExitCodeOne() throws Exception {
        String repo = tmp.resolve("repo").toString();
        Run none = cli("--repo", repo, "snapshots");
        assertEquals(1, none.code());
        assertOneLine(none.err(), "no repository at");

        assertEquals(0, cli("--repo", repo, "init").code());
        env.put("BACKUP_PASSWORD", "wrong");
        Run wrong = cli("--repo", repo, "snapshots");
        assertEquals(1, wrong.code());
        assertOneLine(wrong.err(), "wrong password");

        env.remove("BACKUP_PASSWORD");
        Path pwFile = tmp.resolve("pw");
        Files.writeString(pwFile, "cli-secret\n", StandardCharsets.UTF_8);
        Run viaFile = cli("--repo", repo, "--password-file", pwFile.toString(), "snapshots", "--json");
        assertEquals(0, viaFile.code(), viaFile.err());
        assertEquals("[]", viaFile.out().trim());

        Run noPw = cli("--repo", repo, "snapshots");
        assertEquals(1, noPw.code());
        assertOneLine(noPw.err(), "no password");

        env.put("BACKUP_PASSWORD", "cli-secret");
        Run unknown = cli("--repo", repo, "restore", "abcdef12", "--target", tmp.resolve("t").toString());
        assertEquals(1, unknown.code());
        assertOneLine(unknown.err(), "invalid id \"abcdef12\": no matching ID found for prefix \"abcdef12\"");
        assertFalse(Files.exists(tmp.resolve("t")), "no target directory for a snapshot that was not found");

        Run usage = cli("--repo", repo, "frobnicate");
        assertEquals(1, usage.code());
    }

    private static void assertOneLine(String err, String contains) {
        assertTrue(err.startsWith("Fatal: "), err);
        assertTrue(err.contains(contains), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void stdinFromCommandAndIncrementalAndIncomplete() throws Exception {
        Path src = sample();
        String repo = tmp.resolve("repo").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        Run dump = cli("--repo", repo, "backup", "--stdin-from-command", "--stdin-filename", "lms.sql", "--",
                "sh", "-c", "echo 'INSERT INTO course VALUES (1);'");
        assertEquals(0, dump.code(), dump.err());
        Run failed = cli("--repo", repo, "backup", "--stdin-from-command", "--stdin-filename", "lms.sql", "--",
                "sh", "-c", "echo 'pg_dump: connection refused' >&2; exit 2");
        assertEquals(1, failed.code());
        assertOneLine(failed.err(), "connection refused");
        JsonNode snaps = new ObjectMapper().readTree(cli("--repo", repo, "snapshots", "--json").out());
        assertEquals(1, snaps.size(), "the failed dump saved no snapshot");
        assertEquals("[\"/lms.sql\"]", snaps.get(0).get("paths").toString());

        assertEquals(0, cli("--repo", repo, "backup", "--json", src.toString()).code());
        Run again = cli("--repo", repo, "backup", "--json", src.toString());
        String[] lines = again.out().strip().split("\n");
        JsonNode summary = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals(3, summary.get("files_unmodified").asInt(), again.out());
        assertEquals(0, summary.get("bytes_read").asInt());

        // /proc/self/mem is a regular file that even root cannot read from offset 0
        Run incomplete = cli("--repo", repo, "backup", src.toString(), "/proc/self/mem");
        assertEquals(3, incomplete.code(), incomplete.out() + incomplete.err());
        assertTrue(incomplete.err().contains("/proc/self/mem"), incomplete.err());
    }

    @Test
    void demoRunsTheMainJobAndResticAgrees() throws Exception {
        Path dir = tmp.resolve("demo");
        Run d = cli("demo", dir.toString());
        assertEquals(0, d.code(), d.out() + d.err());
        assertTrue(d.out().contains("entries identical"), d.out());
        Restic.on(dir.resolve("repo"), DemoCommand.PASSWORD).run("check", "--read-data").ok();
    }

    @Test
    void anEmptyPasswordIsRefusedByInitAndKeyAddAsRestic() throws Exception {
        Path repo = tmp.resolve("repo");
        env.put("BACKUP_PASSWORD", "");
        Run viaEnv = cli("--repo", repo.toString(), "init");
        assertEquals(BackupCli.ERROR, viaEnv.code());
        assertEquals("Fatal: an empty password is not a password\n", viaEnv.err());
        assertFalse(Files.exists(repo), "nothing was created");

        env.remove("BACKUP_PASSWORD");
        Path empty = Files.writeString(tmp.resolve("empty-password"), "\n");
        Run viaFile = cli("--repo", repo.toString(), "--password-file", empty.toString(), "init");
        assertEquals(BackupCli.ERROR, viaFile.code());
        assertEquals("Fatal: an empty password is not a password\n", viaFile.err());
        assertFalse(Files.exists(repo));

        env.put("BACKUP_PASSWORD", "cli-secret");
        assertEquals(0, cli("--repo", repo.toString(), "init").code());
        env.put("BACKUP_NEW_PASSWORD", "");
        Run keyAdd = cli("--repo", repo.toString(), "key", "add");
        assertEquals(BackupCli.ERROR, keyAdd.code());
        assertEquals("Fatal: an empty password is not a password\n", keyAdd.err());
        Restic.on(repo, "cli-secret").run("check").ok();
        assertEquals(1, new ObjectMapper().readTree(cli("--repo", repo.toString(), "key", "list", "--json").out())
                .size());
    }

    @Test
    void aMissingPathIsSkippedWithResticsWarningTheSnapshotSavedAndTheExitCode3() throws Exception {
        Path src = sample();
        Path missing = tmp.resolve("missing");
        String repo = tmp.resolve("repo").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        Run b = cli("--repo", repo, "backup", src.toString(), missing.toString());
        assertEquals(BackupCli.INCOMPLETE, b.code(), b.out() + b.err());
        assertEquals(List.of(missing + " does not exist, skipping",
                "Warning: at least one source file could not be read; the snapshot is marked incomplete"),
                b.err().lines().toList(), "each problem once");
        assertTrue(b.out().contains("snapshot ") && b.out().contains(" saved"), b.out());
        JsonNode snaps = new ObjectMapper().readTree(cli("--repo", repo, "snapshots", "--json").out());
        assertEquals(1, snaps.size());
        assertEquals("[\"" + src + "\"]", snaps.get(0).get("paths").toString(), "the missing path is left out");
        Restic.on(tmp.resolve("repo"), "cli-secret").run("check", "--read-data").ok();

        Run json = cli("--repo", repo, "backup", "--json", src.toString(), missing.toString());
        assertEquals(BackupCli.INCOMPLETE, json.code(), json.err());
        String[] lines = json.out().strip().split("\n");
        assertEquals(1, new ObjectMapper().readTree(lines[lines.length - 1]).get("errors").asInt());

        Run none = cli("--repo", repo, "backup", missing.toString(), tmp.resolve("also-missing").toString());
        assertEquals(BackupCli.ERROR, none.code());
        assertEquals(List.of(missing + " does not exist, skipping",
                tmp.resolve("also-missing") + " does not exist, skipping",
                "Fatal: all target directories/files do not exist"), none.err().lines().toList());
        assertEquals(2, new ObjectMapper().readTree(cli("--repo", repo, "snapshots", "--json").out()).size(),
                "nothing saved when no path exists");
    }

    @Test
    void restoreIntoAFileOrOfAnUnknownSnapshotSaysSoInWordsAndCreatesNothing() throws Exception {
        Path src = sample();
        String repo = tmp.resolve("repo").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        assertEquals(0, cli("--repo", repo, "backup", src.toString()).code());
        Path file = Files.writeString(tmp.resolve("a-file"), "keep me");
        for (String dry : new String[] {"--dry-run", "--no-lock"}) {
            Run r = cli("--repo", repo, "restore", "latest", "--target", file.toString(), dry);
            assertEquals(BackupCli.ERROR, r.code());
            assertEquals("Fatal: target " + file + " exists and is not a directory\n", r.err());
        }
        assertEquals("keep me", Files.readString(file));

        Path target = tmp.resolve("new/target");
        Run unknown = cli("--repo", repo, "restore", "0123abcd:/x", "--target", target.toString());
        assertEquals("Fatal: invalid id \"0123abcd\": no matching ID found for prefix \"0123abcd\"\n",
                unknown.err());
        Run noPath = cli("--repo", repo, "restore", "latest:/no/such/dir", "--target", target.toString());
        assertEquals(BackupCli.ERROR, noPath.code());
        Run dry = cli("--repo", repo, "--json", "restore", "latest", "--target", target.toString(), "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertEquals(target.toString(), new ObjectMapper().readTree(dry.out()).get("target").asText());
        assertFalse(Files.exists(tmp.resolve("new")), "nothing created by any of them");

        Run ok = cli("--repo", repo, "restore", "latest", "--target", target.toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals(TreeDigest.of(src), TreeDigest.of(target.resolve(src.toString().substring(1))));
    }

    @Test
    void unknownTimeZonesAndRepositoriesThatAreFilesAreNamedInWords() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Run repoFile = cli("--repo", file.toString(), "snapshots");
        assertEquals(BackupCli.ERROR, repoFile.code());
        assertEquals("Fatal: repository " + file + " exists and is not a directory\n", repoFile.err());
        String repo = tmp.resolve("repo").toString();
        assertEquals(0, cli("--repo", repo, "init").code());
        Run zone = cli("--repo", repo, "forget", "--keep-last", "1", "--zone", "Mars/Olympus");
        assertEquals(BackupCli.ERROR, zone.code());
        assertOneLine(zone.err(), "--zone: unknown time zone 'Mars/Olympus'");
        Run sim = cli("simulate", "--keep-last", "3", "--zone", "Mars/Olympus", "--schedule", "daily@02:00",
                "--from", "2024-01-01", "--years", "1");
        assertEquals(BackupCli.ERROR, sim.code());
        assertOneLine(sim.err(), "--zone: unknown time zone 'Mars/Olympus'");
        Run command = cli("--repo", repo, "backup", "--stdin-from-command", "--", tmp.resolve("no-such-cmd")
                .toString());
        assertEquals(BackupCli.ERROR, command.code());
        assertOneLine(command.err(), "cannot start");
        assertFalse(command.err().contains("Exception"), command.err());
        Run threads = cli("--repo", repo, "backup", "--read-concurrency", "100", tmp.toString());
        assertEquals(BackupCli.ERROR, threads.code());
        assertOneLine(threads.err(), "--read-concurrency must be 1 to 64, got 100");
    }
}
