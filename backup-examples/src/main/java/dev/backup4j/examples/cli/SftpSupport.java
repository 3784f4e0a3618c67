package dev.backup4j.examples.cli;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.ssh.SftpBackends;
import dev.backup4j.ssh.SftpRepositoryLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * SFTP repository locations: {@code sftp:user@host:/path} and {@code sftp://user@host:port//abs/path} with restic's
 * meaning (a single slash after the port is relative to the login directory), host keys checked against
 * {@code --ssh-known-hosts} (default {@code ~/.ssh/known_hosts}), keys from {@code --ssh-identity}, the ssh-agent or
 * {@code ~/.ssh/id_*}.
 */
final class SftpSupport {
    private SftpSupport() {
    }

    static boolean isSftp(String location) {
        return SftpRepositoryLocation.isSftp(location);
    }

    static Backend backend(String location, Path identity, Path knownHosts) {
        try {
            return SftpBackends.open(location, Optional.ofNullable(identity), Optional.ofNullable(knownHosts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
