package dev.backup4j.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.testing.FsFacts;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.ResticDifferential;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.core.testing.TreeDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One repository on a real OpenSSH server, shared by the library and the stock restic binary. */
class OpenSshResticInteropTest {
    private static final String PASSWORD = "interop-pw";

    @TempDir
    static Path dir;
    static OpenSshServer sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        Restic.requireRestic();
        sshd = OpenSshServer.start(Files.createDirectory(dir.resolve("sshd")));
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    private static Restic restic(Path repo) {
        return Restic.on(Path.of(sshd.resticLocation(repo)), PASSWORD);
    }

    private static Restic.Result run(Path repo, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "-o";
        all[1] = "sftp.command=" + sshd.resticSftpCommand();
        System.arraycopy(args, 0, all, 2, args.length);
        return restic(repo).run(all).ok();
    }

    private static Map<String, String> restored(Path target, Path source) throws Exception {
        return TreeDigest.contentHashes(target.resolve(source.toString().substring(1)));
    }

    @Test
    void theLibraryWritesOverSftpAndResticChecksAndRestores() throws Exception {
        Path src = SampleTrees.edgeCases(Files.createDirectory(dir.resolve("src-lib")), 7);
        Path repo = dir.resolve("repo-lib");
        Backend sftp = SftpBackends.open(sshd.clientConfig().build(), repo.toString());
        try (Repository r = Repository.at(sftp).password(PASSWORD).init()) {
            BackupResult result = r.backup().path(src).host("app1").tag("ssh").run();
            assertFalse(result.incomplete(), result.toString());
        }
        run(repo, "check", "--read-data");
        String snapshots = run(repo, "snapshots", "--json").stdout();
        assertTrue(snapshots.contains("\"hostname\":\"app1\""), snapshots);
        Path target = dir.resolve("restored-by-restic");
        run(repo, "restore", "latest", "--target", target.toString());
        assertEquals(TreeDigest.contentHashes(src), restored(target, src));
    }

    @Test
    void resticWritesOverSftpAndTheLibraryReadsAndRestores() throws Exception {
        Path src = SampleTrees.edgeCases(Files.createDirectory(dir.resolve("src-restic")), 11);
        Path repo = dir.resolve("repo-restic");
        run(repo, "init");
        run(repo, "backup", "--host", "db1", src.toString());
        Backend sftp = SftpBackends.open(sshd.clientConfig().build(), repo.toString());
        try (Repository r = Repository.at(sftp).password(PASSWORD).open()) {
            assertEquals(1, r.snapshots().size());
            assertEquals("db1", r.snapshots().get(0).hostname());
            assertFalse(r.backend().list(FileType.PACK).isEmpty());
            Path target = dir.resolve("restored-by-library");
            r.restore("latest").target(target).run();
            assertEquals(TreeDigest.contentHashes(src), restored(target, src));
        }
    }

    // The adversarial tree (names restic quotes, raw bytes, every entry type, xattrs, hard links) in both
    // directions over SFTP, with backup-core's differential comparisons.

    private static Repository.Opener fidelityOpener(Path repo) throws Exception {
        return Repository.at(SftpBackends.open(sshd.clientConfig().build(), repo.toString()))
                .password(ResticDifferential.PASSWORD).kdf(KdfParams.insecureFastForTests()).hostname("diff-host");
    }

        private static String[] global() {
        return new String[] {"-o", "sftp.command=" + sshd.resticSftpCommand()};
    }

    @Test
    void resticReadsOurSftpBackupOfTheAdversarialTree() throws Exception {
        Path src = SampleTrees.adversarial(dir.resolve("src-ours"));
        Map<String, String> facts = FsFacts.exact().withoutSockets().of(src);
        Path repo = dir.resolve("repo-ours");
        ResticDifferential.backUpWithUs(src, fidelityOpener(repo));
        ResticDifferential.resticReadsOurs(src, Restic.on(Path.of(sshd.resticLocation(repo)), ResticDifferential.PASSWORD), dir.resolve("restic-restore"), facts, global());
    }

    @Test
    void weRestoreResticsSftpBackupOfTheAdversarialTree() throws Exception {
        Path src = SampleTrees.adversarial(dir.resolve("src-restics"));
        Path repo = dir.resolve("repo-restics");
        ResticDifferential.backUpWithRestic(src, fidelityOpener(repo), Restic.on(Path.of(sshd.resticLocation(repo)), ResticDifferential.PASSWORD), global());
        ResticDifferential.weReadRestics(src, fidelityOpener(repo), dir.resolve("our-restore"));
    }
}
