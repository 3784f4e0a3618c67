package dev.backup4j.core.backup;

/**
 * Receives progress of a running backup. Called from the backup's threads: implementations must be thread-safe and
 * quick. Every method but {@link #onStatus} has an empty default, so a listener overrides only what it needs. What a
 * method throws is caught by the backup, logged once per listener (a warning with the stack trace) and otherwise
 * ignored: a listener cannot change what a backup stores or returns.
 *
 * <pre>{@code
 * repo.backup().path(dir).listener(status -> log.info("{} of {} bytes", status.bytesDone(), status.totalBytes())).run();
 * }</pre>
 */
@FunctionalInterface
public interface BackupListener {
    /** A listener that ignores everything. */
    BackupListener NONE = status -> { };

    /**
     * Called at every {@link dev.backup4j.core.BackupCommand#statusInterval} (default once a second) while the backup runs, and once at
     * the end of a backup that saved its snapshot.
     */
    void onStatus(BackupStatus status);

    /** Called when an entry could not be backed up; the backup goes on without it. */
    default void onError(String path, String message) {
    }

    /** Called when a file has been stored (or reused from the parent snapshot). */
    default void onFileDone(String path, long bytes, boolean unchanged) {
    }
}
