package dev.backup4j.core.common;

/**
 * No key file of the repository opens with the given password.
 */
public class WrongPasswordException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and what to do. */
    public WrongPasswordException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public WrongPasswordException(String message, Throwable cause) {
        super(message, cause);
    }
}
