package dev.backup4j.core.common;

/**
 * Stored bytes failed authentication, their hash, or their structure: the file named in the message is damaged.
 */
public class CorruptDataException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what happened and what to do. */
    public CorruptDataException(String message) {
        super(message);
    }

    /** Creates the exception with a message and its cause. */
    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
