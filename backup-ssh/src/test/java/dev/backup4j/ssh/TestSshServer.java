package dev.backup4j.ssh;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.common.SftpHelper;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server in this JVM (Apache MINA SSHD) on 127.0.0.1 and a free port: SFTP rooted in a folder, and exec
 * running commands with {@code /bin/sh -c} in that folder. Accepts the client key it generated (and, optionally, a
 * password).
 */
final class TestSshServer implements AutoCloseable {
    static final String USER = "backup";

    private final SshServer server;
    private final KeyPair hostKey;
    private final KeyPair clientKey;
    private final Path root;

    private TestSshServer(Builder b) throws IOException {
        this.root = b.root;
        this.hostKey = b.hostKey != null ? b.hostKey : generateEc();
        this.clientKey = generateEc();
        List<PublicKey> accepted = new ArrayList<>(b.authorizedKeys);
        accepted.add(clientKey.getPublic());
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
                && accepted.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        if (b.password != null) {
            server.setPasswordAuthenticator((user, pw, session) -> USER.equals(user) && b.password.equals(pw));
        }
        server.setKeyboardInteractiveAuthenticator(null);
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        // Like servers that send strerror() text (OpenSSH sends only "Failure"), so the tests can see the reason.
        SftpErrorStatusDataHandler strerror = new SftpErrorStatusDataHandler() {
            @Override
            public String resolveErrorMessage(SftpSubsystemEnvironment env, int id, Throwable e, int subStatus,
                    int cmd, Object... args) {
                return e.getMessage() != null ? e.getMessage() : SftpHelper.resolveStatusMessage(subStatus);
            }
        };
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().withSftpErrorStatusDataHandler(strerror).build();
        for (SftpEventListener l : b.listeners) {
            sftp.addSftpEventListener(l);
        }
        server.setSubsystemFactories(List.of(sftp));
        server.setCommandFactory((channel, command) ->
                new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel));
        server.start();
    }

    static Builder builder(Path root) {
        return new Builder(root);
    }

    static KeyPair generateEc() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    KeyPair hostKey() {
        return hostKey;
    }

    KeyPair clientKey() {
        return clientKey;
    }

    Path root() {
        return root;
    }

    /** A client configuration that trusts exactly this server's host key and logs in with the generated key. */
    SshConfig.Builder clientConfig() {
        return SshConfig.builder(USER, "127.0.0.1").port(port()).identity(clientKey).noAgent()
                .hostKeyPolicy(HostKeyPolicy.pinnedKey(hostKey.getPublic()));
    }

    /** Closes every open session, as a server that drops its connections would. */
    void dropAllSessions() {
        server.getActiveSessions().forEach(s -> s.close(true));
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    static final class Builder {
        private final Path root;
        private final List<SftpEventListener> listeners = new ArrayList<>();
        private final List<PublicKey> authorizedKeys = new ArrayList<>();
        private KeyPair hostKey;
        private String password;

        private Builder(Path root) {
            this.root = root;
        }

        Builder listener(SftpEventListener l) {
            listeners.add(l);
            return this;
        }

        Builder authorize(PublicKey key) {
            authorizedKeys.add(key);
            return this;
        }

        Builder hostKey(KeyPair kp) {
            this.hostKey = kp;
            return this;
        }

        Builder password(String pw) {
            this.password = pw;
            return this;
        }

        TestSshServer start() throws IOException {
            return new TestSshServer(this);
        }
    }
}
