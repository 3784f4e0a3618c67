package dev.backup4j.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.SourceFailedException;
import dev.backup4j.core.testing.TreeDigest;
import dev.backup4j.retention.SimulatedClock;
import dev.backup4j.ssh.HostKeyPolicy;
import dev.backup4j.ssh.SshConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a real (in-process) SSH server standing in for the application server, over simulated nights. */
class PullAgentTest {
    @TempDir
    Path tmp;

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void nightlyPullsKeepTheLmsCalendar() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Path lms = Files.createDirectories(app.resolve("var/www/lms/courses"));
        Files.writeString(lms.resolve("101.md"), "# course 101\n");
        Files.writeString(lms.resolve("theme.css"), "body { margin: 0 }\n"); // never changes
        Files.createDirectories(app.resolve("var/www/lms/cache"));
        Files.writeString(app.resolve("var/www/lms/cache/junk"), "rebuildable");
        KeyPair hostKey = ec();
        KeyPair clientKey = ec();
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(app));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        // exec runs the command through /bin/sh -c, as OpenSSH does, so exit statuses and redirections are real
        sshd.setCommandFactory((channel, command) ->
                new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel));
        sshd.start();
        ZoneId zone = ZoneId.of("Europe/Brussels");
        SimulatedClock clock = SimulatedClock.at(Instant.parse("2026-03-01T01:00:00Z"), zone);
        try {
            SshConfig appServer = SshConfig.builder("backup", "127.0.0.1").port(sshd.getPort()).identity(clientKey)
                    .noAgent().hostKeyPolicy(HostKeyPolicy.pinnedKey(hostKey.getPublic())).build();
            Path repoDir = tmp.resolve("repo");
            Repository.at(Backends.local(repoDir)).password("pw").kdf(KdfParams.insecureFastForTests()).init().close();
            PullAgent agent = PullAgent.builder().appServer(appServer).pull("/var/www/lms").exclude("cache")
                    .dump("/db/lms.sql", "echo 'INSERT INTO course VALUES (101);'")
                    .repository(() -> Repository.at(Backends.local(repoDir)).password("pw")
                            .kdf(KdfParams.insecureFastForTests()))
                    .clock(clock).host("app1").build();

            LocalDate first = LocalDate.of(2026, 3, 1);
            for (int night = 0; night < 30; night++) {
                clock.advanceTo(first.plusDays(night).atTime(2, 0).atZone(zone).toInstant());
                Files.writeString(lms.resolve("101.md"), "# course 101, night " + night + "\n");
                // edited during the day before (SFTP carries whole seconds, so give each edit its own time)
                Files.setLastModifiedTime(lms.resolve("101.md"), java.nio.file.attribute.FileTime.from(
                        clock.instant().minusSeconds(3600)));
                PullAgent.Run run = agent.runOnce();
                assertTrue(run.backup().errors().isEmpty(), run.backup().errors().toString());
                if (night > 0) {
                    // remote files with unchanged size and mtime are reused from the parent without being read
                    assertEquals(1, run.backup().filesUnmodified(), "night " + night);
                    assertEquals(2, run.backup().filesChanged(), "night " + night + ": the course file and the dump");
                }
            }
            try (Repository repo = Repository.at(Backends.local(repoDir)).password("pw").open()) {
                List<Snapshot> snaps = repo.snapshots();
                Set<LocalDate> days = snaps.stream().map(s -> s.time().atZoneSameInstant(zone).toLocalDate())
                        .collect(Collectors.toSet());
                for (int d = 0; d < 7; d++) {
                    assertTrue(days.contains(first.plusDays(29 - d)), "a restore point for each of the last 7 days");
                }
                assertTrue(snaps.size() < 30, "older nights are thinned out: " + snaps.size());
                Path out = tmp.resolve("restore");
                repo.restore("latest").target(out).run();
                assertEquals("# course 101, night 29\n", Files.readString(out.resolve("var/www/lms/courses/101.md")));
                assertEquals("INSERT INTO course VALUES (101);\n", Files.readString(out.resolve("db/lms.sql")));
                assertTrue(Files.notExists(out.resolve("var/www/lms/cache")));
            }

            PullAgent broken = PullAgent.builder().appServer(appServer).dump("/db/lms.sql", "echo down >&2; exit 2")
                    .repository(() -> Repository.at(Backends.local(repoDir)).password("pw")
                            .kdf(KdfParams.insecureFastForTests()))
                    .clock(clock).build();
            Set<String> before = TreeDigest.contentHashes(repoDir.resolve("snapshots")).keySet();
            assertThrows(SourceFailedException.class, broken::runOnce);
            assertEquals(before, TreeDigest.contentHashes(repoDir.resolve("snapshots")).keySet(),
                    "a failed dump forgets nothing and saves no snapshot");
        } finally {
            sshd.stop(true);
        }
    }
}
