package dev.backup4j.core.common;

/**
 * The repository is append-only, so an operation that deletes (forget, prune, removing a key) cannot run: either the
 * repository was opened with {@code Repository.Opener.appendOnly()}, or its storage refused a delete (an append-only
 * rest-server or {@code rclone serve restic --append-only}, an object store whose credentials cannot delete).
 * Nothing was deleted; backups, restores and checks still work.
 */
public class AppendOnlyRepositoryException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** With a message that names the operation and the repository. */
    public AppendOnlyRepositoryException(String message) {
        super(message);
    }

    /** With a message and the storage's refusal. */
    public AppendOnlyRepositoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
