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

    /**
     * Takes restic's lock for a command that runs several library operations under one lock (forget --prune); waits
     * up to {@code BACKUP_LOCK_WAIT} seconds (default 0) if it is taken. Single operations lock themselves.
     */
    static RepositoryLock lock(BackupCli cli, Repository repo, boolean exclusive) throws IOException {
        return Locks.on(repo).acquire(exclusive, lockWait(cli));
    }

    /** {@code BACKUP_LOCK_WAIT}: how many seconds library operations wait for a lock (restic's --retry-lock). */
    static Duration lockWait(BackupCli cli) {
        String wait = cli.env.getOrDefault("BACKUP_LOCK_WAIT", "0");
        try {
            Duration d = Duration.ofSeconds(Long.parseLong(wait.trim()));
            if (d.isNegative()) {
                throw new NumberFormatException(wait);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new CliException("BACKUP_LOCK_WAIT must be a number of seconds, got '" + wait + "'");
        }
    }
}
