package dev.backup4j.ssh;

import dev.backup4j.core.snapshot.SourceFailedException;

/**
 * A remote command exited with a non-zero status, was killed by a signal, or its output was cut off by a lost
 * connection. The message holds the command, the exit status and the end of the command's standard error. As a
 * {@link SourceFailedException} it fails the whole backup: no snapshot claims to hold a complete dump.
 */
public final class RemoteCommandException extends SourceFailedException {
    private static final long serialVersionUID = 1L;

    /** The command's exit status, -1 if none. */
    private final int exitStatus;
    /** The end of the command's standard error. */
    private final String stderr;

    RemoteCommandException(String message, int exitStatus, String stderr) {
        super(message);
        this.exitStatus = exitStatus;
        this.stderr = stderr;
    }

    RemoteCommandException(String message, String stderr, Throwable cause) {
        super(message, cause);
        this.exitStatus = -1;
        this.stderr = stderr;
    }

    /** The exit status, or -1 if the command ended without one (killed by a signal, connection lost). */
    public int exitStatus() {
        return exitStatus;
    }

    /** The last part of the command's standard error (at most a few kilobytes), possibly empty. */
    public String stderr() {
        return stderr;
    }
}
