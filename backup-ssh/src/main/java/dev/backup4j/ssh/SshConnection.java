package dev.backup4j.ssh;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH connection to one server, shared by an SFTP backend and remote sources: host key verified, user
 * authenticated, re-established on demand after it was lost. Thread-safe. Closing it ends the connection and
 * everything that uses it.
 *
 * <pre>{@code
 * try (SshConnection ssh = SshConnection.open(cfg)) {
 *     Backend repo = SftpBackends.open(ssh, "/srv/restic-repo");
 *     SnapshotSource www = RemoteSources.directory(ssh, "/var/www/lms").exclude("*.tmp").build();
 * }
 * }</pre>
 */
public final class SshConnection implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(SshConnection.class);
    private static final String[] DEFAULT_IDENTITY_FILES = {"id_rsa", "id_ecdsa", "id_ed25519"};

    private final SshConfig config;
    private final SshClient client;
    private final HostKeyVerifier verifier;
    private final List<KeyPair> keys;
    private final List<String> keyDescriptions;
    private final Retrier retrier;
    private ClientSession session; // guarded by this
    private boolean closed; // guarded by this

    private SshConnection(SshConfig config, List<KeyPair> keys, List<String> keyDescriptions) {
        this.config = config;
        this.keys = List.copyOf(keys);
        this.keyDescriptions = List.copyOf(keyDescriptions);
        this.retrier = new Retrier(config.retryPolicy());
        this.verifier = new HostKeyVerifier(config.hostKeyPolicy(), config.host(), config.port());
        this.client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        // Only what the config says: no ~/.ssh/config, no keys MINA would find on its own, no interactive prompts.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserInteraction(null);
        client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        if (config.agentSocket().isPresent()) {
            client.setAgentFactory(agentFactory(config.agentSocket().get()));
        }
        CoreModuleProperties.PREFERRED_AUTHS.set(client,
                config.password().isPresent() ? "publickey,password" : "publickey");
        CoreModuleProperties.IDLE_TIMEOUT.set(client, config.ioTimeout());
        // SFTP is request/response: without this, Nagle and delayed ACKs add ~40 ms to small requests.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.AUTH_TIMEOUT.set(client, config.connectTimeout());
        client.start();
    }

    /**
     * Connects, verifies the host key and authenticates. Retries transient failures (refused, reset, time-out)
     * as the configuration's {@link RetryPolicy} allows.
     *
     * @throws HostKeyVerificationException if the host key is unknown or changed
     * @throws SshAuthenticationException   if no credential was accepted or a key file cannot be read
     * @throws SshConnectionException       if the server cannot be reached
     */
    public static SshConnection open(SshConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        List<KeyPair> keys = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        loadKeys(config, keys, descriptions);
        SshConnection c = new SshConnection(config, keys, descriptions);
        try {
            c.retrier.call("connect to " + config.destination(), attempt -> c.session());
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The configuration this connection was opened with. */
    public SshConfig config() {
        return config;
    }

    /** {@code user@host:port}. */
    public String destination() {
        return config.destination();
    }

    Retrier retrier() {
        return retrier;
    }

    /** The live session, connecting again if the previous one was lost. */
    synchronized ClientSession session() throws IOException {
        if (closed) {
            throw new IllegalStateException("the SSH connection to " + destination() + " is closed");
        }
        if (session != null && session.isOpen() && !session.isClosing()) {
            return session;
        }
        if (session != null) {
            LOG.info("reconnecting to {}", destination());
            session.close(true);
            session = null;
        }
        session = connect();
        return session;
    }

    /** Drops {@code broken} if it is still the current session, so the next call to {@link #session()} reconnects. */
    synchronized void invalidate(ClientSession broken) {
        if (broken != null && broken == session) {
            session.close(true);
            session = null;
        }
    }

    private ClientSession connect() throws IOException {
        Duration timeout = config.connectTimeout();
        ClientSession s = null;
        boolean authenticating = false;
        try {
            ConnectFuture cf = client.connect(config.user(), config.host(), config.port());
            s = cf.verify(timeout).getSession();
            for (KeyPair kp : keys) {
                s.addPublicKeyIdentity(kp);
            }
            if (config.password().isPresent()) {
                s.addPasswordIdentity(config.password().get().reveal());
            }
            authenticating = true;
            s.auth().verify(timeout);
            return s;
        } catch (IOException | RuntimeException e) {
            if (s != null) {
                s.close(true);
            }
            HostKeyVerificationException hostKey = verifier.takeFailure();
            if (hostKey != null) {
                throw hostKey;
            }
            if (authenticating && isAuthFailure(e)) {
                throw new SshAuthenticationException("authentication as " + config.user() + " on " + destination()
                        + " failed; tried " + triedCredentials(), e);
            }
            throw new SshConnectionException("cannot connect to " + destination() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isAuthFailure(Exception e) {
        // MINA reports a refused login as an SshException with this text; time-outs and disconnects differ.
        return String.valueOf(e.getMessage()).contains("No more authentication methods");
    }

    private String triedCredentials() {
        List<String> tried = new ArrayList<>(keyDescriptions);
        config.agentSocket().ifPresent(p -> tried.add("keys of the ssh-agent at " + p));
        if (config.password().isPresent()) {
            tried.add("password");
        }
        return tried.isEmpty() ? "no credentials (no key files found, no agent, no password)" : String.join(", ", tried);
    }

    private static SshAgentFactory agentFactory(Path socket) {
        return new SshAgentFactory() {
            @Override
            public List<org.apache.sshd.common.channel.ChannelFactory> getChannelForwardingFactories(
                    org.apache.sshd.common.FactoryManager manager) {
                return List.of();
            }

            @Override
            public org.apache.sshd.agent.SshAgent createClient(org.apache.sshd.common.session.Session session,
                    org.apache.sshd.common.FactoryManager manager) {
                return new UnixSocketAgent(socket);
            }

            @Override
            public org.apache.sshd.agent.SshAgentServer createServer(
                    org.apache.sshd.common.session.ConnectionService service) {
                throw new UnsupportedOperationException("agent forwarding is not offered");
            }
        };
    }

    private static void loadKeys(SshConfig config, List<KeyPair> keys, List<String> descriptions) throws IOException {
        if (config.usesDefaultIdentities()) {
            Path dir = Path.of(System.getProperty("user.home"), ".ssh");
            for (String name : DEFAULT_IDENTITY_FILES) {
                Path f = dir.resolve(name);
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                try {
                    add(loadKeyFile(f, null), f.toString(), keys, descriptions);
                } catch (IOException e) {
                    LOG.warn("skipping default identity {}: {}", f, e.getMessage());
                }
            }
            return;
        }
        for (SshConfig.Identity id : config.identities()) {
            if (id.keyPair().isPresent()) {
                add(List.of(id.keyPair().get()), "in-memory key", keys, descriptions);
            } else {
                Path f = id.file().orElseThrow();
                add(loadKeyFile(f, id.passphrase().orElse(null)), f.toString(), keys, descriptions);
            }
        }
    }

    private static void add(Iterable<KeyPair> loaded, String where, List<KeyPair> keys, List<String> descriptions) {
        for (KeyPair kp : loaded) {
            keys.add(kp);
            descriptions.add(where + " (" + KeyUtils.getKeyType(kp) + " " + KeyUtils.getFingerPrint(kp.getPublic())
                    + ")");
        }
    }

    /** Loads a private key file; package-private for tests. */
    static Iterable<KeyPair> loadKeyFile(Path file, Secret passphrase) throws IOException {
        FilePasswordProvider provider = passphrase == null ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(passphrase.reveal());
        Iterable<KeyPair> loaded;
        try (InputStream in = Files.newInputStream(file)) {
            loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, provider);
        } catch (java.security.GeneralSecurityException | IOException | RuntimeException e) {
            String why = passphrase == null
                    ? "it may be encrypted (give its passphrase) or in an unsupported format"
                    : "wrong passphrase or unsupported format";
            // The cause's message is not included: some parsers echo input, and nothing secret may leak.
            throw new SshAuthenticationException("cannot load private key " + file + ": " + why + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (loaded == null || !loaded.iterator().hasNext()) {
            throw new SshAuthenticationException("no private key found in " + file);
        }
        return loaded;
    }

    /** Closes the connection; operations still running fail. Idempotent. */
    @Override
    public void close() throws IOException {
        ClientSession s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = session;
            session = null;
        }
        try {
            if (s != null) {
                s.close(true);
            }
        } finally {
            client.stop();
        }
    }

    @Override
    public String toString() {
        return "SshConnection[" + destination() + "]";
    }
}
