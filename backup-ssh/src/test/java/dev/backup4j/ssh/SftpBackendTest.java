package dev.backup4j.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.BackendContractTest;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract against a real (in-process) SFTP server, plus what is special about SFTP. */
class SftpBackendTest extends BackendContractTest {
    @TempDir
    static Path serverRoot;
    static TestSshServer server;
    static int repoCounter;

    Path repoDir;

    @BeforeAll
    static void startServer() throws IOException {
        server = TestSshServer.builder(serverRoot).start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        server.close();
    }

    @Override
    protected Backend newBackend() throws IOException {
        String name = "repo" + (++repoCounter);
        repoDir = serverRoot.resolve(name);
        Backend b = SftpBackends.open(server.clientConfig().build(), "/" + name);
        Backends.createLayout(b);
        return b;
    }

    @Test
    void usesResticsLayoutAndCreatesPackFoldersLazily() throws IOException {
        assertTrue(Files.isDirectory(repoDir.resolve("keys")));
        assertTrue(Files.isDirectory(repoDir.resolve("data")));
        try (Stream<Path> s = Files.list(repoDir.resolve("data"))) {
            assertEquals(0, s.count(), "data/xx folders are created with their first pack");
        }
        byte[] data = randomBytes(1, 10);
        Id id = Id.hash(data);
        backend.write(Handle.of(FileType.PACK, id), data);
        backend.write(Handle.CONFIG, data);
        Path pack = repoDir.resolve("data").resolve(id.toString().substring(0, 2)).resolve(id.toString());
        assertTrue(Files.isRegularFile(pack));
        assertTrue(Files.isRegularFile(repoDir.resolve("config")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pack)));
    }

    @Test
    void temporaryFilesAreNeitherListedNorLeftBehind() throws IOException {
        byte[] data = randomBytes(2, 1000);
        Id id = Id.hash(data);
        backend.write(Handle.of(FileType.SNAPSHOT, id), data);
        Files.write(repoDir.resolve("snapshots").resolve(id + "-tmp-0123456789ab"), data);
        Files.write(repoDir.resolve("snapshots").resolve("README"), data);
        assertEquals(1, backend.list(FileType.SNAPSHOT).size());
        try (Stream<Path> s = Files.list(repoDir.resolve("snapshots"))) {
            assertEquals(3, s.count()); // ours, plus the two planted above: no temp file of our own write
        }
    }

    @Test
    void listsLargeFolders() throws IOException {
        // More entries than one SFTP READDIR answer carries, written directly on the server side.
        Path dir = repoDir.resolve("index");
        for (int i = 0; i < 1500; i++) {
            byte[] d = new byte[] {(byte) i, (byte) (i >> 8)};
            Files.write(dir.resolve(Id.hash(d).toString()), d);
        }
        assertEquals(1500, backend.list(FileType.INDEX).size());
    }

    @Test
    void aRepositoryPathRelativeToTheLoginFolderWorks() throws IOException {
        try (Backend rel = SftpBackends.open(server.clientConfig().build(), "relative/repo")) {
            Backends.createLayout(rel);
            byte[] data = randomBytes(3, 5);
            rel.write(Handle.CONFIG, data);
            assertTrue(Files.isRegularFile(serverRoot.resolve("relative/repo/config")));
            assertEquals("relative/repo", SftpRepositoryLocation.parse(rel.location()).path(), rel.location());
            assertEquals("/" + repoDir.getFileName(), SftpRepositoryLocation.parse(backend.location()).path());
        }
    }

    @Test
    void permanentAndTransientFailuresAreTold() {
        assertFalse(backend.isPermanent(new SshConnectionException("reset", null)));
        assertTrue(backend.isPermanent(new RemoteDiskFullException("full", null)));
        assertTrue(backend.isPermanent(new java.nio.file.AccessDeniedException("x")));
    }
}
