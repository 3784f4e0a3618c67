package dev.backup4j.core.snapshot;

import java.io.IOException;

/**
 * A source failed as a whole (a dump command exited non-zero, a stream could not be opened, a remote host went away):
 * unlike an unreadable file, this aborts the backup under {@link FailurePolicy#FAIL_BACKUP}, so that no snapshot
 * claims to hold a complete copy. A sibling of {@link dev.backup4j.core.common.RepositoryException}, not one of its
 * kind: the repository is fine. A source may throw it from anywhere to say that it failed as a whole.
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
