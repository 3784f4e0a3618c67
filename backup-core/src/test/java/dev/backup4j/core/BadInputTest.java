package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.common.RepositoryExistsException;
import dev.backup4j.core.common.RepositoryNotFoundException;
import dev.backup4j.core.common.UnsupportedFormatException;
import dev.backup4j.core.common.WrongPasswordException;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.crypto.KeyFile;
import dev.backup4j.core.crypto.MasterKey;
import dev.backup4j.core.testing.TreeDigest;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a named exception, and the repository's files stay exactly as they were. */
class BadInputTest {
    @TempDir
    Path tmp;
    Path repoDir;
    Path src;

    @BeforeEach
    void makeRepository() throws Exception {
        repoDir = tmp.resolve("repo");
        src = Files.createDirectories(tmp.resolve("src"));
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(5).nextBytes(data);
        Files.write(src.resolve("data.bin"), data);
        Files.writeString(src.resolve("notes.txt"), "some notes\n".repeat(100), StandardCharsets.UTF_8);
        try (Repository repo = RoundTripTest.opener(repoDir).init()) {
            repo.backup().path(src).run();
        }
    }

    private Repository open() throws Exception {
        return RoundTripTest.opener(repoDir).open();
    }

    @Test
    void wrongPasswordIsNamedAndChangesNothing() throws Exception {
        Map<String, String> before = TreeDigest.contentHashes(repoDir);
        assertThrows(WrongPasswordException.class, () -> Repository.at(Backends.local(repoDir)).password("nope")
                .kdf(KdfParams.insecureFastForTests()).open());
        assertEquals(before, TreeDigest.contentHashes(repoDir));
    }

    @Test
    void missingRepositoryIsNamedAndCreatesNothing() {
        Path nowhere = tmp.resolve("nowhere");
        assertThrows(RepositoryNotFoundException.class, () -> RoundTripTest.opener(nowhere).open());
        assertFalse(Files.exists(nowhere));
    }

    @Test
    void initRefusesAnExistingRepository() throws Exception {
        Map<String, String> before = TreeDigest.contentHashes(repoDir);
        assertThrows(RepositoryExistsException.class, () -> RoundTripTest.opener(repoDir).init());
        assertEquals(before, TreeDigest.contentHashes(repoDir));
    }

    @Test
    void unknownConfigVersionIsRefused() throws Exception {
        Path dir = tmp.resolve("v3");
        Backend b = Backends.local(dir);
        Backends.createLayout(b);
        MasterKey master = MasterKey.random();
        byte[] key = KeyFile.create(master, "pw".toCharArray(), KdfParams.insecureFastForTests(),
                OffsetDateTime.parse("2024-01-01T00:00:00Z"), "u", "h").toJson();
        b.write(Handle.of(FileType.KEY, Id.hash(key)), key);
        b.write(Handle.CONFIG, master.seal(("{\"version\":3,\"id\":\"" + "ab".repeat(32)
                + "\",\"chunker_polynomial\":\"3dea92648f6e83\"}").getBytes(StandardCharsets.UTF_8)));
        Map<String, String> before = TreeDigest.contentHashes(dir);
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
                () -> Repository.at(b).password("pw").kdf(KdfParams.insecureFastForTests()).open());
        assertTrue(e.getMessage().contains("version 3"), e.getMessage());
        assertEquals(before, TreeDigest.contentHashes(dir));
    }

    private static Path onlyFile(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }

    private static void flipByte(Path f, long pos) throws Exception {
        f.toFile().setWritable(true);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(pos);
            int b = raf.read();
            raf.seek(pos);
            raf.write(b ^ 0x01);
        }
    }

    @Test
    void flippedByteInAnIndexFileIsCorruptData() throws Exception {
        Path index = onlyFile(repoDir.resolve("index"));
        flipByte(index, Files.size(index) / 2);
        Map<String, String> before = TreeDigest.contentHashes(repoDir);
        CorruptDataException e = assertThrows(CorruptDataException.class, this::open);
        assertTrue(e.getMessage().contains("index/"), e.getMessage());
        assertEquals(before, TreeDigest.contentHashes(repoDir));
    }

    @Test
    void flippedByteInADataPackFailsTheAffectedFileOnly() throws Exception {
        Path bigPack = null;
        long biggest = -1;
        try (Stream<Path> s = Files.walk(repoDir.resolve("data"))) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                if (Files.size(p) > biggest) {
                    biggest = Files.size(p);
                    bigPack = p;
                }
            }
        }
        flipByte(bigPack, 100); // inside the first blob of the largest (data) pack
        Map<String, String> before = TreeDigest.contentHashes(repoDir);
        try (Repository repo = open()) {
            RestoreResult r = repo.restore("latest").target(tmp.resolve("out")).run();
            assertEquals(1, r.errors().size(), r.errors().toString());
            assertTrue(r.errors().get(0).path().endsWith("/data.bin"));
            Path restored = tmp.resolve("out").resolve(src.toString().substring(1));
            assertTrue(Files.exists(restored.resolve("notes.txt")), "the undamaged file is restored");
            assertFalse(Files.exists(restored.resolve("data.bin")), "no partial file under the final name");
            try (Stream<Path> s = Files.list(restored)) {
                assertEquals(1, s.count(), "no temporary file left behind");
            }
        }
        assertEquals(before, TreeDigest.contentHashes(repoDir));
    }

    @Test
    void truncatedPacksAreCorruptData() throws Exception {
        try (Stream<Path> s = Files.walk(repoDir.resolve("data"))) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                p.toFile().setWritable(true);
                try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                    raf.setLength(raf.length() / 2);
                }
            }
        }
        try (Repository repo = open()) {
            CorruptDataException e = assertThrows(CorruptDataException.class,
                    () -> repo.restore("latest").target(tmp.resolve("out")).run());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void unknownSnapshotIsNamed() throws Exception {
        try (Repository repo = open()) {
            assertThrows(NoSuchSnapshotException.class, () -> repo.snapshot("deadbeef"));
            assertThrows(NoSuchSnapshotException.class, () -> repo.restore("").target(tmp.resolve("o")).run());
        }
    }
}
