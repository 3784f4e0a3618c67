package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.TreeDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A crafted repository whose trees hold names that would escape the target: refused, nothing written anywhere. */
class RestoreSafetyTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "/etc/evil", "a/../../evil", "nul\0byte"})
    void unsafeNamesAreRefusedAndNothingIsWritten(String name) throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path target = Files.createDirectories(outside.resolve("target"));
        Map<String, String> before = TreeDigest.of(tmp.resolve("outside"));
        try (Repository repo = Fixtures.opener(tmp.resolve("repo")).init()) {
            Node evil = Fixtures.file(repo, name, "pwned\n");
            // the unsafe entry sits below a harmless directory and beside a harmless file
            Node d = Fixtures.dir(repo, "d", Fixtures.file(repo, "fine.txt", "ok"), evil);
            Snapshot s = Fixtures.snapshot(repo, Fixtures.T0, Fixtures.file(repo, "first.txt", "1"), d);
            for (boolean viaFacade : new boolean[] {false, true}) {
                CorruptDataException e = assertThrows(UnsafeEntryException.class, () -> {
                    if (viaFacade) {
                        repo.restore("latest").target(target).run();
                    } else {
                        try (RestoreTarget t = RestoreTargets.directory(target)) {
                            RestoreExecutor.of(repo).execute(RestorePlanner.of(repo, SnapshotSelector.latest())
                                    .plan(t), t);
                        }
                    }
                });
                assertTrue(e.getMessage().contains(s.requireId().shortString()), e.getMessage());
                assertTrue(e.getMessage().contains("'/d'"), e.getMessage());
            }
        }
        assertEquals(before, TreeDigest.of(tmp.resolve("outside")), "nothing written, inside or outside the target");
        assertFalse(Files.exists(tmp.resolve("evil")));
    }

    /** Names that are safe as stored (Go's quoted form) but not once unquoted, as restic reads them. */
    @ParameterizedTest
    @ValueSource(strings = {"\\x2e\\x2e", "\\u002e", "a\\x2fb", "\\x2f", "nul\\x00", "\\056\\056", "\\U0000002e\\x2e"})
    void quotedNamesThatDecodeToUnsafeOnesAreRefused(String quoted) throws Exception {
        Path target = Files.createDirectories(tmp.resolve("target"));
        try (Repository repo = Fixtures.opener(tmp.resolve("repo")).init()) {
            String json = "{\"nodes\":[{\"name\":\"" + quoted.replace("\\", "\\\\") + "\",\"type\":\"file\","
                    + "\"mode\":420,\"mtime\":\"2024-01-01T00:00:00Z\",\"atime\":\"2024-01-01T00:00:00Z\","
                    + "\"ctime\":\"2024-01-01T00:00:00Z\",\"uid\":0,\"gid\":0,\"content\":[]}]}\n";
            byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            dev.backup4j.core.common.Id tree = repo.saveBlob(dev.backup4j.core.pack.BlobType.TREE, b, 0, b.length);
            repo.flush();
            repo.saveSnapshot(new Snapshot(java.util.Optional.empty(), Fixtures.T0, tree, java.util.Optional.empty(),
                    List.of("/"), "test-host", "tester", 0, 0, List.of(), List.of(), java.util.Optional.empty()));
            assertThrows(UnsafeEntryException.class, () -> repo.restore("latest").target(target).run(), quoted);
        }
        try (var s = Files.list(target)) {
            assertEquals(0, s.count(), "nothing written");
        }
    }

    @Test
    void symlinksInTheTargetAreReplacedNeverFollowed() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.createSymbolicLink(target.resolve("d"), elsewhere);
        Files.createSymbolicLink(target.resolve("top.txt"), elsewhere.resolve("top.txt"));
        try (Repository repo = Fixtures.opener(tmp.resolve("repo")).init()) {
            Fixtures.snapshot(repo, Fixtures.T0, Fixtures.file(repo, "top.txt", "top"),
                    Fixtures.dir(repo, "d", Fixtures.file(repo, "inner.txt", "inner")));
            var r = repo.restore("latest").target(target).run();
            assertTrue(r.complete(), r.errors().toString());
        }
        try (var s = Files.list(elsewhere)) {
            assertEquals(0, s.count(), "nothing was written through the symlinks");
        }
        assertTrue(Files.isDirectory(target.resolve("d"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("inner", Files.readString(target.resolve("d/inner.txt")));
        assertFalse(Files.isSymbolicLink(target.resolve("top.txt")));
        assertEquals("top", Files.readString(target.resolve("top.txt")));
    }

    @Test
    void anUnknownSnapshotCreatesNoTargetAndAFileAsTargetIsNamedInWords() throws Exception {
        Path target = tmp.resolve("not/yet/there");
        Path file = Files.writeString(tmp.resolve("a-file"), "keep me");
        try (Repository repo = Fixtures.opener(tmp.resolve("repo")).init()) {
            Fixtures.snapshot(repo, Fixtures.T0, Fixtures.file(repo, "top.txt", "top"));
            NoSuchSnapshotException unknown = assertThrows(NoSuchSnapshotException.class,
                    () -> repo.restore("abcdef12").target(target).run());
            assertEquals("no matching ID found for prefix \"abcdef12\"", unknown.getMessage());
            assertFalse(Files.exists(tmp.resolve("not")), "nothing was created before the snapshot was found");

            for (boolean planOnly : new boolean[] {false, true}) {
                java.io.IOException e = assertThrows(java.io.IOException.class, () -> {
                    if (planOnly) {
                        repo.restore("latest").target(file).plan();
                    } else {
                        repo.restore("latest").target(file).run();
                    }
                });
                assertEquals("target " + file + " exists and is not a directory", e.getMessage());
            }
            assertThrows(java.io.IOException.class, () -> RestoreTargets.directory(file));
            assertEquals("keep me", Files.readString(file));

            // planned against a view that creates nothing; the directory appears when the plan is carried out
            RestorePlan plan;
            try (RestoreTarget view = RestoreTargets.directoryView(target)) {
                plan = RestorePlanner.of(repo, SnapshotSelector.latest()).plan(view);
                assertThrows(java.io.IOException.class, () -> view.create("/d", Fixtures.dir(repo, "d")));
            }
            assertEquals(target.toString(), plan.target());
            assertFalse(Files.exists(tmp.resolve("not")));
            try (RestoreTarget t = RestoreTargets.directory(target)) {
                assertTrue(RestoreExecutor.of(repo).execute(plan, t).complete());
            }
            assertEquals("top", Files.readString(target.resolve("top.txt")));
        }
    }
}
