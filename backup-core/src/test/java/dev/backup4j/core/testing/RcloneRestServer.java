package dev.backup4j.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code rclone serve restic} (Debian's rclone) on 127.0.0.1 and a free port, serving a directory: restic's REST
 * protocol for the REST backend's tests, optionally {@code --append-only}. When rclone is missing, tests fail if
 * CI is "true" (CI installs it) and are skipped otherwise.
 */
public final class RcloneRestServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private RcloneRestServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a server for {@code root}; {@code appendOnly} refuses deletes (but of locks) and overwrites. */
    public static RcloneRestServer start(Path root, boolean appendOnly) throws IOException, InterruptedException {
        String rclone = binary();
        if (rclone == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("rclone is not installed, but CI=true: .ci/run must install it (apt-get install -y rclone)");
            }
            Assumptions.assumeTrue(false, "rclone not installed (apt-get install -y rclone)");
        }
        Files.createDirectories(root);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(rclone, "serve", "restic", "--addr", "127.0.0.1:" + port));
        if (appendOnly) {
            cmd.add("--append-only");
        }
        cmd.add(root.toString());
        Path log = Files.createTempFile("rclone", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("RCLONE_CONFIG", "/dev/null");
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket c = new Socket()) {
                c.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new RcloneRestServer(p, port, log);
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    fail("rclone serve restic exited: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        fail("rclone serve restic did not listen on " + port + ": " + Files.readString(log));
        return null;
    }

    /** The rclone binary's path, or null. */
    public static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "rclone");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The URL of repository {@code name} on this server. */
    public URI url(String name) {
        return URI.create("http://127.0.0.1:" + port + "/" + name + "/");
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
