package dev.backup4j.ssh;

import dev.backup4j.core.backend.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Factories for repositories on SFTP servers, in restic's layout, so that {@code restic -r sftp:...} and this library
 * share one remote repository. The backend keeps one SSH connection with up to {@link SshConfig#sftpChannels()}
 * SFTP channels in use at once, and retries transient failures on a new connection as the {@link RetryPolicy} says.
 *
 * <pre>{@code
 * Backend repo = SftpBackends.open("sftp:backup@nas:/srv/restic",
 *         Optional.of(Path.of("/etc/backup/id_ed25519")), Optional.empty());
 * Backends.createLayout(repo);   // for a new repository
 * }</pre>
 */
public final class SftpBackends {
    private SftpBackends() {
    }

    /**
     * Connects and returns a backend for {@code path} on the server (absolute, or relative to the login directory).
     * Closing the backend closes the connection.
     *
     * @throws HostKeyVerificationException if the host key is unknown or changed
     * @throws SshAuthenticationException   if the login fails
     * @throws SshConnectionException       if the server cannot be reached
     */
    public static Backend open(SshConfig config, String path) throws IOException {
        String root = checkPath(path);
        return new SftpBackend(SshConnection.open(config), root, true);
    }

    /** A backend for {@code path} over an existing connection; closing the backend leaves the connection open. */
    public static Backend open(SshConnection connection, String path) {
        Objects.requireNonNull(connection, "connection");
        return new SftpBackend(connection, checkPath(path), false);
    }

    /**
     * The one call a command line needs: parses {@code repository} ({@link SftpRepositoryLocation} forms), uses the
     * identity file and known_hosts file if given (else OpenSSH's defaults: {@code ~/.ssh/id_*}, the ssh-agent,
     * {@code ~/.ssh/known_hosts}), and connects.
     *
     * @throws IllegalArgumentException if {@code repository} is not an SFTP location or the identity file is missing
     */
    public static Backend open(String repository, Optional<Path> identityFile, Optional<Path> knownHostsFile)
            throws IOException {
        SftpRepositoryLocation loc = SftpRepositoryLocation.parse(repository);
        SshConfig.Builder b = loc.configBuilder();
        identityFile.ifPresent(b::identityFile);
        knownHostsFile.ifPresent(b::knownHostsFile);
        return open(b.build(), loc.path());
    }

    private static String checkPath(String path) {
        Objects.requireNonNull(path, "path");
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("the repository path is empty");
        }
        return p;
    }
}
