package dev.backup4j.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.FailurePolicy;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.SourceFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull sources against a real in-process SSH server, read through the SourceEntry API. */
class RemoteSourcesTest {
    @TempDir
    static Path root;
    static TestSshServer server;
    static SshConnection ssh;
    static byte[] big;

    @BeforeAll
    static void start() throws IOException {
        Path lms = Files.createDirectories(root.resolve("var/www/lms"));
        Files.writeString(lms.resolve("index.php"), "<?php echo 'hi';");
        Files.setPosixFilePermissions(lms.resolve("index.php"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setLastModifiedTime(lms.resolve("index.php"), FileTime.from(Instant.parse("2024-03-01T10:15:30Z")));
        Files.createDirectories(lms.resolve("cache/sessions"));
        Files.writeString(lms.resolve("cache/sessions/s1"), "secret session");
        Files.writeString(lms.resolve("debug.log"), "noise");
        Path uploads = Files.createDirectories(lms.resolve("uploads"));
        big = new byte[2_500_000 + 17];
        new Random(42).nextBytes(big);
        Files.write(uploads.resolve("course.bin"), big);
        Files.write(uploads.resolve("empty.txt"), new byte[0]);
        Files.createSymbolicLink(lms.resolve("current"), Path.of("uploads"));
        server = TestSshServer.builder(root).start();
        ssh = SshConnection.open(server.clientConfig()
                .retryPolicy(RetryPolicy.of(4, Duration.ofMillis(20), Duration.ofMillis(100))).build());
    }

    @AfterAll
    static void stop() throws IOException {
        ssh.close();
        server.close();
    }

    /** Walks a source like the engine does, collecting each entry by snapshot path. */
    private static Map<String, SourceEntry> walk(SnapshotSource s) throws IOException {
        Map<String, SourceEntry> out = new TreeMap<>();
        walk(s.root(), s.path(), out);
        return out;
    }

    private static void walk(SourceEntry e, String path, Map<String, SourceEntry> out) throws IOException {
        out.put(path, e);
        if (e.metadata().type() == NodeType.DIR) {
            for (SourceEntry c : e.children()) {
                walk(c, path + "/" + c.metadata().name(), out);
            }
        }
    }

    private static byte[] content(SourceEntry e) throws IOException {
        try (InputStream in = e.open()) {
            return in.readAllBytes();
        }
    }

    @Test
    void walksTheRemoteTreeWithMetadataAndContent() throws IOException {
        SnapshotSource src = RemoteSources.directory(ssh, "/var/www/lms").exclude("cache").exclude("*.log").build();
        assertEquals("/var/www/lms", src.path());
        Map<String, SourceEntry> tree = walk(src);
        assertEquals(java.util.List.of("/var/www/lms", "/var/www/lms/current", "/var/www/lms/index.php",
                "/var/www/lms/uploads", "/var/www/lms/uploads/course.bin", "/var/www/lms/uploads/empty.txt"),
                java.util.List.copyOf(tree.keySet()));

        Node index = tree.get("/var/www/lms/index.php").metadata();
        assertEquals(NodeType.FILE, index.type());
        assertEquals(0640, index.permissions());
        assertEquals(Instant.parse("2024-03-01T10:15:30Z"), index.mtime().toInstant());
        assertEquals(16, index.size());
        Path local = root.resolve("var/www/lms/index.php");
        assertEquals(((Number) Files.getAttribute(local, "unix:uid")).longValue(), index.uid());
        assertEquals(((Number) Files.getAttribute(local, "unix:gid")).longValue(), index.gid());
        assertEquals("<?php echo 'hi';", new String(content(tree.get("/var/www/lms/index.php")),
                StandardCharsets.UTF_8));

        Node link = tree.get("/var/www/lms/current").metadata();
        assertEquals(NodeType.SYMLINK, link.type());
        assertEquals("uploads", link.linkTarget());

        assertEquals(NodeType.DIR, tree.get("/var/www/lms/uploads").metadata().type());
        assertArrayEquals(big, content(tree.get("/var/www/lms/uploads/course.bin")));
        assertEquals(big.length, tree.get("/var/www/lms/uploads/course.bin").metadata().size());
        assertArrayEquals(new byte[0], content(tree.get("/var/www/lms/uploads/empty.txt")));
    }

    @Test
    void includesKeepOnlyMatchingFilesAndSnapshotPathCanDiffer() throws IOException {
        SnapshotSource src = RemoteSources.directory(ssh, "/var/www/lms").snapshotPath("/app1/lms")
                .include("*.php").build();
        Map<String, SourceEntry> tree = walk(src);
        assertTrue(tree.containsKey("/app1/lms/index.php"));
        assertFalse(tree.containsKey("/app1/lms/uploads/course.bin"));
        assertFalse(tree.containsKey("/app1/lms/debug.log"));
        assertTrue(tree.containsKey("/app1/lms/uploads"), "directories are still walked");
    }

    @Test
    void ancestorsCarryTheRemoteMetadata() {
        SnapshotSource src = RemoteSources.directory(ssh, "/var/www/lms").build();
        Node www = src.ancestor("/var/www", "www").orElseThrow();
        assertEquals(NodeType.DIR, www.type());
        assertEquals("www", www.name());
    }

    @Test
    void aFileReadResumesAfterTheConnectionIsLost() throws IOException {
        SourceEntry file = walk(RemoteSources.directory(ssh, "/var/www/lms/uploads").build())
                .get("/var/www/lms/uploads/course.bin");
        try (InputStream in = file.open()) {
            byte[] first = in.readNBytes(1_200_000); // past the first chunk
            server.dropAllSessions();
            byte[] rest = in.readAllBytes();
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertArrayEquals(big, all);
        }
    }

    @Test
    void aMissingRemoteDirectoryFailsOnRoot() {
        SnapshotSource src = RemoteSources.directory(ssh, "/var/www/nope").build();
        assertThrows(java.nio.file.NoSuchFileException.class, src::root);
    }

    @Test
    void aMissingRemoteDirectoryFailsTheBackupUnlessMarkedIncomplete(@TempDir Path repoDir) throws IOException {
        SnapshotSource missing = RemoteSources.directory(ssh, "/var/www/nope").build();
        SnapshotSource lms = RemoteSources.directory(ssh, "/var/www/lms").exclude("uploads").build();
        assertEquals(FailurePolicy.FAIL_BACKUP, missing.failurePolicy());
        try (Repository repo = Repository.at(Backends.local(repoDir)).password("pw")
                .kdf(KdfParams.insecureFastForTests()).init()) {
            SourceFailedException e = assertThrows(SourceFailedException.class,
                    () -> repo.backup().source(lms).source(missing).run());
            assertTrue(e.getMessage().startsWith("/var/www/nope: "), e.getMessage());
            assertEquals(0, repo.snapshots().size());

            BackupResult r = repo.backup().source(lms)
                    .source(SnapshotSources.withFailurePolicy(missing, FailurePolicy.MARK_INCOMPLETE)).run();
            assertEquals(1, r.errors().size(), r.errors().toString());
            assertEquals("/var/www/nope", r.errors().get(0).path());
            assertTrue(r.snapshot().incomplete());
            assertTrue(r.filesNew() > 0);
        }
    }

    @Test
    void aHostThatStaysAwayFailsTheWholeSource(@TempDir Path other) throws IOException {
        TestSshServer gone = TestSshServer.builder(other).start();
        try (SshConnection c = SshConnection.open(gone.clientConfig()
                .retryPolicy(RetryPolicy.of(2, Duration.ofMillis(10), Duration.ofMillis(10))).build())) {
            gone.close();
            SnapshotSource dir = RemoteSources.directory(c, "/data").build();
            SourceFailedException e = assertThrows(SourceFailedException.class, dir::root);
            assertTrue(e.getCause() instanceof SshConnectionException, e.toString());
            SourceEntry dump = RemoteSources.command(c, "echo hi").path("/db/x.sql").build().root();
            assertThrows(RemoteCommandException.class, dump::open);
        }
    }

    @Test
    void commandOutputBecomesAFile() throws IOException {
        SnapshotSource src = RemoteSources.command(ssh, "printf 'CREATE TABLE t;\\n'; echo progress >&2")
                .path("/db/lms.sql").build();
        assertEquals("/db/lms.sql", src.path());
        SourceEntry e = src.root();
        assertEquals("lms.sql", e.metadata().name());
        assertEquals(0600, e.metadata().permissions());
        assertEquals("CREATE TABLE t;\n", new String(content(e), StandardCharsets.UTF_8));
    }

    @Test
    void largeCommandOutputStreamsCompletely() throws IOException {
        SourceEntry e = RemoteSources.command(ssh, "head -c 3000000 /dev/zero").path("/db/zeros").build().root();
        assertEquals(3_000_000, content(e).length);
    }

    @Test
    void theCommandSeesEndOfInput() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            SourceEntry e = RemoteSources.command(ssh, "cat; echo done").path("/x").build().root();
            assertEquals("done\n", new String(content(e), StandardCharsets.UTF_8));
        });
    }

    @Test
    void aNonZeroExitFailsWithTheRemoteStderr() throws IOException {
        SourceEntry e = RemoteSources.command(ssh, "echo partial; echo 'Access denied for user' >&2; exit 3")
                .path("/db/lms.sql").build().root();
        RemoteCommandException ex = assertThrows(RemoteCommandException.class, () -> content(e));
        assertEquals(3, ex.exitStatus());
        assertTrue(ex.getMessage().contains("Access denied for user"), ex.getMessage());
        assertTrue(ex.getMessage().contains("status 3"), ex.getMessage());
    }

    @Test
    void stderrTailKeepsTheEnd() {
        RemoteCommandSource.TailBuffer t = new RemoteCommandSource.TailBuffer(8);
        t.write("0123456789abc".getBytes(StandardCharsets.UTF_8), 0, 13);
        assertEquals("...56789abc", t.text());
    }

    @Test
    void buildersFailFast() {
        assertThrows(IllegalStateException.class, () -> RemoteSources.command(ssh, "true").build());
        assertThrows(IllegalArgumentException.class, () -> RemoteSources.command(ssh, " "));
        assertThrows(IllegalArgumentException.class, () -> RemoteSources.directory(ssh, "relative/path"));
        assertThrows(IllegalStateException.class,
                () -> RemoteSources.directory(ssh, "/a").snapshotPath("/b").snapshotPath("/c"));
    }
}
