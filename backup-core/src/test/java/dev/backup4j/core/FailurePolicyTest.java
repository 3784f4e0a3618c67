package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backup.BackupListener;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.backup.BackupStatus;
import dev.backup4j.core.backup.RunningBackup;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.FailurePolicy;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntries;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.SourceFailedException;
import dev.backup4j.core.testing.Restic;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a source failing as a whole does: streams and commands fail the backup by default (the same default), unless
 * given {@link FailurePolicy#MARK_INCOMPLETE}; local directories mark the snapshot incomplete, as restic does; an entry
 * below a source's root that cannot be read is always only that entry's error.
 */
class FailurePolicyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-05T01:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private Repository init() throws IOException {
        return Repository.at(Backends.local(tmp.resolve("repo"))).password("pw")
                .kdf(KdfParams.insecureFastForTests()).hostname("h").clock(CLOCK).init();
    }

    private Path files() throws IOException {
        Path src = tmp.resolve("moodledata");
        Files.createDirectories(src);
        Files.writeString(src.resolve("course.txt"), "course 42\n");
        return src;
    }

    private static SnapshotSource refusingStream() {
        return SnapshotSources.stream("/db/lms.sql", () -> {
            throw new ConnectException("connection refused");
        }, CLOCK);
    }

    /** A stream that fails after a few bytes, as a dump whose connection drops. */
    private static SnapshotSource breakingStream() {
        return SnapshotSources.stream("/db/lms.sql", () -> new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (n >= 5) {
                    throw new IOException("connection reset");
                }
                int k = Math.min(len, 5 - n);
                java.util.Arrays.fill(b, off, off + k, (byte) 'x');
                n += k;
                return k;
            }
        }, CLOCK);
    }

    private static SnapshotSource failingCommand() {
        return SnapshotSources.command("/db/lms.sql",
                List.of("sh", "-c", "echo partial; echo 'FATAL: database is starting up' >&2; exit 2"), CLOCK);
    }

    @Test
    void streamsAndCommandsShareTheDefaultAndLocalDirectoriesKeepRestics() {
        assertEquals(FailurePolicy.FAIL_BACKUP, refusingStream().failurePolicy());
        assertEquals(FailurePolicy.FAIL_BACKUP, failingCommand().failurePolicy());
        assertEquals(FailurePolicy.MARK_INCOMPLETE, SnapshotSources.directory(tmp).failurePolicy());
        assertEquals(FailurePolicy.FAIL_BACKUP, new SnapshotSource() {
            @Override
            public String path() {
                return "/x";
            }

            @Override
            public SourceEntry root() {
                throw new UnsupportedOperationException();
            }
        }.failurePolicy(), "the SPI's default");
        SnapshotSource marked = SnapshotSources.withFailurePolicy(refusingStream(), FailurePolicy.MARK_INCOMPLETE);
        assertEquals(FailurePolicy.MARK_INCOMPLETE, marked.failurePolicy());
        assertEquals("/db/lms.sql", marked.path());
        assertEquals(FailurePolicy.FAIL_BACKUP,
                SnapshotSources.withFailurePolicy(marked, FailurePolicy.FAIL_BACKUP).failurePolicy());
    }

    @Test
    void aStreamWhoseOpenerThrowsFailsTheBackupByDefault() throws Exception {
        Path src = files();
        try (Repository repo = init()) {
            SourceFailedException e = assertThrows(SourceFailedException.class,
                    () -> repo.backup().path(src).source(refusingStream()).run());
            assertEquals("/db/lms.sql: connection refused", e.getMessage());
            assertInstanceOf(ConnectException.class, e.getCause());
            assertEquals(List.of(), repo.snapshots(), "no snapshot without the dump");
            assertEquals(List.of(), repo.backend().list(FileType.LOCK));

            SourceFailedException mid = assertThrows(SourceFailedException.class,
                    () -> repo.backup().path(src).source(breakingStream()).run());
            assertEquals("/db/lms.sql: connection reset", mid.getMessage());
            assertEquals(List.of(), repo.snapshots());
        }
        Restic.on(tmp.resolve("repo"), "pw").run("check", "--read-data").ok();
    }

    @Test
    void aStreamMarkedIncompleteLeavesTheDumpOutAndSavesTheRest() throws Exception {
        Path src = files();
        List<String> reported = new CopyOnWriteArrayList<>();
        try (Repository repo = init()) {
            BackupResult r = repo.backup().path(src)
                    .source(SnapshotSources.withFailurePolicy(refusingStream(), FailurePolicy.MARK_INCOMPLETE))
                    .listener(new BackupListener() {
                        @Override
                        public void onStatus(BackupStatus status) {
                        }

                        @Override
                        public void onError(String path, String message) {
                            reported.add(path + ": " + message);
                        }
                    }).run();
            assertEquals(List.of(new BackupResult.BackupError("/db/lms.sql", "connection refused")), r.errors());
            assertEquals(List.of("/db/lms.sql: connection refused"), reported);
            assertTrue(r.snapshot().incomplete());
            assertEquals(List.of(src.toAbsolutePath().toString(), "/db/lms.sql"), r.snapshot().paths());
            assertEquals(1, r.filesNew());

            BackupResult broken = repo.backup().path(src)
                    .source(SnapshotSources.withFailurePolicy(breakingStream(), FailurePolicy.MARK_INCOMPLETE))
                    .run();
            assertEquals(List.of(new BackupResult.BackupError("/db/lms.sql", "connection reset")), broken.errors());
        }
        Restic restic = Restic.on(tmp.resolve("repo"), "pw");
        restic.run("check", "--read-data").ok();
        String ls = restic.run("ls", "latest").ok().stdout();
        assertTrue(ls.contains(src.toAbsolutePath() + "/course.txt"), ls);
        assertFalse(ls.lines().anyMatch(l -> l.equals("/db/lms.sql")), ls);
    }

    @Test
    void aCommandThatFailsFailsTheBackupUnlessMarkedIncomplete() throws Exception {
        Path src = files();
        try (Repository repo = init()) {
            SourceFailedException e = assertThrows(SourceFailedException.class,
                    () -> repo.backup().path(src).source(failingCommand()).run());
            assertTrue(e.getMessage().contains("exited with status 2")
                    && e.getMessage().contains("database is starting up"), e.getMessage());
            assertEquals(List.of(), repo.snapshots());

            BackupResult r = repo.backup().path(src)
                    .source(SnapshotSources.withFailurePolicy(failingCommand(), FailurePolicy.MARK_INCOMPLETE))
                    .run();
            assertEquals(1, r.errors().size());
            assertEquals("/db/lms.sql", r.errors().get(0).path());
            assertTrue(r.errors().get(0).message().contains("exited with status 2"), r.errors().toString());
            assertTrue(r.snapshot().incomplete());

            SnapshotSource missing = SnapshotSources.command("/db/lms.sql", List.of("no-such-program-here"), CLOCK);
            assertThrows(SourceFailedException.class, () -> repo.backup().path(src).source(missing).run());
            BackupResult notStarted = repo.backup().path(src)
                    .source(SnapshotSources.withFailurePolicy(missing, FailurePolicy.MARK_INCOMPLETE)).run();
            assertTrue(notStarted.errors().get(0).message().contains("cannot start no-such-program-here"),
                    notStarted.errors().toString());
            assertEquals(2, repo.snapshots().size());
        }
        Restic.on(tmp.resolve("repo"), "pw").run("check", "--read-data").ok();
    }

    @Test
    void aFailingSourceEndsTheBackupWithoutWaitingForTheFilesStillBeingRead() throws Exception {
        byte[] data = new byte[1 << 20];
        CancelBackupTest.BlockingStream stuck = new CancelBackupTest.BlockingStream(data, 1000, false);
        SnapshotSource slow = SnapshotSources.stream("/db/a.sql", () -> stuck, CLOCK);
        SnapshotSource failing = SnapshotSources.stream("/db/b.sql", () -> {
            try {
                stuck.reached.await(); // fail only once the other stream is blocked mid-read
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            throw new ConnectException("connection refused");
        }, CLOCK);
        try (Repository repo = init()) {
            RunningBackup running = repo.backup().source(slow).source(failing).workers(2).start();
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> running.result().get(2, java.util.concurrent.TimeUnit.MINUTES));
            assertInstanceOf(SourceFailedException.class, e.getCause());
            assertEquals("/db/b.sql: connection refused", e.getCause().getMessage());
            assertThrows(SourceFailedException.class, running::await);
            assertTrue(stuck.closed.get(), "the blocked read was stopped, not waited for");
            assertEquals(RunningBackup.State.FAILED, running.state());
            assertEquals(List.of(), repo.snapshots());
            assertEquals(List.of(), repo.backend().list(FileType.LOCK));
        }
    }

    /** A source of the application's own: its root cannot be listed, or one entry below it cannot be read. */
    private static SnapshotSource custom(boolean rootFails) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new SnapshotSource() {
            @Override
            public String path() {
                return "/lms/courses";
            }

            @Override
            public SourceEntry root() {
                return SourceEntries.directory("courses", t, () -> {
                    if (rootFails) {
                        throw new IOException("course store unavailable");
                    }
                    return List.of(
                            SourceEntries.file("ok.md", 2, t, () -> new ByteArrayInputStream(
                                    "ok".getBytes(StandardCharsets.UTF_8))),
                            SourceEntries.file("gone.md", 2, t, () -> {
                                throw new java.nio.file.NoSuchFileException("gone.md");
                            }));
                });
            }
        };
    }

    @Test
    void aCustomSourceFailsAsAWholeOnlyAtItsRoot() throws Exception {
        try (Repository repo = init()) {
            SourceFailedException e = assertThrows(SourceFailedException.class,
                    () -> repo.backup().source(custom(true)).run());
            assertEquals("/lms/courses: course store unavailable", e.getMessage());

            BackupResult marked = repo.backup()
                    .source(SnapshotSources.withFailurePolicy(custom(true), FailurePolicy.MARK_INCOMPLETE)).run();
            assertEquals(List.of(new BackupResult.BackupError("/lms/courses", "course store unavailable")),
                    marked.errors());

            // below the root, an unreadable entry is that entry's error, whatever the policy
            BackupResult entry = repo.backup().source(custom(false)).run();
            assertEquals(List.of(new BackupResult.BackupError("/lms/courses/gone.md",
                    "no such file (vanished during the backup?)")), entry.errors());
            assertEquals(1, entry.filesNew());
            assertTrue(entry.snapshot().incomplete());
        }
    }

    @Test
    void aSourceFailedExceptionBelowTheRootIsTheSourcesFailure() throws Exception {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        SnapshotSource remoteLike = new SnapshotSource() {
            @Override
            public String path() {
                return "/remote/www";
            }

            @Override
            public SourceEntry root() {
                return SourceEntries.directory("www", t, List.of(SourceEntries.file("index.php", 3, t, () -> {
                    throw new SourceFailedException("lost the connection to app1");
                })));
            }
        };
        try (Repository repo = init()) {
            SourceFailedException e = assertThrows(SourceFailedException.class,
                    () -> repo.backup().source(remoteLike).run());
            assertEquals("lost the connection to app1", e.getMessage(), "the source's own exception, as it is");
            BackupResult r = repo.backup()
                    .source(SnapshotSources.withFailurePolicy(remoteLike, FailurePolicy.MARK_INCOMPLETE)).run();
            assertEquals(List.of(new BackupResult.BackupError("/remote/www/index.php",
                    "lost the connection to app1")), r.errors());
        }
    }
}
