package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.backup.BackupListener;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.backup.BackupStatus;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.restore.RestoreAction;
import dev.backup4j.core.restore.RestoreListener;
import dev.backup4j.core.restore.RestorePlan;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.Tree;
import dev.backup4j.core.testing.TestSources;
import dev.backup4j.core.testing.TreeDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A listener that throws never changes a backup's or a restore's outcome: every callback is still called (a status
 * callback that threw is called again at the next tick), the result is what it is without the listener, and the
 * exception is logged once per listener, not once per call.
 */
class ListenerIsolationTest {
    private static final OffsetDateTime TIME = OffsetDateTime.parse("2026-02-03T04:05:06Z");

    @TempDir
    Path tmp;

    private Repository open() throws IOException {
        Path dir = tmp.resolve("repo");
        Repository.Opener o = Repository.at(Backends.local(dir)).password("pw").kdf(KdfParams.insecureFastForTests())
                .packSize(64 * 1024).hostname("h");
        return Files.exists(dir) ? o.open() : o.init();
    }

    private Path tree() throws IOException {
        Path src = tmp.resolve("src");
        Random rnd = new Random(7);
        for (int i = 0; i < 6; i++) {
            byte[] b = new byte[30_000 + rnd.nextInt(90_000)];
            rnd.nextBytes(b);
            Path p = src.resolve(i % 2 == 0 ? "a" : "b").resolve("f" + i);
            Files.createDirectories(p.getParent());
            Files.write(p, b);
        }
        return src;
    }

    /** The local tree plus a file that cannot be opened, so that onError is called too. */
    private static SnapshotSource withUnreadable(Path src) {
        Node meta = Node.builder("locked.db", NodeType.FILE).unixMode(0600).mtime(TIME).size(4).build();
        return TestSources.withExtraEntry(SnapshotSources.directory(src), new SourceEntry() {
            @Override
            public Node metadata() {
                return meta;
            }

            @Override
            public List<SourceEntry> children() {
                throw new UnsupportedOperationException();
            }

            @Override
            public InputStream open() throws IOException {
                throw new AccessDeniedException(src + "/locked.db");
            }
        });
    }

    /** A listener that counts every call and throws from the callbacks named in {@code throwing}. */
    static final class Throwing implements BackupListener {
        final Set<String> throwing;
        final AtomicInteger status = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger files = new AtomicInteger();

        Throwing(Set<String> throwing) {
            this.throwing = throwing;
        }

        private void maybeThrow(String callback) {
            if (throwing.contains(callback)) {
                throw new IllegalStateException("listener bug in " + callback);
            }
        }

        @Override
        public void onStatus(BackupStatus s) {
            status.incrementAndGet();
            maybeThrow("onStatus");
        }

        @Override
        public void onError(String path, String message) {
            errors.incrementAndGet();
            maybeThrow("onError");
        }

        @Override
        public void onFileDone(String path, long bytes, boolean unchanged) {
            files.incrementAndGet();
            maybeThrow("onFileDone");
        }
    }

    /** What is logged to standard error (where slf4j-simple writes) while {@code body} runs. */
    private static String stderrOf(IoBody body) throws IOException {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(saved);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    interface IoBody {
        void run() throws IOException;
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"onStatus", "onError", "onFileDone", "onStatus,onError,onFileDone"})
    void aThrowingBackupListenerChangesNothing(String callbacks) throws Exception {
        Path src = tree();
        try (Repository repo = open()) {
            BackupResult plain = repo.backup().source(withUnreadable(src)).force().time(TIME).tag("plain").run();
            Throwing l = new Throwing(Set.of(callbacks.split(",")));
            BackupResult[] withListener = new BackupResult[1];
            String log = stderrOf(() -> withListener[0] = repo.backup().source(withUnreadable(src)).force()
                    .time(TIME).tag("listened").listener(l).run());
            BackupResult r = withListener[0];

            assertEquals(plain.snapshot().tree(), r.snapshot().tree(), "the same tree, blob for blob");
            assertEquals(plain.errors(), r.errors());
            assertEquals(List.of(plain.filesNew(), plain.dirsNew(), plain.bytesRead(), plain.bytesProcessed()),
                    List.of(r.filesNew(), r.dirsNew(), r.bytesRead(), r.bytesProcessed()));
            assertTrue(r.snapshot().incomplete());
            assertEquals(6, l.files.get(), "onFileDone called for every file although it threw");
            assertEquals(1, l.errors.get(), "onError called");
            assertTrue(l.status.get() >= 1, "the final onStatus is called");
            assertEquals(1, count(log, "threw from"), "logged once per listener:\n" + log);
            assertTrue(log.contains("listener bug in"), "with the exception:\n" + log);
            assertEquals(List.of(), repo.backend().list(FileType.LOCK));
        }
    }

