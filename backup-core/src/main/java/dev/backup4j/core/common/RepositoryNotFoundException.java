package dev.backup4j.core.common;

/**
 * There is no repository (no {@code config} file) at the given location.
 */
public class RepositoryNotFoundException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and what to do. */
    public RepositoryNotFoundException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public RepositoryNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
