package dev.backup4j.core.common;

/**
 * No snapshot matches the given id, prefix or selector (or a prefix matches several).
 */
public class NoSuchSnapshotException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and what to do. */
    public NoSuchSnapshotException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public NoSuchSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
