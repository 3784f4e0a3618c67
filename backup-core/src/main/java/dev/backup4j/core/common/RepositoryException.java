package dev.backup4j.core.common;

/**
 * Base of the conditions a caller of a repository can handle by name. All are {@link java.io.IOException}s.
 */
public class RepositoryException extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and what to do. */
    public RepositoryException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public RepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
