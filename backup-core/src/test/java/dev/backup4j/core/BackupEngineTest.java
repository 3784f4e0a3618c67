package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.ForwardingBackend;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.backup.BackupListener;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.backup.BackupStatus;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.LocalSourceOptions;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.SourceFailedException;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.TestSources;
import dev.backup4j.core.testing.TreeDigest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupEngineTest {
    @TempDir
    Path tmp;

    private Repository.Opener opener(Backend b) {
        return Repository.at(b).password("pw").kdf(KdfParams.insecureFastForTests()).packSize(512 * 1024)
                .hostname("h");
    }

    private Repository init() throws IOException {
        return opener(Backends.local(tmp.resolve("repo"))).init();
    }

    private static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }

    private static Path restoreRoot(Path target, Path src) {
        return target.resolve(src.toAbsolutePath().toString().substring(1));
    }

    @Test
    void unchangedFilesAreReusedFromTheParentWithoutBeingRead() throws Exception {
        Path src = tmp.resolve("src");
        for (int i = 0; i < 5; i++) {
            write(src.resolve("d" + (i % 2) + "/f" + i + ".txt"), "content " + i + "\n".repeat(i * 100));
        }
        try (Repository repo = init()) {
            BackupResult first = repo.backup().path(src).run();
            assertEquals(5, first.filesNew());
            assertTrue(first.snapshot().parent().isEmpty());

            write(src.resolve("d0/f0.txt"), "changed content, longer than before\n");
            write(src.resolve("d1/new.txt"), "new\n");
            Set<String> reread = ConcurrentHashMap.newKeySet();
            BackupResult second = repo.backup().path(src).listener(new BackupListener() {
                @Override
                public void onStatus(BackupStatus status) {
                }

                @Override
                public void onFileDone(String path, long bytes, boolean unchanged) {
                    if (!unchanged) {
                        reread.add(path.substring(path.lastIndexOf('/') + 1));
                    }
                }
            }).run();
            assertEquals(first.snapshot().requireId(), second.snapshot().parent().orElseThrow());
            assertEquals(1, second.filesChanged());
            assertEquals(1, second.filesNew());
            assertEquals(4, second.filesUnmodified());
            assertEquals(Set.of("f0.txt", "new.txt"), reread);
            assertEquals(Files.size(src.resolve("d0/f0.txt")) + 4, second.bytesRead());
            assertTrue(second.dirsUnmodified() >= 0 && second.dirsChanged() >= 1);

            long dataBlobsBefore = repo.stats().dataBlobsAdded();
            BackupResult forced = repo.backup().path(src).force().run();
            assertEquals(0, forced.filesUnmodified());
            assertEquals(6, forced.filesNew());
            assertEquals(Files.size(src.resolve("d0/f0.txt")) + 4 + Files.size(src.resolve("d0/f2.txt"))
                    + Files.size(src.resolve("d0/f4.txt")) + Files.size(src.resolve("d1/f1.txt"))
                    + Files.size(src.resolve("d1/f3.txt")), forced.bytesRead(), "everything was read again");
            assertEquals(dataBlobsBefore, repo.stats().dataBlobsAdded(), "re-reading stores no new data blob");

            repo.restore("latest").target(tmp.resolve("out")).run();
            assertEquals(TreeDigest.of(src), TreeDigest.of(restoreRoot(tmp.resolve("out"), src)));
        }
    }

    @Test
    void exclusionRules() throws Exception {
        Path src = tmp.resolve("src");
        write(src.resolve("keep.txt"), "k");
        write(src.resolve("drop.tmp"), "d");
        write(src.resolve("private/.nobackup"), "");
        write(src.resolve("private/secret.txt"), "s");
        write(src.resolve("cache/CACHEDIR.TAG"), LocalSourceOptions.CACHEDIR_SIGNATURE + "\n");
        write(src.resolve("cache/blob"), "c");
        write(src.resolve("fakecache/CACHEDIR.TAG"), "not a signature");
        write(src.resolve("fakecache/kept"), "c");
        write(src.resolve("sub/deeper/drop.tmp"), "d");
        Files.createSymbolicLink(src.resolve("link-to-keep"), Path.of("keep.txt"));
        try (Repository repo = init()) {
            repo.backup().path(src).localOptions(LocalSourceOptions.builder().exclude("*.tmp")
                    .excludeIfPresent(".nobackup").excludeCaches().build()).run();
            Path out = tmp.resolve("out");
            repo.restore("latest").target(out).run();
            Path r = restoreRoot(out, src);
            assertTrue(Files.exists(r.resolve("keep.txt")));
            assertFalse(Files.exists(r.resolve("drop.tmp")));
            assertFalse(Files.exists(r.resolve("sub/deeper/drop.tmp")));
            assertFalse(Files.exists(r.resolve("private")));
            assertFalse(Files.exists(r.resolve("cache")));
            assertTrue(Files.exists(r.resolve("fakecache/kept")), "a CACHEDIR.TAG without signature is ignored");
            assertTrue(Files.isSymbolicLink(r.resolve("link-to-keep")));

            repo.backup().path(src).include("*.txt").run();
            Path out2 = tmp.resolve("out2");
            repo.restore("latest").target(out2).run();
            Path r2 = restoreRoot(out2, src);
            assertTrue(Files.exists(r2.resolve("keep.txt")));
            assertTrue(Files.exists(r2.resolve("private/secret.txt")));
            assertFalse(Files.exists(r2.resolve("fakecache")), "directories without included entries are left out");

            repo.backup().path(src).localOptions(LocalSourceOptions.builder().followSymlinks().build()).run();
            Path out3 = tmp.resolve("out3");
            repo.restore("latest").target(out3).run();
            Path linked = restoreRoot(out3, src).resolve("link-to-keep");
            assertFalse(Files.isSymbolicLink(linked));
            assertEquals("k", Files.readString(linked));
        }
    }

    @Test
    void commandSourceStoresStdoutAndFailsTheBackupOnNonZeroExit() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC);
        try (Repository repo = init()) {
            BackupResult ok = repo.backup().source(SnapshotSources.command("/db/lms.sql",
                    List.of("sh", "-c", "printf 'CREATE TABLE course;\\n'"), clock)).run();
            assertEquals(List.of("/db/lms.sql"), ok.snapshot().paths());
            repo.restore("latest").target(tmp.resolve("dump")).run();
            assertEquals("CREATE TABLE course;\n", Files.readString(tmp.resolve("dump/db/lms.sql")));

            int before = repo.snapshots().size();
            SourceFailedException e = assertThrows(SourceFailedException.class, () -> repo.backup()
                    .source(SnapshotSources.command("/db/lms.sql",
                            List.of("sh", "-c", "echo partial; echo 'connection refused' >&2; exit 3"), clock))
                    .run());
            assertTrue(e.getMessage().contains("status 3") && e.getMessage().contains("connection refused"),
                    e.getMessage());
            assertEquals(before, repo.snapshots().size(), "no snapshot claims a complete dump");
        }
    }

    /** A source of one directory whose file "locked.db" cannot be opened, like a file without read permission. */
    private static SnapshotSource withUnreadableFile(Path dir) {
        SnapshotSource real = SnapshotSources.directory(dir);
        OffsetDateTime t = OffsetDateTime.parse("2024-01-01T00:00:00Z");
        SourceEntry locked = new SourceEntry() {
            @Override
            public Node metadata() {
                return Node.builder("locked.db", NodeType.FILE).unixMode(0600).mtime(t).size(10).build();
            }

            @Override
            public List<SourceEntry> children() {
                throw new UnsupportedOperationException();
            }

            @Override
            public InputStream open() throws IOException {
                throw new AccessDeniedException(dir + "/locked.db");
            }
        };
        return TestSources.withExtraEntry(real, locked);
    }

    @Test
    void anUnreadableFileIsReportedAndTheSnapshotIsMarkedIncomplete() throws Exception {
        Path src = tmp.resolve("src");
        write(src.resolve("ok.txt"), "fine");
        Path repoDir = tmp.resolve("repo");
        try (Repository repo = init()) {
            BackupResult r = repo.backup().source(withUnreadableFile(src)).run();
            assertTrue(r.incomplete());
            assertEquals(1, r.errors().size());
            assertTrue(r.errors().get(0).path().endsWith("/locked.db"));
            assertEquals("permission denied", r.errors().get(0).message());
            assertEquals(1, r.files());
        }
        try (Repository repo = opener(Backends.local(repoDir)).open()) {
            Snapshot s = repo.snapshot("latest");
            assertTrue(s.incomplete(), "the snapshot says it is incomplete");
            assertEquals(1, s.errors());
        }
        Restic.on(repoDir, "pw").run("check").ok();
    }

    /** Fails the n-th pack upload, like a crash or a dropped connection in the middle of a backup. */
    static final class FailingPackWrites extends ForwardingBackend implements Backends.LayoutAware {
        final AtomicInteger packWrites = new AtomicInteger();
        volatile int failAt;

        FailingPackWrites(Backend b, int failAt) {
            super(b);
            this.failAt = failAt;
        }

        @Override
        public void write(Handle h, byte[] data) throws IOException {
            if (h.type() == FileType.PACK && packWrites.incrementAndGet() == failAt) {
                throw new IOException("simulated crash during upload");
            }
            super.write(h, data);
        }

        @Override
        public void createLayout() throws IOException {
            Backends.createLayout(delegate());
        }
    }

    /** {@code n} files of 300 kB of random bytes (one blob each) named f0.bin, f1.bin, ... in {@code dir}. */
    private static Path randomFiles(Path dir, long seed, int n) throws IOException {
        Files.createDirectories(dir);
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[300_000];
            rnd.nextBytes(b);
            Files.write(dir.resolve("f" + i + ".bin"), b);
        }
        return dir;
    }

    @Test
    void anInterruptedBackupStartedAgainDoesNotUploadItsPacksAgain() throws Exception {
        Path src = randomFiles(tmp.resolve("src"), 8, 12);
        Path repoDir = tmp.resolve("repo");
        FailingPackWrites faulty = new FailingPackWrites(Backends.local(repoDir), 5);
        try (Repository repo = opener(faulty).indexEveryPacks(1).init()) {
            assertThrows(IOException.class, () -> repo.backup().path(src).workers(1).run());
        }
        int uploadedBeforeCrash = Math.toIntExact(Files.walk(repoDir.resolve("data")).filter(Files::isRegularFile)
                .count());
        assertEquals(4, uploadedBeforeCrash, "four packs made it before the fifth upload failed");

        FailingPackWrites counting = new FailingPackWrites(Backends.local(repoDir), -1);
        try (Repository repo = opener(counting).open()) {
            assertEquals(4, repo.index().packs().size(), "the index written after each pack survived the crash");
            long dataBefore = repo.index().count(BlobType.DATA);
            BackupResult r = repo.backup().path(src).workers(1).run();
            assertTrue(r.blobsAdded() > 0);
            long dataAfter = repo.index().count(BlobType.DATA);
            assertEquals(12, dataAfter, "each 300 kB file is one blob");
            assertTrue(dataBefore >= 4, "blobs of the first four packs were reused");
            int packsNow = Math.toIntExact(Files.walk(repoDir.resolve("data")).filter(Files::isRegularFile).count());
            assertEquals(packsNow - uploadedBeforeCrash, counting.packWrites.get(),
                    "only the missing packs were uploaded");
            Map<dev.backup4j.core.common.Id, Integer> seen = new java.util.HashMap<>();
            repo.index().locations().forEach(l -> seen.merge(l.blob().id(), 1, Integer::sum));
            for (var p : repo.index().packs()) {
                for (var b : repo.index().blobsOf(p)) {
                    assertEquals(1, seen.get(b.id()), "no blob stored twice");
                }
            }
        }
        Restic.on(repoDir, "pw").run("check", "--read-data").ok();
    }

    @Test
    void aFailedUploadDoesNotLeaveBlobsThatLaterBackupsTrust() throws Exception {
        Path src = randomFiles(tmp.resolve("src"), 9, 6);
        Path repoDir = tmp.resolve("repo");
        FailingPackWrites faulty = new FailingPackWrites(Backends.local(repoDir), 2);
        // the same Repository instance lives on after the failed backup, as in a long-running service
        try (Repository repo = opener(faulty).init()) {
            assertThrows(IOException.class, () -> repo.backup().path(src).workers(1).run());
            repo.backup().path(src).workers(1).run();
        }
        Restic.on(repoDir, "pw").run("check", "--read-data").ok();
        try (Repository repo = opener(Backends.local(repoDir)).open()) {
            repo.restore("latest").target(tmp.resolve("out")).run();
        }
        assertEquals(TreeDigest.of(src), TreeDigest.of(restoreRoot(tmp.resolve("out"), src)));
    }

    @Test
    void composedSourcesAndCustomEntriesInOneSnapshot() throws Exception {
        Path www = tmp.resolve("var/www/lms");
        write(www.resolve("index.php"), "<?php echo 1;");
        Clock clock = Clock.fixed(Instant.parse("2025-06-01T02:00:00Z"), ZoneOffset.UTC);
        SnapshotSource dump = SnapshotSources.stream("/db/lms.sql",
                () -> new ByteArrayInputStream("dump".getBytes(StandardCharsets.UTF_8)), clock);
        try (Repository repo = init()) {
            BackupResult r = repo.backup().path(www).source(dump).run();
            assertEquals(List.of(www.toAbsolutePath().toString(), "/db/lms.sql"), r.snapshot().paths());
            Path out = tmp.resolve("out");
            repo.restore("latest").target(out).run();
            assertEquals("dump", Files.readString(out.resolve("db/lms.sql")));
            assertEquals("<?php echo 1;", Files.readString(restoreRoot(out, www).resolve("index.php")));
            assertEquals(FileTime.from(Instant.parse("2025-06-01T02:00:00Z")),
                    Files.getLastModifiedTime(out.resolve("db/lms.sql")));
        }
    }

    @Test
    void uploadLimitedBackendKeepsTheContract() throws Exception {
        Path src = tmp.resolve("src");
        write(src.resolve("a.txt"), "x".repeat(100_000));
        Backend limited = Backends.limitUpload(Backends.local(tmp.resolve("repo")), 50L * 1024 * 1024);
        try (Repository repo = opener(limited).init()) {
            repo.backup().path(src).run();
            repo.restore("latest").target(tmp.resolve("out")).run();
        }
        assertEquals(TreeDigest.of(src), TreeDigest.of(restoreRoot(tmp.resolve("out"), src)));
        assertThrows(IllegalArgumentException.class, () -> Backends.limitUpload(Backends.inMemory(), 0));
    }

    @Test
    void aMissingPathAmongSeveralIsLeftOutAndReportedAndTheSnapshotIsSavedIncompleteAsRestic() throws Exception {
        Path src = tmp.resolve("src");
        write(src.resolve("a.txt"), "alpha\n");
        Path missing = tmp.resolve("gone");
        Path repoDir = tmp.resolve("repo");
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Repository repo = init()) {
            BackupResult r = repo.backup().path(src).path(missing).listener(new BackupListener() {
                @Override
                public void onStatus(dev.backup4j.core.backup.BackupStatus status) {
                }

                @Override
                public void onError(String path, String message) {
                    seen.add(path + ": " + message);
                }
            }).run();
            String gone = missing.toAbsolutePath().toString();
            assertEquals(List.of(new BackupResult.BackupError(gone, "does not exist")), r.errors());
            assertEquals(List.of(gone + ": does not exist"), seen);
            assertTrue(r.incomplete());
            assertTrue(r.snapshot().incomplete(), "marked incomplete, as for an unreadable file");
            assertEquals(List.of(src.toAbsolutePath().toString()), r.snapshot().paths(), "restic leaves it out too");
            assertEquals(1, r.filesNew());
        }
        Restic restic = Restic.on(repoDir, "pw");
        restic.run("check", "--read-data").ok();
        assertTrue(restic.run("snapshots", "--json").ok().stdout().contains("\"paths\":[\"" + src.toAbsolutePath()
                + "\"]"));
    }

    @Test
    void whenNoPathExistsNothingIsSavedAsRestic() throws Exception {
        try (Repository repo = init()) {
            SourceFailedException e = assertThrows(SourceFailedException.class,
                    () -> repo.backup().path(tmp.resolve("gone")).path(tmp.resolve("also-gone")).run());
            assertEquals("all target directories/files do not exist", e.getMessage());
            assertEquals(List.of(), repo.snapshots());
            assertEquals(List.of(), repo.backend().list(FileType.LOCK), "no lock was taken or left");
        }
    }
}
