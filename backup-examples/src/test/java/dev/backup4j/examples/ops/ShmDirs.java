package dev.backup4j.examples.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/** Temporary directories on tmpfs where there is one: a local repository whose fsyncs cost nothing, for tests that make hundreds of backups. */
public class ShmDirs implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext e, ExtensionContext c) throws Exception {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) ? Files.createTempDirectory(shm, "ops") : Files.createTempDirectory("ops");
    }
}
