package dev.backup4j.core.snapshot;

import java.io.IOException;

/**
 * A source failed as a whole (a dump command exited non-zero, a remote host went away): unlike an unreadable file,
 * this aborts the backup, so that no snapshot claims to hold a complete copy.
 */
public class SourceFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the source and the reason (e.g. the command's stderr). */
    public SourceFailedException(String message) {
        super(message);
    }

    /** Creates the exception with a message and cause. */
    public SourceFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
