package dev.backup4j.ssh;

import java.io.IOException;

/**
 * The remote file system has no space left (or the user's quota is exhausted). Permanent: a write that fails with
 * it is not retried, and it leaves no file under the final name.
 */
public final class RemoteDiskFullException extends IOException {
    RemoteDiskFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
