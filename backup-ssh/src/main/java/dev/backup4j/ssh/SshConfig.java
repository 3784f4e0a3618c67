package dev.backup4j.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to open an {@link SshConnection}: where to connect, how to verify the server, how to log in, and
 * how patiently to retry. Immutable; made by {@link #builder(String, String)}. {@link #toString()} never shows a
 * password or passphrase.
 *
 * <p>Defaults follow OpenSSH: port 22; host keys checked against {@code ~/.ssh/known_hosts}; the private keys
 * {@code ~/.ssh/id_rsa}, {@code id_ecdsa} and {@code id_ed25519} that exist (encrypted ones are skipped with a warning,
 * as there is nobody to ask for the passphrase) unless identities are given explicitly; the ssh-agent named by
 * {@code SSH_AUTH_SOCK} if that is set. Password authentication is used only if a password is given.
 *
 * <pre>{@code
 * SshConfig cfg = SshConfig.builder("backup", "app1.example.com")
 *         .identityFile(Path.of("/etc/backup/id_ed25519"))
 *         .hostKeyPolicy(HostKeyPolicy.knownHosts(Path.of("/etc/backup/known_hosts")))
 *         .build();
 * }</pre>
 */
public final class SshConfig {
    /** An explicitly configured private key: a file (with its passphrase, if any) or a key pair in memory. */
    record Identity(Optional<Path> file, Optional<Secret> passphrase, Optional<KeyPair> keyPair) {
        @Override
        public String toString() {
            return file.map(f -> f + (passphrase.isPresent() ? " (with passphrase)" : ""))
                    .orElse("in-memory " + keyPair.map(k -> k.getPublic().getAlgorithm()).orElse("") + " key");
        }
    }

    private final String user;
    private final String host;
    private final int port;
    private final List<Identity> identities;
    private final boolean defaultIdentities;
    private final Optional<Path> agentSocket;
    private final Optional<Secret> password;
    private final HostKeyPolicy hostKeyPolicy;
    private final Duration connectTimeout;
    private final Duration ioTimeout;
    private final int sftpChannels;
    private final RetryPolicy retryPolicy;
    private final Clock clock;

    private SshConfig(Builder b) {
        this.user = b.user;
        this.host = b.host;
        this.port = b.port == null ? 22 : b.port;
        this.identities = List.copyOf(b.identities);
        this.defaultIdentities = b.identities.isEmpty();
        this.agentSocket = b.agentSet ? Optional.ofNullable(b.agentSocket) : defaultAgentSocket();
        this.password = Optional.ofNullable(b.password);
        this.hostKeyPolicy = b.hostKeyPolicy == null ? HostKeyPolicy.defaultKnownHosts() : b.hostKeyPolicy;
        this.connectTimeout = b.connectTimeout == null ? Duration.ofSeconds(20) : b.connectTimeout;
        this.ioTimeout = b.ioTimeout == null ? Duration.ofMinutes(2) : b.ioTimeout;
        this.sftpChannels = b.sftpChannels == null ? 4 : b.sftpChannels;
        this.retryPolicy = b.retryPolicy == null ? RetryPolicy.defaults() : b.retryPolicy;
        this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    }

    private static Optional<Path> defaultAgentSocket() {
        String sock = System.getenv("SSH_AUTH_SOCK");
        return sock == null || sock.isBlank() ? Optional.empty() : Optional.of(Path.of(sock));
    }

    /**
     * Starts a configuration for logging in as {@code user} on {@code host} (a name or an address).
     *
     * @throws IllegalArgumentException if {@code user} or {@code host} is blank
     */
    public static Builder builder(String user, String host) {
        return new Builder(user, host);
    }

    /** The login name. */
    public String user() {
        return user;
    }

    /** The host name or address. */
    public String host() {
        return host;
    }

    /** The TCP port. */
    public int port() {
        return port;
    }

    /** How the host key is verified. */
    public HostKeyPolicy hostKeyPolicy() {
        return hostKeyPolicy;
    }

    /** The ssh-agent socket to ask for keys, if any. */
    public Optional<Path> agentSocket() {
        return agentSocket;
    }

    /** Time allowed to connect, verify the host and log in. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Time allowed for the server to answer one request before the connection is considered lost. */
    public Duration ioTimeout() {
        return ioTimeout;
    }

    /** How many SFTP channels an SFTP backend uses in parallel over the one connection. */
    public int sftpChannels() {
        return sftpChannels;
    }

    /** How transient failures are retried. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The clock that stamps remote-command output files. */
    public Clock clock() {
        return clock;
    }

    List<Identity> identities() {
        return identities;
    }

    boolean usesDefaultIdentities() {
        return defaultIdentities;
    }

    Optional<Secret> password() {
        return password;
    }

    /** {@code user@host:port}, for messages. */
    public String destination() {
        return user + "@" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "SshConfig[" + destination() + ", identities="
                + (defaultIdentities ? "default ~/.ssh/id_*" : identities.toString())
                + ", agent=" + agentSocket.map(Path::toString).orElse("none")
                + ", password=" + (password.isPresent() ? "set" : "none")
                + ", hostKeys=" + hostKeyPolicy + ", channels=" + sftpChannels + ", " + retryPolicy + "]";
    }

    /**
     * Builds an {@link SshConfig}. Each option may be set once (identities may be added several times); a repeated or
     * contradictory option fails at once with {@link IllegalStateException}. Secrets given as {@code char[]} are
     * copied, so the caller may wipe its array afterwards.
     */
    public static final class Builder {
        private final String user;
        private final String host;
        private Integer port;
        private final List<Identity> identities = new ArrayList<>();
        private boolean agentSet;
        private Path agentSocket;
        private Secret password;
        private HostKeyPolicy hostKeyPolicy;
        private Duration connectTimeout;
        private Duration ioTimeout;
        private Integer sftpChannels;
        private RetryPolicy retryPolicy;
        private Clock clock;

        private Builder(String user, String host) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(host, "host");
            if (user.isBlank() || host.isBlank()) {
                throw new IllegalArgumentException("user and host must not be blank");
            }
            this.user = user;
            this.host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }

        private static void once(Object current, String option) {
            if (current != null) {
                throw new IllegalStateException(option + " is already set");
            }
        }

        /**
         * The TCP port (default 22).
         *
         * @throws IllegalArgumentException outside 1..65535
         */
        public Builder port(int port) {
            once(this.port, "port");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Adds an unencrypted private key file (OpenSSH or PEM format; Ed25519, ECDSA or RSA). Giving any identity
         * replaces the default {@code ~/.ssh/id_*} files. The file must exist.
         *
         * @throws IllegalArgumentException if the file does not exist
         */
        public Builder identityFile(Path file) {
            identities.add(new Identity(Optional.of(existing(file)), Optional.empty(), Optional.empty()));
            return this;
        }

        /** Adds an encrypted private key file and its passphrase (copied). */
        public Builder identityFile(Path file, char[] passphrase) {
            Objects.requireNonNull(passphrase, "passphrase");
            identities.add(new Identity(Optional.of(existing(file)), Optional.of(new Secret(passphrase)),
                    Optional.empty()));
            return this;
        }

        /** Adds a key pair held in memory (e.g. loaded from a secret store). */
        public Builder identity(KeyPair keyPair) {
            Objects.requireNonNull(keyPair, "keyPair");
            identities.add(new Identity(Optional.empty(), Optional.empty(), Optional.of(keyPair)));
            return this;
        }

        private static Path existing(Path file) {
            Objects.requireNonNull(file, "file");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("identity file " + file + " does not exist");
            }
            return file.toAbsolutePath();
        }

        /** Uses the ssh-agent listening on this Unix socket (instead of {@code SSH_AUTH_SOCK}). */
        public Builder agent(Path socket) {
            if (agentSet) {
                throw new IllegalStateException("the agent is already set");
            }
            this.agentSet = true;
            this.agentSocket = Objects.requireNonNull(socket, "socket");
            return this;
        }

        /** Does not use an ssh-agent even if {@code SSH_AUTH_SOCK} is set. */
        public Builder noAgent() {
            if (agentSet) {
                throw new IllegalStateException("the agent is already set");
            }
            this.agentSet = true;
            this.agentSocket = null;
            return this;
        }

        /** Enables password authentication with this password (copied); keys are still tried first. */
        public Builder password(char[] password) {
            once(this.password, "password");
            this.password = new Secret(password);
            return this;
        }

        /** How the host key is verified (default: {@link HostKeyPolicy#defaultKnownHosts()}). */
        public Builder hostKeyPolicy(HostKeyPolicy policy) {
            once(this.hostKeyPolicy, "hostKeyPolicy");
            this.hostKeyPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Shorthand for {@code hostKeyPolicy(HostKeyPolicy.knownHosts(file))}. */
        public Builder knownHostsFile(Path file) {
            return hostKeyPolicy(HostKeyPolicy.knownHosts(file));
        }

        /** Time allowed to connect, verify the host and log in (default 20 s). */
        public Builder connectTimeout(Duration timeout) {
            once(this.connectTimeout, "connectTimeout");
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Time allowed for one answer from the server (default 2 min). */
        public Builder ioTimeout(Duration timeout) {
            once(this.ioTimeout, "ioTimeout");
            this.ioTimeout = positive(timeout, "ioTimeout");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }

        /**
         * SFTP channels used in parallel by a backend (default 4). OpenSSH allows 10 per connection
         * ({@code MaxSessions}).
         *
         * @throws IllegalArgumentException outside 1..64
         */
        public Builder sftpChannels(int channels) {
            once(this.sftpChannels, "sftpChannels");
            if (channels < 1 || channels > 64) {
                throw new IllegalArgumentException("sftpChannels must be 1..64, got " + channels);
            }
            this.sftpChannels = channels;
            return this;
        }

        /** How transient failures are retried (default {@link RetryPolicy#defaults()}). */
        public Builder retryPolicy(RetryPolicy policy) {
            once(this.retryPolicy, "retryPolicy");
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The clock for timestamps (default UTC system clock). */
        public Builder clock(Clock clock) {
            once(this.clock, "clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The immutable configuration. */
        public SshConfig build() {
            return new SshConfig(this);
        }
    }
}
