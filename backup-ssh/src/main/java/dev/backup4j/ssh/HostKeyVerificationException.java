package dev.backup4j.ssh;

import java.io.IOException;

/**
 * The server's host key could not be verified: it is unknown, or it differs from the recorded or pinned key. Permanent:
 * retrying cannot help until the known_hosts file or the pinned fingerprint is corrected. The message names the
 * host and the fingerprint of the key the server offered (never a secret).
 */
public final class HostKeyVerificationException extends IOException {
    /** The fingerprint of the key the server offered. */
    private final String offeredFingerprint;

    HostKeyVerificationException(String message, String offeredFingerprint) {
        super(message);
        this.offeredFingerprint = offeredFingerprint;
    }

    /** The SHA-256 fingerprint of the key the server offered, as OpenSSH prints it ({@code SHA256:...}). */
    public String offeredFingerprint() {
        return offeredFingerprint;
    }
}
