package dev.backup4j.ssh;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * How the server's host key is verified before anything else is sent. Immutable; made by the static factories.
 *
 * <ul>
 *   <li>{@link #knownHosts(Path)}: the key must be recorded for the host (and port) in an OpenSSH {@code known_hosts}
 *       file, plain or hashed entries; {@link #defaultKnownHosts()} is {@code ~/.ssh/known_hosts}, the default.</li>
 *   <li>{@link #pinnedFingerprint(String)} or {@link #pinnedKey(PublicKey)}: exactly that key is accepted.</li>
 *   <li>{@link #insecureAcceptAnyHostKey()}: any key; logs a warning with the offered fingerprint on every
 *       connection. For throwaway test set-ups only.</li>
 * </ul>
 * An unknown or changed key fails the connection with a {@link HostKeyVerificationException} naming the offered
 * fingerprint. Host keys are never added to a file automatically.
 *
 * <pre>{@code
 * HostKeyPolicy p = HostKeyPolicy.pinnedFingerprint("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU");
 * }</pre>
 */
public final class HostKeyPolicy {
    private static final Pattern SHA256 = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");
    private static final Pattern MD5 = Pattern.compile("MD5:([0-9a-f]{2}:){15}[0-9a-f]{2}");

    enum Kind { KNOWN_HOSTS, PINNED_FINGERPRINT, PINNED_KEY, ACCEPT_ANY }

    private final Kind kind;
    private final Path knownHostsFile;
    private final String fingerprint;
    private final PublicKey key;

    private HostKeyPolicy(Kind kind, Path knownHostsFile, String fingerprint, PublicKey key) {
        this.kind = kind;
        this.knownHostsFile = knownHostsFile;
        this.fingerprint = fingerprint;
        this.key = key;
    }

    /** Verifies against {@code ~/.ssh/known_hosts} of the user running the JVM, as OpenSSH does by default. */
    public static HostKeyPolicy defaultKnownHosts() {
        return knownHosts(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }

    /**
     * Verifies against an OpenSSH {@code known_hosts} file, read at each connection. A missing file means every
     * host is unknown.
     */
    public static HostKeyPolicy knownHosts(Path file) {
        return new HostKeyPolicy(Kind.KNOWN_HOSTS, Objects.requireNonNull(file, "file").toAbsolutePath(), null, null);
    }

    /**
     * Accepts only the key with this fingerprint, as printed by {@code ssh-keygen -lf} or {@code ssh-keyscan | ssh-keygen
     * -lf -}: {@code SHA256:} and 43 base64 characters (a trailing {@code =} is allowed), or the older
     * {@code MD5:xx:xx:...} form.
     *
     * @throws IllegalArgumentException if {@code fingerprint} has neither form
     */
    public static HostKeyPolicy pinnedFingerprint(String fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        String f = fingerprint.trim();
        if (f.regionMatches(true, 0, "md5:", 0, 4)) {
            f = "MD5:" + f.substring(4).toLowerCase(Locale.ROOT);
        }
        if (SHA256.matcher(f).matches()) {
            f = f.endsWith("=") ? f.substring(0, f.length() - 1) : f;
        } else if (!MD5.matcher(f).matches()) {
            throw new IllegalArgumentException("not an SSH key fingerprint: '" + fingerprint
                    + "'; expected SHA256:<43 base64 characters> as printed by ssh-keygen -lf");
        }
        return new HostKeyPolicy(Kind.PINNED_FINGERPRINT, null, f, null);
    }

    /** Accepts only this key. */
    public static HostKeyPolicy pinnedKey(PublicKey key) {
        return new HostKeyPolicy(Kind.PINNED_KEY, null, null, Objects.requireNonNull(key, "key"));
    }

    /**
     * Accepts any host key, which lets anyone on the network path read and change what is transferred. Each
     * connection logs a warning with the offered fingerprint. Use only for throwaway test servers.
     */
    public static HostKeyPolicy insecureAcceptAnyHostKey() {
        return new HostKeyPolicy(Kind.ACCEPT_ANY, null, null, null);
    }

    Kind kind() {
        return kind;
    }

    /** The known_hosts file, for {@link #knownHosts(Path)} policies. */
    public Optional<Path> knownHostsFile() {
        return Optional.ofNullable(knownHostsFile);
    }

    String fingerprint() {
        return fingerprint;
    }

    PublicKey key() {
        return key;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case KNOWN_HOSTS -> "known_hosts " + knownHostsFile;
            case PINNED_FINGERPRINT -> "pinned " + fingerprint;
            case PINNED_KEY -> "pinned " + KeyUtils.getFingerPrint(key);
            case ACCEPT_ANY -> "INSECURE accept-any-host-key";
        };
    }
}
