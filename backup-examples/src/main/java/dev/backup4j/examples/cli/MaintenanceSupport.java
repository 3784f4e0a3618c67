package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.RepositoryLock;
import java.io.IOException;
import java.time.Duration;

/** Shared bits of the maintenance commands: locking as restic does. */
final class MaintenanceSupport {
    private MaintenanceSupport() {
    }

    /** Takes restic's lock for a command; waits up to {@code BACKUP_LOCK_WAIT} seconds (default 0) if it is taken. */
    static RepositoryLock lock(BackupCli cli, Repository repo, boolean exclusive) throws IOException {
        String wait = cli.env.getOrDefault("BACKUP_LOCK_WAIT", "0");
        Duration timeout;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(wait.trim()));
        } catch (NumberFormatException e) {
            throw new CliException("BACKUP_LOCK_WAIT must be a number of seconds, got '" + wait + "'");
        }
        return Locks.on(repo).acquire(exclusive, timeout);
    }
}
