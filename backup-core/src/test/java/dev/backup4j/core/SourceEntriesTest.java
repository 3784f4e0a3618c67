package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.LocalSourceOptions;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntries;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.TreeDigest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom sources made of {@link SourceEntries} (no entry classes of their own), declared sizes, known modification
 * times of streams, and local folders stored under another path; restic reads, lists and restores each.
 */
class SourceEntriesTest {
    private static final Instant T0 = Instant.parse("2026-09-01T08:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private Repository.Opener opener() {
        return Repository.at(Backends.local(tmp.resolve("repo"))).password("pw")
                .kdf(KdfParams.insecureFastForTests()).hostname("h").clock(CLOCK);
    }

    /** An application's records: name to content and modification time; counts the opens. */
    static final class Records {
        final Map<String, byte[]> content = new LinkedHashMap<>();
        final Map<String, Instant> modified = new LinkedHashMap<>();
        final Map<String, Long> declared = new LinkedHashMap<>();
        final AtomicInteger opens = new AtomicInteger();

        void put(String name, String text, Instant when) {
            content.put(name, text.getBytes(StandardCharsets.UTF_8));
            modified.put(name, when);
            declared.put(name, (long) content.get(name).length);
        }

        SnapshotSource source() {
            return new SnapshotSource() {
                @Override
                public String path() {
                    return "/app/records";
                }

                @Override
                public SourceEntry root() {
                    return SourceEntries.directory("records", T0, 0750, () -> List.of(
                            SourceEntries.directory("texts", T0, 0750, () -> content.keySet().stream()
                                    .map(n -> SourceEntries.file(n, declared.get(n), modified.get(n), 0640, () -> {
                                        opens.incrementAndGet();
                                        return new ByteArrayInputStream(content.get(n));
                                    })).toList())));
                }
            };
        }
    }