    @Test
    void aStatusCallbackThatThrowsIsCalledAgainAtTheNextTick() throws Exception {
        CountDownLatch threeTicks = new CountDownLatch(3);
        BackupListener l = status -> {
            threeTicks.countDown();
            throw new IllegalStateException("status bug");
        };
        byte[] data = new byte[1000];
        // the dump's last bytes wait for the third status call: the backup ends only if the ticks go on
        SnapshotSource dump = SnapshotSources.stream("/db/dump.sql", () -> new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos == data.length / 2) {
                    try {
                        threeTicks.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                return pos < data.length ? data[pos++] & 0xff : -1;
            }
        }, java.time.Clock.systemUTC());
        try (Repository repo = open()) {
            String log = stderrOf(() -> {
                BackupResult r = repo.backup().source(dump).listener(l).statusInterval(Duration.ofMillis(10)).run();
                assertEquals(data.length, r.bytesRead());
                assertFalse(r.incomplete());
            });
            assertEquals(0, threeTicks.getCount());
            assertEquals(1, count(log, "threw from onStatus"), log);
        }
    }

    /** Counts every restore callback and throws from those named in {@code throwing}. */
    static final class ThrowingRestore implements RestoreListener {
        final Set<String> throwing;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        ThrowingRestore(Set<String> throwing) {
            this.throwing = throwing;
        }

        private void call(String callback) {
            calls.incrementAndGet();
            if (throwing.contains(callback)) {
                throw new IllegalStateException("restore listener bug in " + callback);
            }
        }

        @Override
        public void started(RestorePlan plan) {
            call("started");
        }

        @Override
        public void bytesWritten(long bytes) {
            call("bytesWritten");
        }

        @Override
        public void done(RestoreAction action) {
            done.incrementAndGet();
            call("done");
        }

        @Override
        public void failed(String path, String message) {
            failed.incrementAndGet();
            call("failed");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"started", "bytesWritten", "done", "failed", "started,bytesWritten,done,failed"})
    void aThrowingRestoreListenerChangesNothing(String callbacks) throws Exception {
        Path src = tree();
        try (Repository repo = open()) {
            BackupResult b = repo.backup().path(src).run();
            // damage the pack of one file, so that the restore reports a failure too
            Tree t = repo.loadTree(b.snapshot().tree());
            for (String element : (src.toAbsolutePath().toString().substring(1) + "/a").split("/")) {
                t = repo.loadTree(t.nodes().stream().filter(n -> n.name().equals(element)).findFirst()
                        .orElseThrow().subtree().orElseThrow());
            }
            Node a = t.nodes().get(0);
            Index.Location loc = repo.index().find(BlobType.DATA, a.content().get(0)).orElseThrow();
            Path pack = tmp.resolve("repo").resolve(Handle.of(FileType.PACK, loc.pack()).relativePath());
            byte[] bytes = Files.readAllBytes(pack);
            bytes[(int) loc.blob().offset() + 20] ^= 0x55;
            pack.toFile().setWritable(true);
            Files.write(pack, bytes);

            RestoreResult plain = repo.restore("latest").target(tmp.resolve("plain")).run();
            ThrowingRestore l = new ThrowingRestore(Set.of(callbacks.split(",")));
            RestoreResult[] with = new RestoreResult[1];
            String log = stderrOf(() -> with[0] = repo.restore("latest").target(tmp.resolve("listened"))
                    .listener(l).run());
            assertEquals(1, plain.errors().size(), plain.errors().toString());
            assertEquals(plain.errors(), with[0].errors());
            assertEquals(List.of(plain.files(), plain.directories(), plain.bytesWritten()),
                    List.of(with[0].files(), with[0].directories(), with[0].bytesWritten()));
            assertEquals(TreeDigest.of(tmp.resolve("plain")), TreeDigest.of(tmp.resolve("listened")));
            assertEquals(1, l.failed.get(), "failed was called");
            assertTrue(l.done.get() > 3, "done is called for every action although it may throw: " + l.done.get());
            assertEquals(1, count(log, "threw from"), log);
        }
    }
}
