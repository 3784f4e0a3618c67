package dev.backup4j.core.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.crypto.KdfParams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP handling is the embedding application's unless it opts in ({@code Opener.ignoreSighup(true)}). Each case
 * runs in a JVM of its own: a signal handler, once replaced, stays replaced for the life of the JVM.
 */
class SighupTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private Run child(List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LockHolder.class.getName());
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the child JVM did not finish in 2 minutes: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip(),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void byDefaultTakingALockLeavesTheJvmsHandlerInPlace() throws Exception {
        Run r = child(List.of(), tmp.resolve("repo").toString(), "default", "inspect");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("dev.backup4j"), "the JVM's own handler is still installed: " + r.out());
        assertTrue(r.out().startsWith("locked\nhandler "), r.out());
    }

    @Test
    void byDefaultAHangupEndsTheJvmAsItAlwaysDoes() throws Exception {
        Run r = child(List.of(), tmp.resolve("repo").toString(), "default", "hangup");
        assertEquals(128 + 1, r.code(), "exit status of a JVM ended by SIGHUP; stderr: " + r.err());
        assertEquals("locked", r.out());
    }

    @Test
    void optedInTheFirstLockInstallsTheLibrarysIgnoringHandler() throws Exception {
        Run r = child(List.of(), tmp.resolve("repo").toString(), "ignore", "inspect");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("locked\nhandler dev.backup4j.core.maintenance.Sighup"), r.out());
    }

    @Test
    void withoutJdkUnsupportedTheOptionWarnsOnceAndLocksStillWork() throws Exception {
        // java.se holds every java.* module but not jdk.unsupported, where sun.misc.Signal lives: the same
        // NoClassDefFoundError a named module that does not read jdk.unsupported gets
        Run r = child(List.of("--limit-modules", "java.se"), tmp.resolve("repo").toString(), "ignore", "release");
        assertEquals(0, r.code(), r.err());
        assertEquals("locked\nreleased\nlocked\nreleased", r.out());
        assertEquals(1, r.err().split("cannot ignore SIGHUP", -1).length - 1, r.err());
        assertTrue(r.err().contains("requires jdk.unsupported"), r.err());
    }

    /** The child JVM: takes a shared lock on a new repository, then inspects, hangs up or releases. */
    public static final class LockHolder {
        private LockHolder() {
        }

        /** {@code REPO default|ignore inspect|hangup|release}. */
        public static void main(String[] args) throws Exception {
            Repository.Opener o = Repository.at(Backends.local(Path.of(args[0]))).password("pw")
                    .kdf(KdfParams.insecureFastForTests()).lockCheckDelay(java.time.Duration.ZERO);
            if (args[1].equals("ignore")) {
                o.ignoreSighup(true);
            }
            try (Repository repo = o.init()) {
                int rounds = args[2].equals("release") ? 2 : 1;
                for (int i = 0; i < rounds; i++) {
                    RepositoryLock lock = Locks.on(repo).acquire(false);
                    System.out.println("locked");
                    System.out.flush();
                    switch (args[2]) {
                        case "inspect" -> {
                            System.out.println("handler " + Inspect.currentHupHandler());
                            lock.close();
                        }
                        case "hangup" -> {
                            new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                                    .start().waitFor();
                            while (true) {
                                Thread.sleep(60_000); // until the signal ends this JVM
                            }
                        }
                        default -> {
                            lock.close();
                            System.out.println("released");
                        }
                    }
                }
            }
        }
    }

    /** Kept apart so that the child started without jdk.unsupported never links it. */
    private static final class Inspect {
        @SuppressWarnings("restriction")
        static String currentHupHandler() {
            sun.misc.Signal hup = new sun.misc.Signal("HUP");
            sun.misc.SignalHandler current = sun.misc.Signal.handle(hup, sun.misc.SignalHandler.SIG_DFL);
            sun.misc.Signal.handle(hup, current);
            return current.getClass().getName();
        }
    }
}
