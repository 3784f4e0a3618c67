package dev.backup4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.common.Id;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendTest extends BackendContractTest {
    @TempDir
    Path dir;

    @Override
    protected Backend newBackend() throws IOException {
        Backend b = Backends.local(dir.resolve("repo"));
        Backends.createLayout(b);
        return b;
    }

    @Test
    void usesResticsDefaultLayout() throws IOException {
        byte[] data = randomBytes(1, 10);
        Id id = Id.hash(data);
        backend.write(Handle.of(FileType.PACK, id), data);
        backend.write(Handle.CONFIG, data);
        Path repo = dir.resolve("repo");
        assertTrue(Files.isRegularFile(repo.resolve("data").resolve(id.toString().substring(0, 2)).resolve(id.toString())));
        assertTrue(Files.isRegularFile(repo.resolve("config")));
        for (String d : new String[] {"keys", "locks", "snapshots", "index", "data/00", "data/ff"}) {
            assertTrue(Files.isDirectory(repo.resolve(d)), d);
        }
    }

    @Test
    void temporaryFilesOfInterruptedWritesAreNotListed() throws IOException {
        byte[] data = randomBytes(2, 10);
        Id id = Id.hash(data);
        Path packDir = dir.resolve("repo/data").resolve(id.toString().substring(0, 2));
        Files.write(packDir.resolve(id + "-tmp-0123456789ab"), data);
        assertEquals(0, backend.list(FileType.PACK).size());
    }
}
