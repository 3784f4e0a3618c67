package dev.backup4j.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link HostKeyPolicy} during key exchange. MINA only learns "rejected", so the reason is kept here and
 * turned into a {@link HostKeyVerificationException} by the connecting code.
 */
final class HostKeyVerifier implements ServerKeyVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyVerifier.class);

    private final HostKeyPolicy policy;
    private final String host;
    private final int port;
    private final AtomicReference<HostKeyVerificationException> failure = new AtomicReference<>();

    HostKeyVerifier(HostKeyPolicy policy, String host, int port) {
        this.policy = policy;
        this.host = host;
        this.port = port;
    }

    /** The reason of the last rejection, cleared by the call. */
    HostKeyVerificationException takeFailure() {
        return failure.getAndSet(null);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        try {
            check(serverKey);
            return true;
        } catch (HostKeyVerificationException e) {
            failure.set(e);
            LOG.error("{}", e.getMessage());
            return false;
        }
    }

    private String hostName() {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    void check(PublicKey offered) throws HostKeyVerificationException {
        String fp = KeyUtils.getFingerPrint(offered);
        String type = KeyUtils.getKeyType(offered);
        switch (policy.kind()) {
            case ACCEPT_ANY -> LOG.warn("INSECURE: accepting the host key of {} ({} {}) without verification: anyone on "
                    + "the network path can read and change this connection", hostName(), type, fp);
            case PINNED_KEY -> {
                if (!KeyUtils.compareKeys(policy.key(), offered)) {
                    throw new HostKeyVerificationException("host key of " + hostName() + " is " + type + " " + fp
                            + " but the pinned key is " + KeyUtils.getFingerPrint(policy.key())
                            + ": the host key has changed, or someone is intercepting the connection", fp);
                }
            }
            case PINNED_FINGERPRINT -> {
                String pinned = policy.fingerprint();
                String actual = pinned.startsWith("MD5:")
                        ? KeyUtils.getFingerPrint(org.apache.sshd.common.digest.BuiltinDigests.md5, offered) : fp;
                if (!pinned.equals(actual)) {
                    throw new HostKeyVerificationException("host key of " + hostName() + " is " + type + " " + actual
                            + " but the pinned fingerprint is " + pinned
                            + ": the host key has changed, or someone is intercepting the connection", fp);
                }
            }
            case KNOWN_HOSTS -> checkKnownHosts(offered, type, fp);
            default -> throw new IllegalStateException(policy.kind().toString());
        }
    }

    private void checkKnownHosts(PublicKey offered, String type, String fp) throws HostKeyVerificationException {
        List<KnownHostEntry> entries;
        try {
            entries = Files.exists(policy.knownHostsFile().orElseThrow())
                    ? KnownHostEntry.readKnownHostEntries(policy.knownHostsFile().orElseThrow()) : List.of();
        } catch (NoSuchFileException e) {
            entries = List.of();
        } catch (IOException | RuntimeException e) {
            throw new HostKeyVerificationException("cannot read known_hosts file " + policy.knownHostsFile().orElseThrow()
                    + " to verify the host key of " + hostName() + " (" + type + " " + fp + "): " + e.getMessage(), fp);
        }
        List<String> recorded = new ArrayList<>();
        for (KnownHostEntry e : entries) {
            if (!e.isHostMatch(host, port)) {
                continue;
            }
            String marker = e.getMarker();
            if (marker != null && !marker.isEmpty() && !"revoked".equals(marker)) {
                continue; // @cert-authority lines name CAs, not host keys
            }
            PublicKey known;
            try {
                AuthorizedKeyEntry ke = e.getKeyEntry();
                known = ke == null ? null : ke.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException ex) {
                continue; // a key type this JVM cannot decode cannot be the offered key
            }
            if (known == null) {
                continue;
            }
            boolean same = KeyUtils.compareKeys(known, offered);
            if ("revoked".equals(marker)) {
                if (same) {
                    throw new HostKeyVerificationException("host key of " + hostName() + " (" + type + " " + fp
                            + ") is marked @revoked in " + policy.knownHostsFile().orElseThrow(), fp);
                }
                continue;
            }
            if (same) {
                return;
            }
            recorded.add(KeyUtils.getKeyType(known) + " " + KeyUtils.getFingerPrint(known));
        }
        if (recorded.isEmpty()) {
            throw new HostKeyVerificationException("unknown host key: " + hostName() + " offered " + type + " " + fp
                    + ", which is not in " + policy.knownHostsFile().orElseThrow()
                    + "; check the fingerprint out of band, then add the key (e.g. ssh-keyscan"
                    + (port == 22 ? "" : " -p " + port) + " " + host + " >> known_hosts) or pin the fingerprint", fp);
        }
        throw new HostKeyVerificationException("HOST KEY CHANGED: " + hostName() + " offered " + type + " " + fp
                + " but " + policy.knownHostsFile().orElseThrow() + " records " + String.join(", ", recorded)
                + "; someone may be intercepting the connection, or the host key was replaced", fp);
    }
}
