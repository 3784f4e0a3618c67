package dev.backup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/**
 * The CLI in a process of its own, as a user runs it: what reaches the real standard error, where picocli's
 * warnings and the library's log lines (slf4j-simple) go, which an in-process run with its own writers never sees.
 */
class CliProcessTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    /** Runs {@code main} of {@code mainClass} in a new JVM with this test's class path. */
    private Run java(Map<String, String> env, Class<?> mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("BACKUP_"));
        pb.environment().putAll(env);
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The names of the subcommands the CLI registers (all of them when no argument names one). */
    static List<String> subcommands() throws ReflectiveOperationException {
        java.lang.reflect.Field f = BackupCli.class.getDeclaredField("SUBCOMMANDS");
        f.setAccessible(true);
        List<String> names = new ArrayList<>();
        for (Object c : (List<?>) f.get(null)) {
            names.add(((Class<?>) c).getAnnotation(Command.class).name());
        }
        return names;
    }

    /** Renders the root's and every subcommand's {@code --help}; prints each command's name to stderr first. */
    public static final class HelpForAll {
        private HelpForAll() {
        }

        /** Entry point of the child JVM. */
        public static void main(String[] args) throws Exception {
            List<String> names = new ArrayList<>(List.of(""));
            names.addAll(subcommands());
            for (String name : names) {
                System.err.println("== " + name);
                System.err.flush();
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                String[] a = name.isEmpty() ? new String[] {"--help"} : new String[] {name, "--help"};
                int code = BackupCli.run(new BackupCli(Map.of()), a, new PrintWriter(out), new PrintWriter(err));
                System.out.println("== " + name + " exit " + code);
                System.out.println(out);
                System.err.print(err);
                System.err.flush();
            }
        }
    }

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() throws Exception {
        List<String> names = subcommands();
        assertTrue(names.containsAll(List.of("init", "backup", "restore", "forget", "prune", "check", "simulate")),
                names.toString());
        Run r = java(Map.of(), HelpForAll.class);
        assertEquals(0, r.code(), r.err());
        for (String name : names) {
            assertTrue(r.out().contains("== " + name + " exit 0\nUsage: backup " + name + " "),
                    name + "'s help is missing:\n" + r.out());
        }
        // picocli reports a description it cannot format (an unescaped %) on the process's stderr
        List<String> notMarkers = r.err().lines().filter(l -> !l.startsWith("== ")).toList();
        assertEquals(List.of(), notMarkers, "stderr while rendering help:\n" + r.err());
    }

    @Test
    void anUnreadableFileIsReportedOnceAsRestic() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "alpha\n");
        String repo = tmp.resolve("repo").toString();
        Map<String, String> env = Map.of("BACKUP_PASSWORD", "cli-secret");
        assertEquals(0, java(env, BackupCli.class, "--repo", repo, "init").code());
        // /proc/self/mem is a regular file that even root cannot read from offset 0
        Run b = java(env, BackupCli.class, "--repo", repo, "--no-cache", "backup", src.toString(),
                "/proc/self/mem");
        assertEquals(BackupCli.INCOMPLETE, b.code(), b.out() + b.err());
        List<String> about = b.err().lines().filter(l -> l.contains("/proc/self/mem")).toList();
        assertEquals(1, about.size(), "reported once:\n" + b.err());
        assertTrue(about.get(0).startsWith("error: /proc/self/mem: "), about.get(0));
        assertFalse(b.err().contains("WARN"), "no log line besides it:\n" + b.err());
        assertTrue(b.err().endsWith("Warning: at least one source file could not be read; the snapshot is marked"
                + " incomplete\n"), b.err());
    }

    @Test
    void permissionDeniedIsPrintedAsResticPrintsIt() {
        assertEquals("error: open /srv/secret: permission denied", Errors.backupError("/srv/secret",
                "permission denied"));
        assertEquals("error: /srv/x: no such file (vanished during the backup?)", Errors.backupError("/srv/x",
                "no such file (vanished during the backup?)"));
    }
}
