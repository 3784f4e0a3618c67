package dev.backup4j.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs OpenSSH's tools for tests; absent tools fail the test on CI and skip it elsewhere. */
final class Keygen {
    private Keygen() {
    }

    static void requireTool(String path) {
        boolean present = Files.isExecutable(Path.of(path));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(path + " is missing on CI: .ci/run must install openssh-server/openssh-client");
        }
        Assumptions.assumeTrue(present, path + " is not installed (apt-get install openssh-server); skipping");
    }

    /** {@code ssh-keygen -t type -f file -N passphrase [extra...]}; returns the private key file. */
    static Path generate(Path dir, String name, String type, String passphrase, String... extra) throws IOException {
        requireTool("/usr/bin/ssh-keygen");
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh-keygen", "-q", "-t", type, "-f", key.toString(),
                "-N", passphrase, "-C", name));
        cmd.addAll(List.of(extra));
        run(cmd);
        return key;
    }

    static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
