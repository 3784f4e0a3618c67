package dev.backup4j.ssh;

import dev.backup4j.core.Repository;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.testing.FsFacts;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.ResticDifferential;
import dev.backup4j.core.testing.SampleTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial tree (names restic quotes, raw bytes, every entry type, xattrs, hard links) through a real OpenSSH
 * server in both directions: our SFTP backend writes and restic checks, lists and restores; restic writes over SFTP
 * and we restore. The same comparisons as backup-core's local differential tests.
 */
class OpenSshResticFidelityTest {
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

    private static Repository.Opener opener(Path repo) throws Exception {
        return Repository.at(SftpBackends.open(sshd.clientConfig().build(), repo.toString()))
                .password(ResticDifferential.PASSWORD).kdf(KdfParams.insecureFastForTests()).hostname("diff-host");
    }

    private static Restic restic(Path repo) {
        return Restic.on(Path.of(sshd.resticLocation(repo)), ResticDifferential.PASSWORD);
    }

    private static String[] global() {
        return new String[] {"-o", "sftp.command=" + sshd.resticSftpCommand()};
    }

    @Test
    void resticReadsOurSftpBackupOfTheAdversarialTree() throws Exception {
        Path src = SampleTrees.adversarial(dir.resolve("src-ours"));
        Map<String, String> facts = FsFacts.exact().withoutSockets().of(src);
        Path repo = dir.resolve("repo-ours");
        ResticDifferential.backUpWithUs(src, opener(repo));
        ResticDifferential.resticReadsOurs(src, restic(repo), dir.resolve("restic-restore"), facts, global());
    }

    @Test
    void weRestoreResticsSftpBackupOfTheAdversarialTree() throws Exception {
        Path src = SampleTrees.adversarial(dir.resolve("src-restics"));
        Path repo = dir.resolve("repo-restics");
        ResticDifferential.backUpWithRestic(src, opener(repo), restic(repo), global());
        ResticDifferential.weReadRestics(src, opener(repo), dir.resolve("our-restore"));
    }
}