    @Test
    void entriesFromRecordsAreStoredAsDeclaredAndUnchangedOnesAreNotOpenedAgain() throws Exception {
        Records app = new Records();
        app.put("a.md", "alpha\n", T0);
        app.put("b.md", "bravo, longer\n", T0.plusSeconds(60));
        try (Repository repo = opener().init()) {
            BackupResult first = repo.backup().source(app.source()).run();
            assertEquals(2, first.filesNew());
            assertFalse(first.incomplete(), first.errors().toString());
            assertEquals(2, app.opens.get());

            BackupResult second = repo.backup().source(app.source()).run();
            assertEquals(2, second.filesUnmodified(), "same size and time: reused without being opened");
            assertEquals(2, app.opens.get());
            assertEquals(first.snapshot().tree(), second.snapshot().tree(), "and the same tree");
        }
        Restic restic = Restic.on(tmp.resolve("repo"), "pw");
        restic.run("check", "--read-data").ok();
        Path out = tmp.resolve("out");
        restic.run("restore", "latest", "--target", out.toString()).ok();
        Path a = out.resolve("app/records/texts/a.md");
        assertEquals("alpha\n", Files.readString(a));
        assertEquals(FileTime.from(T0), Files.getLastModifiedTime(a));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                out.resolve("app/records/texts"))));
    }

    @Test
    void contentOfAnotherSizeThanDeclaredIsStoredAsReadAndReportedEveryTimeUntilItMatches() throws Exception {
        Records app = new Records();
        app.put("report.csv", "1,2,3\n", T0);
        app.declared.put("report.csv", 4L); // the records are behind: the content grew
        try (Repository repo = opener().cacheDir(tmp.resolve("cache")).init()) {
            BackupResult r = repo.backup().source(app.source()).run();
            assertEquals(List.of(new BackupResult.BackupError("/app/records/texts/report.csv",
                    "declared 4 bytes but 6 were read (changed while being read?); stored as read")), r.errors());
            assertTrue(r.snapshot().incomplete());
            Node stored = storedNode(repo, r);
            assertEquals(6, stored.size(), "the size as read");

            // the directory cache must not hide it: the next backup reads the file again and says so again
            BackupResult again = repo.backup().source(app.source()).run();
            assertEquals(r.errors(), again.errors());
            assertEquals(2, app.opens.get());

            // the records catch up with the content: what is stored (6 bytes, same time) is what they declare
            app.declared.put("report.csv", 6L);
            BackupResult fixed = repo.backup().source(app.source()).run();
            assertFalse(fixed.incomplete(), fixed.errors().toString());
            assertEquals(1, fixed.filesUnmodified());
            assertEquals(2, app.opens.get());
        }
        Restic restic = Restic.on(tmp.resolve("repo"), "pw");
        restic.run("check", "--read-data").ok();
        Path out = tmp.resolve("out");
        restic.run("restore", "latest", "--target", out.toString()).ok();
        assertEquals("1,2,3\n", Files.readString(out.resolve("app/records/texts/report.csv")));
    }

    private static Node storedNode(Repository repo, BackupResult r) throws IOException {
        Node n = null;
        dev.backup4j.core.snapshot.Tree t = repo.loadTree(r.snapshot().tree());
        for (String element : List.of("app", "records", "texts", "report.csv")) {
            n = t.nodes().stream().filter(x -> x.name().equals(element)).findFirst().orElseThrow();
            if (n.subtree().isPresent()) {
                t = repo.loadTree(n.subtree().get());
            }
        }
        return n;
    }

    @Test
    void helpersRefuseMisuse() {
        assertThrows(IllegalArgumentException.class, () -> SourceEntries.file("x", -1, T0, ByteArrayInputStream::nullInputStream));
        assertThrows(NullPointerException.class, () -> SourceEntries.file("x", 1, null, ByteArrayInputStream::nullInputStream));
        assertThrows(NullPointerException.class, () -> SourceEntries.directory("d", T0, (SourceEntries.Lister) null));
        assertTrue(SourceEntries.file("x", 1, T0, ByteArrayInputStream::nullInputStream).declaresSize());
        assertFalse(SnapshotSources.streamFile("x", 0644, T0, ByteArrayInputStream::nullInputStream).declaresSize());
    }

    @Test
    void aStreamFileKeepsTheModificationTimeItIsGiven() throws Exception {
        Instant exported = Instant.parse("2026-08-31T23:30:00Z");
        SnapshotSource export = new SnapshotSource() {
            @Override
            public String path() {
                return "/exports/grades.csv";
            }

            @Override
            public SourceEntry root() {
                return SnapshotSources.streamFile("grades.csv", 0600, exported,
                        () -> new ByteArrayInputStream("id,grade\n".getBytes(StandardCharsets.UTF_8)));
            }
        };
        try (Repository repo = opener().init()) {
            repo.backup().source(export).run();
            Path out = tmp.resolve("out");
            repo.restore("latest").target(out).run();
            assertEquals(FileTime.from(exported), Files.getLastModifiedTime(out.resolve("exports/grades.csv")));
        }
    }

    @Test
    void aLocalFolderStoredUnderALogicalPathIsListedAndRestoredThereByRestic() throws Exception {
        Path data = tmp.resolve("var/lib/moodledata");
        Files.createDirectories(data.resolve("filedir/ab"));
        Files.createDirectories(data.resolve("cache"));
        Files.writeString(data.resolve("filedir/ab/abcdef"), "uploaded file\n");
        Files.writeString(data.resolve("cache/tmp.bin"), "regenerated\n");
        Files.writeString(data.resolve("config.php"), "<?php\n");
        try (Repository repo = opener().init()) {
            BackupResult r = repo.backup().path(data, "/moodledata").exclude("/moodledata/cache").run();
            assertEquals(List.of("/moodledata"), r.snapshot().paths());
            assertEquals(2, r.filesNew());

            // the same folder moved: the logical path finds the parent, and nothing is read again
            Path moved = tmp.resolve("srv/moodledata");
            Files.createDirectories(moved.getParent());
            Files.move(data, moved);
            BackupResult next = repo.backup().path(moved, "/moodledata").exclude("/moodledata/cache").run();
            assertEquals(r.snapshot().id(), next.snapshot().parent());

            SnapshotSource nested = SnapshotSources.directory(moved, "/srv/moodle/data",
                    LocalSourceOptions.builder().exclude("cache").build());
            BackupResult deep = repo.backup().source(nested).run();
            assertEquals(List.of("/srv/moodle/data"), deep.snapshot().paths());
        }
        Restic restic = Restic.on(tmp.resolve("repo"), "pw");
        restic.run("check", "--read-data").ok();
        String ls = restic.run("ls", "latest", "--path", "/moodledata").ok().stdout();
        List<String> listed = ls.lines().filter(l -> l.startsWith("/")).toList();
        assertEquals(List.of("/moodledata", "/moodledata/config.php", "/moodledata/filedir",
                "/moodledata/filedir/ab", "/moodledata/filedir/ab/abcdef"), listed);
        Path out = tmp.resolve("out");
        restic.run("restore", "latest", "--path", "/moodledata", "--target", out.toString()).ok();
        assertEquals("uploaded file\n", Files.readString(out.resolve("moodledata/filedir/ab/abcdef")));
        assertFalse(Files.exists(out.resolve("moodledata/cache")));
        Path deepOut = tmp.resolve("deep");
        restic.run("restore", "latest", "--path", "/srv/moodle/data", "--target", deepOut.toString()).ok();
        Path moved = tmp.resolve("srv/moodledata");
        Files.delete(moved.resolve("cache/tmp.bin"));
        Files.delete(moved.resolve("cache"));
        assertEquals(TreeDigest.of(moved), TreeDigest.of(deepOut.resolve("srv/moodle/data")));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                deepOut.resolve("srv/moodle"))), "a directory above the logical path: 0755");
        assertThrows(IllegalArgumentException.class, () -> SnapshotSources.directory(moved, "relative",
                LocalSourceOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> SnapshotSources.directory(moved, "/a/../b",
                LocalSourceOptions.defaults()));
    }
}
