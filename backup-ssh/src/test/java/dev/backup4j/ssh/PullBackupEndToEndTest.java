package dev.backup4j.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.snapshot.SourceFailedException;
import dev.backup4j.core.testing.TreeDigest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "backup server pulls from the application server" set-up, end to end on real parts: an SSH server standing in
 * for the application server, a repository on another SFTP server, the engine in between.
 */
class PullBackupEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void pullsFilesAndADumpIntoAnSftpRepositoryAndRestoresThem() throws Exception {
        Path appRoot = Files.createDirectories(tmp.resolve("app"));
        Path lms = Files.createDirectories(appRoot.resolve("var/www/lms"));
        Files.writeString(lms.resolve("config.php"), "<?php $db = 'lms';");
        Files.createDirectories(lms.resolve("moodledata/filedir"));
        byte[] upload = new byte[3_000_000];
        new Random(5).nextBytes(upload);
        Files.write(lms.resolve("moodledata/filedir/course.mbz"), upload);
        Files.createDirectories(lms.resolve("moodledata/cache"));
        Files.writeString(lms.resolve("moodledata/cache/junk"), "rebuildable");
        Path repoRoot = Files.createDirectories(tmp.resolve("backupserver"));

        try (TestSshServer app = TestSshServer.builder(appRoot).start();
                TestSshServer storage = TestSshServer.builder(repoRoot).start();
                SshConnection ssh = SshConnection.open(app.clientConfig().build())) {
            Backend repoBackend = SftpBackends.open(storage.clientConfig().build(), "/repos/lms");
            BackupResult result;
            try (Repository repo = Repository.at(repoBackend).password("pw").init()) {
                result = repo.backup()
                        .source(RemoteSources.directory(ssh, "/var/www/lms").exclude("moodledata/cache").build())
                        .source(RemoteSources.command(ssh, "printf 'INSERT INTO course VALUES (1);\\n'")
                                .path("/db/lms.sql").build())
                        .host("app1").tag("nightly").run();
            }
            assertFalse(result.incomplete(), result.errors().toString());
            assertEquals(List.of("/var/www/lms", "/db/lms.sql"), result.snapshot().paths());

            Path target = tmp.resolve("restore");
            try (Repository repo = Repository.at(SftpBackends.open(storage.clientConfig().build(), "/repos/lms"))
                    .password("pw").open()) {
                repo.restore("latest").target(target).run();
            }
            Map<String, String> expected = TreeDigest.contentHashes(lms);
            expected.keySet().removeIf(k -> k.contains("cache"));
            assertEquals(expected, TreeDigest.contentHashes(target.resolve("var/www/lms")));
            assertArrayEquals(upload, Files.readAllBytes(target.resolve("var/www/lms/moodledata/filedir/course.mbz")));
            assertEquals("INSERT INTO course VALUES (1);\n",
                    Files.readString(target.resolve("db/lms.sql"), StandardCharsets.UTF_8));
            assertTrue(Files.isDirectory(repoRoot.resolve("repos/lms/data")));
        }
    }

    @Test
    void aFailingDumpFailsTheBackupWithTheRemoteStderrAndSavesNoSnapshot() throws Exception {
        Path appRoot = Files.createDirectories(tmp.resolve("app2"));
        Files.createDirectories(appRoot.resolve("srv/data"));
        Files.writeString(appRoot.resolve("srv/data/a.txt"), "a");
        try (TestSshServer app = TestSshServer.builder(appRoot).start();
                SshConnection ssh = SshConnection.open(app.clientConfig().build());
                Repository repo = Repository.at(Backends.inMemory()).password("pw").init()) {
            var backup = repo.backup()
                    .source(RemoteSources.directory(ssh, "/srv/data").build())
                    .source(RemoteSources.command(ssh, "echo 'mysqldump: Got error: 1045' >&2; exit 2")
                            .path("/db/lms.sql").build());
            SourceFailedException e = assertThrows(SourceFailedException.class, backup::run);
            assertTrue(e.getMessage().contains("Got error: 1045"), e.getMessage());
            assertTrue(e instanceof RemoteCommandException rce && rce.exitStatus() == 2, e.toString());
            assertEquals(List.of(), repo.snapshots(), "no snapshot claims a complete dump");
        }
    }
}
