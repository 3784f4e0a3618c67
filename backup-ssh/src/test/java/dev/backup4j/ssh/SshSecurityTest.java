package dev.backup4j.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host key verification and authentication against a real in-process server. */
class SshSecurityTest {
    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final String PASSPHRASE = "s3cret-passphrase";

    @TempDir
    static Path dir;
    static TestSshServer server;
    static Path ed25519;
    static Path ed25519Encrypted;
    static Path rsaPemEncrypted;
    static Path ecdsa;

    @BeforeAll
    static void start() throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        ed25519 = Keygen.generate(keys, "id_ed25519", "ed25519", "");
        ed25519Encrypted = Keygen.generate(keys, "id_ed25519_enc", "ed25519", PASSPHRASE);
        rsaPemEncrypted = Keygen.generate(keys, "id_rsa_pem", "rsa", PASSPHRASE, "-b", "2048", "-m", "PEM");
        ecdsa = Keygen.generate(keys, "id_ecdsa", "ecdsa", "");
        TestSshServer.Builder b = TestSshServer.builder(Files.createDirectory(dir.resolve("root"))).password(PASSWORD);
        for (Path k : List.of(ed25519, ed25519Encrypted, rsaPemEncrypted, ecdsa)) {
            b.authorize(publicKey(k));
        }
        server = b.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static PublicKey publicKey(Path privateKeyFile) throws Exception {
        String line = Files.readString(Path.of(privateKeyFile + ".pub")).trim();
        return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null);
    }

    private static SshConfig.Builder base() {
        return SshConfig.builder(TestSshServer.USER, "127.0.0.1").port(server.port()).noAgent()
                .retryPolicy(RetryPolicy.none()).connectTimeout(Duration.ofSeconds(10));
    }

    private static SshConfig.Builder trusted() {
        return base().hostKeyPolicy(HostKeyPolicy.pinnedKey(server.hostKey().getPublic()));
    }

    private static void assertConnects(SshConfig cfg) throws IOException {
        try (SshConnection c = SshConnection.open(cfg)) {
            assertTrue(c.session().isAuthenticated());
        }
    }

    private static String fingerprint() {
        return KeyUtils.getFingerPrint(server.hostKey().getPublic());
    }

    private Path knownHosts(String... lines) throws IOException {
        Path f = Files.createTempFile(dir, "known_hosts", "");
        Files.write(f, List.of(lines));
        return f;
    }

    private static String entry(String hostPattern, PublicKey key) {
        return hostPattern + " " + PublicKeyEntry.toString(key);
    }

    @Test
    void knownHostsWithTheRightKeyConnects() throws IOException {
        Path kh = knownHosts("# comment", entry("otherhost", TestSshServer.generateEc().getPublic()),
                entry("[127.0.0.1]:" + server.port(), server.hostKey().getPublic()));
        assertConnects(base().identity(server.clientKey()).knownHostsFile(kh).build());
    }

    @Test
    void hashedKnownHostsEntriesAreUnderstood() throws IOException {
        Path kh = knownHosts(entry("[127.0.0.1]:" + server.port(), server.hostKey().getPublic()));
        Keygen.run(List.of("/usr/bin/ssh-keygen", "-q", "-H", "-f", kh.toString()));
        assertFalse(Files.readString(kh).contains("127.0.0.1"), "the file is hashed now");
        assertConnects(base().identity(server.clientKey()).knownHostsFile(kh).build());
    }

    @Test
    void unknownHostFailsNamingTheFingerprint() throws IOException {
        Path kh = knownHosts(entry("127.0.0.1", server.hostKey().getPublic())); // port 22 only
        HostKeyVerificationException e = assertThrows(HostKeyVerificationException.class,
                () -> SshConnection.open(base().identity(server.clientKey()).knownHostsFile(kh).build()));
        assertTrue(e.getMessage().contains("unknown host key"), e.getMessage());
        assertTrue(e.getMessage().contains(fingerprint()), e.getMessage());
        assertEquals(fingerprint(), e.offeredFingerprint());
    }

    @Test
    void changedHostKeyFailsNamingBothFingerprints() throws IOException {
        PublicKey old = TestSshServer.generateEc().getPublic();
        Path kh = knownHosts(entry("[127.0.0.1]:" + server.port(), old));
        HostKeyVerificationException e = assertThrows(HostKeyVerificationException.class,
                () -> SshConnection.open(base().identity(server.clientKey()).knownHostsFile(kh).build()));
        assertTrue(e.getMessage().contains("HOST KEY CHANGED"), e.getMessage());
        assertTrue(e.getMessage().contains(fingerprint()), e.getMessage());
        assertTrue(e.getMessage().contains(KeyUtils.getFingerPrint(old)), e.getMessage());
    }

    @Test
    void missingKnownHostsFileMeansUnknownHost() {
        Path none = dir.resolve("does-not-exist");
        assertThrows(HostKeyVerificationException.class,
                () -> SshConnection.open(base().identity(server.clientKey()).knownHostsFile(none).build()));
    }

    @Test
    void pinnedFingerprintMustMatch() throws IOException {
        assertConnects(base().identity(server.clientKey())
                .hostKeyPolicy(HostKeyPolicy.pinnedFingerprint(fingerprint())).build());
        String other = KeyUtils.getFingerPrint(TestSshServer.generateEc().getPublic());
        HostKeyVerificationException e = assertThrows(HostKeyVerificationException.class,
                () -> SshConnection.open(base().identity(server.clientKey())
                        .hostKeyPolicy(HostKeyPolicy.pinnedFingerprint(other)).build()));
        assertTrue(e.getMessage().contains(fingerprint()) && e.getMessage().contains(other), e.getMessage());
    }

    @Test
    void pinnedFingerprintsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> HostKeyPolicy.pinnedFingerprint("abc"));
        assertEquals("pinned " + fingerprint(), HostKeyPolicy.pinnedFingerprint(fingerprint() + "=").toString());
    }

    @Test
    void acceptAnyOnlyThroughTheInsecureOption() throws IOException {
        assertConnects(base().identity(server.clientKey()).hostKeyPolicy(HostKeyPolicy.insecureAcceptAnyHostKey())
                .build());
        assertTrue(HostKeyPolicy.insecureAcceptAnyHostKey().toString().contains("INSECURE"));
    }

    @Test
    void ed25519EcdsaAndEncryptedKeysLogIn() throws IOException {
        assertConnects(trusted().identityFile(ed25519).build());
        assertConnects(trusted().identityFile(ecdsa).build());
        assertConnects(trusted().identityFile(ed25519Encrypted, PASSPHRASE.toCharArray()).build());
        assertConnects(trusted().identityFile(rsaPemEncrypted, PASSPHRASE.toCharArray()).build());
    }

    @Test
    void wrongOrMissingPassphraseFailsWithoutShowingIt() {
        for (Path k : List.of(ed25519Encrypted, rsaPemEncrypted)) {
            SshAuthenticationException e = assertThrows(SshAuthenticationException.class,
                    () -> SshConnection.open(trusted().identityFile(k, "wrong-guess".toCharArray()).build()));
            assertTrue(e.getMessage().contains(k.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-guess"), e.getMessage());
            assertThrows(SshAuthenticationException.class,
                    () -> SshConnection.open(trusted().identityFile(k).build()));
        }
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefused() {
        KeyPair stranger = TestSshServer.generateEc();
        SshAuthenticationException e = assertThrows(SshAuthenticationException.class,
                () -> SshConnection.open(trusted().identity(stranger).build()));
        assertTrue(e.getMessage().contains(KeyUtils.getFingerPrint(stranger.getPublic())), e.getMessage());
        assertTrue(e.getMessage().contains(TestSshServer.USER), e.getMessage());
    }

    @Test
    void passwordAuthenticationWorksWhenGivenAndIsNeverShown() throws IOException {
        SshConfig ok = trusted().identity(TestSshServer.generateEc()).password(PASSWORD.toCharArray()).build();
        assertConnects(ok);
        assertFalse(ok.toString().contains(PASSWORD), ok.toString());
        SshAuthenticationException e = assertThrows(SshAuthenticationException.class,
                () -> SshConnection.open(trusted().password("not-it-123".toCharArray()).build()));
        assertFalse(e.getMessage().contains("not-it-123"), e.getMessage());
        assertTrue(e.getMessage().contains("password"), e.getMessage());
    }

    @Test
    void secretsStayOutOfToString() {
        SshConfig cfg = trusted().identityFile(ed25519Encrypted, PASSPHRASE.toCharArray())
                .password(PASSWORD.toCharArray()).build();
        String s = cfg.toString();
        assertFalse(s.contains(PASSPHRASE) || s.contains(PASSWORD), s);
        assertTrue(s.contains("with passphrase") && s.contains("password=set"), s);
    }

    @Test
    void builderFailsFastOnRepeatedOptions() {
        assertThrows(IllegalStateException.class, () -> base().port(2));
        assertThrows(IllegalStateException.class, () -> trusted().knownHostsFile(dir));
        assertThrows(IllegalStateException.class, () -> base().agent(dir));
        assertThrows(IllegalArgumentException.class, () -> base().identityFile(dir.resolve("nope")));
        assertThrows(IllegalArgumentException.class, () -> SshConfig.builder("u", "h").sftpChannels(0));
    }

    @Test
    void sshAgentKeysLogIn() throws Exception {
        Keygen.requireTool("/usr/bin/ssh-agent");
        Path sock = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("/usr/bin/ssh-agent", "-D", "-a", sock.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) {
                Thread.sleep(50);
            }
            ProcessBuilder add = new ProcessBuilder("/usr/bin/ssh-add", ed25519.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process p = add.start();
            p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor());
            SshConfig cfg = SshConfig.builder(TestSshServer.USER, "127.0.0.1").port(server.port()).agent(sock)
                    .identity(TestSshServer.generateEc()) // not authorized: only the agent's key can log in
                    .hostKeyPolicy(HostKeyPolicy.pinnedKey(server.hostKey().getPublic()))
                    .retryPolicy(RetryPolicy.none()).build();
            assertConnects(cfg);
        } finally {
            agent.destroy();
        }
    }
}
