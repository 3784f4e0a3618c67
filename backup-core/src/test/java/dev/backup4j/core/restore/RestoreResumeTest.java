package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.testing.TreeDigest;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restore killed midway (backend fault, thread interrupt) is resumed by running it again, to an identical tree. */
class RestoreResumeTest {
    @TempDir
    Path tmp;
    Path src;
    Path repoDir;
    Map<String, String> expected;

    @BeforeEach
    void backUp() throws Exception {
        src = Files.createDirectories(tmp.resolve("src"));
        Random rnd = new Random(11);
        for (int i = 0; i < 40; i++) {
            byte[] b = new byte[i % 5 == 0 ? 400_000 + rnd.nextInt(300_000) : rnd.nextInt(30_000)];
            rnd.nextBytes(b);
            Files.write(Files.createDirectories(src.resolve("d" + (i % 4))).resolve("f" + i), b);
        }
        expected = TreeDigest.of(src);
        repoDir = tmp.resolve("repo");
        try (Repository repo = Fixtures.opener(repoDir).init()) {
            repo.backup().path(src).run();
        }
    }

    private Path restored(Path target) {
        return target.resolve(src.toString().substring(1));
    }

    private void assertNoPartialFiles(Path target) throws Exception {
        try (Stream<Path> s = Files.walk(target)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                assertFalse(p.getFileName().toString().endsWith(".backup4j-restore"), "temporary file left: " + p);
                String rel = restored(target).relativize(p).toString();
                try {
                    assertEquals(expected.get(rel), TreeDigest.describe(p, true), "a file under its final name is complete");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void backendFaultFailsSomeFilesAndARerunCompletesThem() throws Exception {
        Path target = tmp.resolve("out");
        Fixtures.FailingReads faulty = new Fixtures.FailingReads(Backends.local(repoDir));
        try (Repository repo = Fixtures.opener(faulty).open()) {
            RestoreReport r;
            try (RestoreTarget t = RestoreTargets.directory(target)) {
                RestorePlan plan = RestorePlanner.of(repo, SnapshotSelector.latest()).plan(t);
                faulty.packReads.set(0);
                faulty.okReads = 3; // the 4th range read and all after it fail, even when retried
                r = RestoreExecutor.of(repo).threads(2).execute(plan, t);
            }
            assertFalse(r.complete());
            assertTrue(r.errors().get(0).message().contains("injected fault"), r.errors().toString());
            assertTrue(r.errors().stream().allMatch(e -> e.path().startsWith(src.toString() + "/d")));
            assertNoPartialFiles(target);

            faulty.okReads = Integer.MAX_VALUE;
            try (RestoreTarget t = RestoreTargets.directory(target)) {
                RestorePlan again = RestorePlanner.of(repo, SnapshotSelector.latest()).plan(t);
                assertTrue(again.counts().get(RestoreAction.Kind.KEEP) > 0, "completed files are kept");
                assertEquals(r.errors().size(), again.actions().stream().filter(RestoreAction::writesContent).count(),
                        "exactly the failed files are restored again");
                RestoreReport r2 = RestoreExecutor.of(repo).execute(again, t);
                assertTrue(r2.complete(), r2.errors().toString());
            }
        }
        assertEquals(expected, TreeDigest.of(restored(target)));
    }

    @Test
    void interruptedRestoreLeavesNoPartialFileAndResumes() throws Exception {
        Path target = tmp.resolve("out");
        try (Repository repo = Fixtures.opener(repoDir).open()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread main = new Thread(() -> {
                Thread self = Thread.currentThread();
                RestoreListener interruptEarly = new RestoreListener() {
                    @Override
                    public void done(RestoreAction action) {
                        if (action.type() == dev.backup4j.core.snapshot.NodeType.FILE) {
                            self.interrupt();
                        }
                    }
                };
                try (RestoreTarget t = RestoreTargets.directory(target)) {
                    RestoreExecutor.of(repo).threads(2).listener(interruptEarly)
                            .execute(RestorePlanner.of(repo, SnapshotSelector.latest()).plan(t), t);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            main.start();
            main.join(60_000);
            assertInstanceOf(InterruptedIOException.class, thrown.get());
            assertNoPartialFiles(target);
            long before;
            try (Stream<Path> s = Files.walk(target)) {
                before = s.filter(Files::isRegularFile).count();
            }
            assertTrue(before < 40, "the restore stopped early: " + before + " files");

            {
                var r = repo.restore("latest").target(target).run();
                assertTrue(r.complete(), r.errors().toString());
                assertEquals(40 - before, r.files(), "only the missing files are written");
            }
        }
        assertEquals(expected, TreeDigest.of(restored(target)));
    }
}
