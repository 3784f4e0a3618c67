package dev.backup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.TreeDigest;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup4j as a named-module application uses it: src/it/module-consumer ({@code module consumer { requires
 * dev.backup4j.core; requires dev.backup4j.ssh; ... }}) is compiled with javac and run with {@code java -m} on the
 * module path made of the library modules as built (their jars under {@code mvn verify}) and their dependencies. It
 * backs up a folder to a local and to an SFTP repository and restores each; the restored trees must equal the
 * folder. Run with and without {@code --add-opens java.base/sun.nio.fs=dev.backup4j.core}, the option docs/modules.md
 * gives module-path users: the program reports whether the package is open to backup-core, and the result must be the
 * same either way. {@link #theSixLmsTasks} runs consumer.LmsTasks the same way. (The other tests run on the class
 * path.)
 */
class ModulePathConsumerTest {
    static final Path CONSUMER = Path.of("src/it/module-consumer");

    @TempDir
    static Path tmp;
    static List<Path> modulePath;
    static Path classes;
    static Path source;

    @BeforeAll
    static void compileTheConsumer() throws IOException {
        modulePath = LibraryModulePath.entries();
        classes = tmp.resolve("consumer-classes");
        List<String> args = new ArrayList<>(List.of("--module-path", LibraryModulePath.asArgument(modulePath),
                "-d", classes.toString(), "-Xlint:all,-requires-automatic", "-Werror"));
        try (Stream<Path> files = Files.walk(CONSUMER)) {
            files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().forEach(args::add);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int code = javac.run(null, errors, errors, args.toArray(String[]::new));
        assertEquals(0, code, "javac " + args + "\n" + errors);

        source = Files.createDirectories(tmp.resolve("source"));
        Files.writeString(source.resolve("notes.txt"), "module path\n", StandardCharsets.UTF_8);
        Files.createDirectories(source.resolve("course42/empty"));
        byte[] big = new byte[3 << 20]; // several chunks
        new Random(42).nextBytes(big);
        Files.write(source.resolve("course42/video.bin"), big);
        Files.write(source.resolve("course42/zero-length"), new byte[0]);
        Files.createSymbolicLink(source.resolve("course42/link"), Path.of("../notes.txt"));
    }

    @Test
    void withSunNioFsOpenedToBackupCore() throws Exception {
        run("opened", List.of("--add-opens", "java.base/sun.nio.fs=dev.backup4j.core"), true);
    }

    @Test
    void withoutIt() throws Exception {
        run("plain", List.of(), false);
    }

    /**
     * The six tasks of an LMS vendor (consumer.LmsTasks: folder and dump, a custom course source, a preset with
     * academic terms over three simulated years, restore by date, progress and cancellation, maintenance), each
     * checking its outcome; then the stock restic binary checks every byte of the repository they leave.
     */
    @Test
    void theSixLmsTasks() throws Exception {
        Restic.requireRestic();
        Path work = Files.createDirectories(tmp.resolve("lms"));
        String output = runMain("consumer.LmsTasks", List.of(), List.of(work.toString()), work);
        output.lines().filter(l -> l.startsWith("task ")).forEach(System.out::println);
        for (int task = 1; task <= 6; task++) {
            assertTrue(output.contains("task " + task + " ok: "), "task " + task + ":\n" + output);
        }
        Restic.Result check = Restic.on(work.resolve("repo"), "lms tasks").run("check", "--read-data");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        String snapshots = Restic.on(work.resolve("repo"), "lms tasks").run("snapshots", "--json").ok().stdout();
        assertTrue(snapshots.contains("\"/moodledata\"") && snapshots.contains("\"/lms/course42\""), snapshots);
    }

    private static String runMain(String mainClass, List<String> jvmOptions, List<String> args, Path work)
            throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("--module-path", LibraryModulePath.asArgument(modulePath) + File.pathSeparator
                + classes, "-m", "consumer/" + mainClass));
        command.addAll(args);
        Path log = work.resolve("output.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("consumer did not finish:\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }

    private static void run(String name, List<String> jvmOptions, boolean opened) throws Exception {
        Path work = Files.createDirectories(tmp.resolve(name));
        String output = runMain("consumer.Main", jvmOptions, List.of(source.toString(), work.toString()), work);
        assertTrue(output.contains("module dev.backup4j.core named true"), output);
        assertTrue(output.contains("sun.nio.fs open to dev.backup4j.core: " + opened), output);

        Map<String, String> expected = TreeDigest.of(source);
        String inside = source.toString().substring(1); // restore recreates the snapshot's absolute path
        assertEquals(expected, TreeDigest.of(work.resolve("local").resolve(inside)), output);
        assertEquals(expected, TreeDigest.of(work.resolve("sftp").resolve(inside)), output);
    }
}
