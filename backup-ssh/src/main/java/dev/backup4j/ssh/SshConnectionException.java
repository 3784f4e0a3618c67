package dev.backup4j.ssh;

import java.io.IOException;

/**
 * The SSH connection failed or was lost (connection refused or reset, time-out, session closed by the server). The
 * one transient failure of this module: operations that fail with it are retried with back-off, on a new
 * connection, as the {@link RetryPolicy} allows; it reaches the caller only when the retries are used up.
 */
public final class SshConnectionException extends IOException {
    SshConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
