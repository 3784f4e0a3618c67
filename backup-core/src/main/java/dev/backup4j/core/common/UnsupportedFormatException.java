package dev.backup4j.core.common;

/**
 * The repository uses a format version this library does not read (it reads restic versions 1 and 2).
 */
public class UnsupportedFormatException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and what to do. */
    public UnsupportedFormatException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public UnsupportedFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
