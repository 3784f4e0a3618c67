package dev.backup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.testing.RcloneRestServer;
import dev.backup4j.core.testing.Restic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --repo rest:...} on a real rclone server, {@code --append-only}, and locations the CLI refuses. */
class RemoteRepositoryCliTest {
    @TempDir
    Path tmp;

    private final Map<String, String> env = new HashMap<>(Map.of("BACKUP_PASSWORD", "cli-secret",
            "BACKUP_CACHE_DIR", "/nonexistent-cache-for-tests"));

    private record Run(int code, String out, String err) {
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BackupCli.run(new BackupCli(env), args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aRestRepositoryWorksEndToEndAndResticReadsIt() throws Exception {
        try (RcloneRestServer server = RcloneRestServer.start(tmp.resolve("served"), false)) {
            String repo = "rest:" + server.url("cli");
            Path src = Files.createDirectories(tmp.resolve("src"));
            Files.writeString(src.resolve("a.txt"), "hello over REST\n");
            assertEquals(0, cli("--repo", repo, "--no-cache", "init").code());
            Run b = cli("--repo", repo, "--no-cache", "backup", src.toString());
            assertEquals(0, b.code(), b.err());
            Run s = cli("--repo", repo, "--no-cache", "snapshots", "--json");
            assertEquals(0, s.code(), s.err());
            assertTrue(s.out().contains(src.toString()), s.out());
            Path target = tmp.resolve("restored");
            assertEquals(0, cli("--repo", repo, "--no-cache", "restore", "latest", "--target", target.toString()).code());
            assertEquals("hello over REST\n", Files.readString(target.resolve(src.toString().substring(1))
                    .resolve("a.txt")));
            Restic.at(repo, "cli-secret").run("check", "--read-data").ok();
        }
    }

    @Test
    void appendOnlyRefusesForgetAndPruneAndDeletesNothing() throws Exception {
        Path repo = tmp.resolve("repo");
        Path src = Files.createDirectories(tmp.resolve("src"));
        assertEquals(0, cli("--repo", repo.toString(), "init").code());
        for (int i = 0; i < 2; i++) {
            Files.writeString(src.resolve("f" + i), "v" + i);
            assertEquals(0, cli("--repo", repo.toString(), "--no-cache", "backup", src.toString()).code());
        }
        Run f = cli("--repo", repo.toString(), "--append-only", "forget", "--keep-last", "1");
        assertEquals(1, f.code());
        assertTrue(f.err().startsWith("Fatal: ") && f.err().contains("append-only"), f.err());
        try (var snaps = Files.list(repo.resolve("snapshots"))) {
            assertEquals(2, snaps.count(), "no snapshot file removed");
        }
        Run p = cli("--repo", repo.toString(), "--append-only", "forget", "--keep-last", "1", "--dry-run");
        assertEquals(0, p.code(), "a dry run still decides: " + p.err());
    }

    @Test
    void locationsResticHasAndThisToolDoesNotAreRefusedInWords() {
        for (String loc : new String[] {"b2:bucket/path", "azure:container:/x", "gs:bucket:/", "swift:c:/p",
            "rclone:remote:path"}) {
            Run r = cli("--repo", loc, "snapshots");
            assertEquals(1, r.code(), loc);
            assertTrue(r.err().contains("is not supported"), loc + ": " + r.err());
        }
        Run url = cli("--repo", "http://127.0.0.1:9/repo", "snapshots");
        assertEquals(1, url.code());
        assertTrue(url.err().contains("rest:http://127.0.0.1:9/repo"), url.err());
        assertFalse(Files.exists(Path.of("http:")), "no folder named after the URL");
        Run badRest = cli("--repo", "rest:ftp://x/y", "snapshots");
        assertEquals(1, badRest.code());
        assertTrue(badRest.err().contains("invalid REST URL"), badRest.err());
        Run badS3 = cli("--repo", "s3:", "snapshots");
        assertEquals(1, badS3.code());
        assertTrue(badS3.err().contains("s3:host/bucket"), badS3.err());
    }
}
