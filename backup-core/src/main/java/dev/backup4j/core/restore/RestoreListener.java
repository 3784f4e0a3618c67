package dev.backup4j.core.restore;

/**
 * Progress of a restore, for a progress bar or a log. Methods may be called from several threads at once and must
 * return quickly; every method has an empty default. What a method throws is caught by the restore, logged once per
 * listener (a warning with the stack trace) and otherwise ignored: a listener cannot change what is restored or
 * reported.
 */
public interface RestoreListener {
    /** No progress reporting. */
    RestoreListener NONE = new RestoreListener() {
    };

    /** Execution starts. */
    default void started(RestorePlan plan) {
    }

    /** Verified file content was written. */
    default void bytesWritten(long bytes) {
    }

    /** An action was carried out. */
    default void done(RestoreAction action) {
    }

    /** An entry could not be restored. */
    default void failed(String path, String message) {
    }
}
