package dev.backup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * same either way. (The other tests run on the class path.)
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

    private static void run(String name, List<String> jvmOptions, boolean opened) throws Exception {
        Path work = Files.createDirectories(tmp.resolve(name));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("--module-path", LibraryModulePath.asArgument(modulePath) + File.pathSeparator
                + classes, "-m", "consumer/consumer.Main", source.toString(), work.toString()));
        Path log = work.resolve("output.txt");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "consumer did not finish");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + output);
        assertTrue(output.contains("module dev.backup4j.core named true"), output);
        assertTrue(output.contains("sun.nio.fs open to dev.backup4j.core: " + opened), output);

        Map<String, String> expected = TreeDigest.of(source);
        String inside = source.toString().substring(1); // restore recreates the snapshot's absolute path
        assertEquals(expected, TreeDigest.of(work.resolve("local").resolve(inside)), output);
        assertEquals(expected, TreeDigest.of(work.resolve("sftp").resolve(inside)), output);
    }
}
