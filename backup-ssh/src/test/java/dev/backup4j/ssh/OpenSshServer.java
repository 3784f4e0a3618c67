package dev.backup4j.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenSSH {@code sshd} on 127.0.0.1 and a free port, configured entirely from files in a temp folder
 * (own host key, own authorized_keys, internal-sftp); no system configuration is read or changed. Fails on CI and
 * skips elsewhere if sshd is not installed.
 */
final class OpenSshServer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;
    private final Path clientKey;
    private final Path knownHosts;

    private OpenSshServer(Path dir, int port, Process process, Path clientKey, Path knownHosts) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
    }

    static OpenSshServer start(Path dir) throws IOException, InterruptedException {
        Keygen.requireTool("/usr/sbin/sshd");
        Keygen.requireTool("/usr/bin/ssh");
        // sshd refuses to start as root without its privilege separation folder, which the package's service
        // start-up normally creates; it is empty and shared with nothing.
        Path privsep = Path.of("/run/sshd");
        if (!Files.isDirectory(privsep)) {
            Files.createDirectories(privsep);
        }
        Path hostKey = Keygen.generate(dir, "ssh_host_ed25519_key", "ed25519", "");
        Path clientKey = Keygen.generate(dir, "id_ed25519", "ed25519", "");
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + Files.readString(Path.of(hostKey + ".pub")));
        Path config = dir.resolve("sshd_config");
        Files.write(config, List.of(
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin prohibit-password",
                "MaxSessions 20",
                "LogLevel ERROR",
                "Subsystem sftp internal-sftp"));
        Process p = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        OpenSshServer server = new OpenSshServer(dir, port, p, clientKey, knownHosts);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("sshd exited at once: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return server;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IOException("sshd did not listen on port " + port + " within 15 s");
                }
                Thread.sleep(50);
            }
        }
    }

    static String user() {
        return System.getProperty("user.name");
    }

    int port() {
        return port;
    }

    Path clientKey() {
        return clientKey;
    }

    Path knownHosts() {
        return knownHosts;
    }

    /** Our client configuration: the generated key, and the host key checked against the generated known_hosts. */
    SshConfig.Builder clientConfig() {
        return SshConfig.builder(user(), "127.0.0.1").port(port).identityFile(clientKey).noAgent()
                .knownHostsFile(knownHosts);
    }

    /** restic's {@code -o sftp.command=...} for this server, strict about the host key like ours. */
    String resticSftpCommand() {
        return "ssh -F /dev/null -p " + port + " -i " + clientKey + " -o IdentitiesOnly=yes -o BatchMode=yes"
                + " -o UserKnownHostsFile=" + knownHosts + " -o StrictHostKeyChecking=yes " + user()
                + "@127.0.0.1 -s sftp";
    }

    /** restic's short location form for {@code absolutePath} on this server. */
    String resticLocation(Path absolutePath) {
        return "sftp:" + user() + "@127.0.0.1:" + absolutePath;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OpenSshServer[127.0.0.1:" + port + ", " + dir + "]";
    }
}
