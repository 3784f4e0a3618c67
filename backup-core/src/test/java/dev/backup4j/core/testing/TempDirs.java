package dev.backup4j.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A fresh temporary directory per property example (JUnit's @TempDir is one per test method). */
public final class TempDirs {
    private TempDirs() {
    }

    /** What a property example does in its directory. */
    public interface Body {
        void run(Path dir) throws IOException;
    }

    /** Runs {@code body} in a new temporary directory and deletes the directory afterwards, whatever happens. */
    public static void inTempDir(String prefix, Body body) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(prefix);
            body.run(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
