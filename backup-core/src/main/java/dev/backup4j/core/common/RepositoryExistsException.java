package dev.backup4j.core.common;

/**
 * {@code init} was asked for a location that already holds a repository.
 */
public class RepositoryExistsException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and what to do. */
    public RepositoryExistsException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public RepositoryExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
