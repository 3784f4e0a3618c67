package dev.backup4j.core.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.restore.RestoreTarget;
import dev.backup4j.core.restore.SnapshotDump;
import dev.backup4j.core.restore.SnapshotSelector;
import dev.backup4j.core.snapshot.SourceFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's exceptions: every public exception class of backup-core is a {@link RepositoryException} or one of
 * its documented siblings, and all are listed in the {@code common} package documentation; the repository
 * conditions are thrown under their names.
 */
class ExceptionsTest {
    /** Public IOExceptions of backup-core that are not the repository's conditions, each documented as such. */
    private static final Set<Class<?>> SIBLINGS = Set.of(SourceFailedException.class,
            RestoreTarget.MetadataNotRestoredException.class);

    @TempDir
    Path tmp;

    /** Every public class of backup-core's main code that is an exception. */
    private static List<Class<?>> publicExceptions() throws Exception {
        Path classes = Path.of("target/classes");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.endsWith("package-info") || name.endsWith("module-info")) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, ExceptionsTest.class.getClassLoader());
                boolean visible = Modifier.isPublic(c.getModifiers())
                        && (c.getEnclosingClass() == null || Modifier.isPublic(c.getEnclosingClass().getModifiers()));
                if (visible && Throwable.class.isAssignableFrom(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    @Test
    void everyPublicExceptionIsARepositoryExceptionOrADocumentedSibling() throws Exception {
        List<Class<?>> all = publicExceptions();
        assertTrue(all.size() >= 11, all.toString()); // the scan found the classes
        String doc = Files.readString(Path.of("src/main/java/dev/backup4j/core/common/package-info.java"));
        for (Class<?> c : all) {
            assertTrue(RepositoryException.class.isAssignableFrom(c) || SIBLINGS.contains(c),
                    c.getName() + " is neither a RepositoryException nor a documented sibling");
            assertTrue(doc.contains(c.getSimpleName()), c.getName() + " is not listed in common/package-info.java");
        }
    }

    private Repository.Opener opener(String password) {
        return Repository.at(Backends.local(tmp.resolve("repo"))).password(password)
                .kdf(KdfParams.insecureFastForTests());
    }

    @Test
    void repositoryConditionsAreThrownUnderTheirNames() throws Exception {
        assertThrows(RepositoryNotFoundException.class, () -> opener("pw").open());
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("a.txt"), "a");
        Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
        try (Repository repo = opener("pw").init()) {
            repo.backup().path(src).run();
            assertThrows(RepositoryExistsException.class, () -> opener("pw").init());
            assertThrows(WrongPasswordException.class, () -> opener("other").open());
            assertThrows(NoSuchSnapshotException.class, () -> repo.snapshot("abcdef"));

            // the caller's path, not damage: before, a missing sub-path and a dumped symlink were CorruptDataException
            NoSuchPathException sub = assertThrows(NoSuchPathException.class, () -> repo.restore("latest:/no/such")
                    .target(tmp.resolve("out")).run());
            assertEquals("/no/such", sub.path());
            String link = src.toAbsolutePath() + "/link";
            NoSuchPathException dumped = assertThrows(NoSuchPathException.class,
                    () -> SnapshotDump.write(repo, SnapshotSelector.latest(), link, OutputStream.nullOutputStream()));
            assertEquals(link, dumped.path());

            try (RepositoryLock exclusive = Locks.on(repo).acquire(true)) {
                IOException locked = assertThrows(IOException.class, () -> repo.backup().path(src).run());
                assertInstanceOf(RepositoryLockedException.class, locked);
            }
        }
    }
}
