package dev.backup4j.ssh;

import java.io.IOException;

/**
 * The server refused every offered credential, or a private key could not be loaded (wrong or missing passphrase,
 * unsupported format). Permanent. The message names the user, the host and the key files or fingerprints that were
 * tried, never a password or passphrase.
 */
public final class SshAuthenticationException extends IOException {
    SshAuthenticationException(String message) {
        super(message);
    }

    SshAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
