package dev.backup4j.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real {@code restic} binary against a repository. When restic is missing, tests fail if the environment
 * variable CI is "true" (CI installs it) and are skipped with a message otherwise.
 */
public final class Restic {
    private final String repo;
    private final String password;
    private final Map<String, String> env;

    private Restic(String repo, String password, Map<String, String> env) {
        this.repo = repo;
        this.password = password;
        this.env = env;
    }

    /** The same runner with these environment variables for every run (e.g. S3 credentials). */
    public Restic withEnvironment(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(extra);
        return new Restic(repo, password, Map.copyOf(all));
    }

    /** A runner for the repository at {@code repo}, failing or skipping the test if restic is missing. */
    public static Restic on(Path repo, String password) {
        return at(repo.toString(), password);
    }

    /** A runner for a repository given as restic's {@code -r} takes it ({@code rest:http://...}, {@code s3:...}). */
    public static Restic at(String location, String password) {
        requireRestic();
        return new Restic(location, password, Map.of());
    }

    /** Fails (CI) or skips (elsewhere) the current test if there is no restic binary. */
    public static void requireRestic() {
        if (binary() == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("restic is not installed, but CI=true: .ci/run must install it (apt-get install -y restic)");
            }
            Assumptions.assumeTrue(false, "restic not installed; install it (apt-get install -y restic) to run this test");
        }
    }

    /** The restic binary's path, or null. */
    public static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, "restic");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    /** The outcome of one restic run. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Fails the test unless restic exited 0. */
        public Result ok() {
            if (exitCode != 0) {
                fail("restic exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }

    /** Runs {@code restic -r REPO args...} with the password in the environment; 5 minutes at most. */
    public Result run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs {@code restic -r REPO args...} and returns its standard output as bytes; fails unless it exits 0. */
    public byte[] runBytes(String... args) throws IOException, InterruptedException {
        Raw r = runRaw(Map.of(), args);
        if (r.exitCode() != 0) {
            fail("restic " + String.join(" ", args) + " exited " + r.exitCode() + ":\n"
                    + new String(r.stderr(), StandardCharsets.UTF_8));
        }
        return r.stdout();
    }

    private record Raw(int exitCode, byte[] stdout, byte[] stderr) {
    }

    /** Runs restic with extra environment variables (e.g. TZ). */
    public Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Raw r = runRaw(env, args);
        return new Result(r.exitCode(), new String(r.stdout(), StandardCharsets.UTF_8),
                new String(r.stderr(), StandardCharsets.UTF_8));
    }

    /** Runs {@code restic -r REPO --no-cache args...} with the password in the environment; 5 minutes at most. */
    private Raw runRaw(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.add("-r");
        cmd.add(repo);
        cmd.add("--no-cache");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("RESTIC_PASSWORD", password);
        pb.environment().putAll(this.env);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("restic-out", ".bin");
        Path err = Files.createTempFile("restic-err", ".txt");
        try {
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("restic " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            return new Raw(p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
