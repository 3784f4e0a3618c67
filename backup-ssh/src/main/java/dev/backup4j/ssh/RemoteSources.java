package dev.backup4j.ssh;

import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link SnapshotSource}s that pull data from a remote host over an {@link SshConnection}, for "the backup server
 * connects to the application server" set-ups: nothing is installed on the remote host and nothing is copied to a
 * local disk first.
 *
 * <pre>{@code
 * try (SshConnection app = SshConnection.open(SshConfig.builder("backup", "app1").build())) {
 *     repo.backup()
 *         .source(RemoteSources.directory(app, "/var/www/lms").exclude("cache").build())
 *         .source(RemoteSources.command(app, "mysqldump --single-transaction lms").path("/db/lms.sql").build())
 *         .host("app1").run();
 * }
 * }</pre>
 */
public final class RemoteSources {
    private RemoteSources() {
    }

    /** A remote directory tree (or single file) at the absolute {@code remotePath}. */
    public static DirectoryBuilder directory(SshConnection connection, String remotePath) {
        return new DirectoryBuilder(connection, remotePath);
    }

    /** The standard output of {@code command}, run by the remote user's shell, stored as one file. */
    public static CommandBuilder command(SshConnection connection, String command) {
        return new CommandBuilder(connection, command);
    }

    /**
     * Builds a remote directory source. Patterns follow {@link PathFilter} (restic's reading) and are matched
     * against snapshot paths. Each option may be set once, except patterns, which add up.
     */
    public static final class DirectoryBuilder {
        private final SshConnection connection;
        private final String remotePath;
        private final List<String> excludes = new ArrayList<>();
        private final List<String> includes = new ArrayList<>();
        private String snapshotPath;
        private ZoneId zone;

        private DirectoryBuilder(SshConnection connection, String remotePath) {
            this.connection = Objects.requireNonNull(connection, "connection");
            this.remotePath = SnapshotSources.normalize(remotePath);
        }

        /** Leaves out entries matching {@code glob} (a matched directory is left out with everything below). */
        public DirectoryBuilder exclude(String glob) {
            excludes.add(Objects.requireNonNull(glob, "glob"));
            return this;
        }

        /**
         * Keeps only files, symlinks and special files matching {@code glob} or lying under a matching directory;
         * directories are always walked. Without includes, everything not excluded is kept.
         */
        public DirectoryBuilder include(String glob) {
            includes.add(Objects.requireNonNull(glob, "glob"));
            return this;
        }

        /** Where the tree appears in the snapshot (default: the remote path). */
        public DirectoryBuilder snapshotPath(String path) {
            if (snapshotPath != null) {
                throw new IllegalStateException("snapshotPath is already set");
            }
            this.snapshotPath = SnapshotSources.normalize(path);
            return this;
        }

        /** The zone in which times are recorded (default: the zone of the connection's clock). */
        public DirectoryBuilder zone(ZoneId zone) {
            if (this.zone != null) {
                throw new IllegalStateException("zone is already set");
            }
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * The source.
         *
         * @throws IllegalArgumentException for a malformed pattern
         */
        public SnapshotSource build() {
            return new RemoteDirectorySource(connection, remotePath, snapshotPath != null ? snapshotPath : remotePath,
                    PathFilter.of(excludes), PathFilter.of(includes),
                    zone != null ? zone : connection.config().clock().getZone());
        }
    }

    /** Builds a remote-command source; {@link #path(String)} is required. */
    public static final class CommandBuilder {
        private final SshConnection connection;
        private final String command;
        private String path;

        private CommandBuilder(SshConnection connection, String command) {
            this.connection = Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(command, "command");
            if (command.isBlank()) {
                throw new IllegalArgumentException("the command is empty");
            }
            this.command = command;
        }

        /** The absolute path of the file in the snapshot, e.g. {@code /db/lms.sql}. */
        public CommandBuilder path(String snapshotPath) {
            if (path != null) {
                throw new IllegalStateException("path is already set");
            }
            this.path = SnapshotSources.normalize(snapshotPath);
            return this;
        }

        /**
         * The source.
         *
         * @throws IllegalStateException if no path was given
         */
        public SnapshotSource build() {
            if (path == null) {
                throw new IllegalStateException("give the file's path in the snapshot with path(\"/db/dump.sql\")");
            }
            return new RemoteCommandSource(connection, command, path);
        }
    }
}
