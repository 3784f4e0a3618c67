package dev.backup4j.core.common;

/**
 * Another process holds a lock that conflicts with the requested operation.
 */
public class RepositoryLockedException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and what to do. */
    public RepositoryLockedException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public RepositoryLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
