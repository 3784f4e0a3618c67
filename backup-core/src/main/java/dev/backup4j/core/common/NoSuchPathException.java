package dev.backup4j.core.common;

import java.util.Objects;

/**
 * A path asked for is not in a snapshot, or is there but of the wrong kind (a file where a directory is needed, or
 * the other way round). The repository is fine: this is the caller's path, not damage (that would be
 * {@link CorruptDataException}).
 */
public class NoSuchPathException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** The path as asked for. */
    private final String path;

    /**
     * Creates the exception.
     *
     * @param path the path as asked for (absolute, '/'-separated)
     * @param message what is missing and where, naming the path
     */
    public NoSuchPathException(String path, String message) {
        super(message);
        this.path = Objects.requireNonNull(path, "path");
    }

    /** The path that was asked for. */
    public String path() {
        return path;
    }
}
