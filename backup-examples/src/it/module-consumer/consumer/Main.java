package consumer;

import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.ssh.HostKeyPolicy;
import dev.backup4j.ssh.SftpBackends;
import dev.backup4j.ssh.SshConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * Backs up folder {@code args[0]} to a local repository and to one on an SFTP server, and restores the latest
 * snapshot of each into {@code args[1]/local} and {@code args[1]/sftp}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path work = Path.of(args[1]);
        Module core = Repository.class.getModule();
        System.out.println("module " + core.getName() + " named " + core.isNamed());
        System.out.println("sun.nio.fs open to " + core.getName() + ": "
                + Object.class.getModule().isOpen("sun.nio.fs", core));

        roundTrip(Backends.local(work.resolve("local-repo")), source, work.resolve("local"));

        KeyPair hostKey = ec();
        KeyPair clientKey = ec();
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(clientKey.getPublic(), key));
        server.setKeyboardInteractiveAuthenticator(null);
        server.setFileSystemFactory(new VirtualFileSystemFactory(Files.createDirectories(work.resolve("sftp-root"))));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.start();
        try {
            SshConfig ssh = SshConfig.builder("backup", "127.0.0.1").port(server.getPort()).identity(clientKey)
                    .noAgent().hostKeyPolicy(HostKeyPolicy.pinnedKey(hostKey.getPublic())).build();
            roundTrip(SftpBackends.open(ssh, "repo"), source, work.resolve("sftp"));
        } finally {
            server.stop(true);
        }
    }

    private static void roundTrip(Backend storage, Path source, Path target) throws Exception {
        try (Repository repo = Repository.at(storage).password("module path").init()) {
            BackupResult b = repo.backup().path(source).run();
            RestoreResult r = repo.restore("latest").target(target).run();
            System.out.println("snapshot " + b.snapshot().requireId().shortString() + " restored into " + target
                    + ": " + r.files() + " files, " + r.bytesWritten() + " bytes");
        }
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
