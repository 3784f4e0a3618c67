package dev.backup4j.core.backend;

import dev.backup4j.core.testing.RcloneRestServer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract over restic's REST protocol, against a real {@code rclone serve restic}. */
class RestBackendTest extends BackendContractTest {
    @TempDir
    static Path dir;
    static RcloneRestServer server;
    private static final AtomicInteger REPOS = new AtomicInteger();

    @BeforeAll
    static void startServer() throws Exception {
        server = RcloneRestServer.start(dir.resolve("served"), false);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Backend newBackend() throws Exception {
        Backend b = Backends.rest(server.url("repo" + REPOS.incrementAndGet()));
        Backends.createLayout(b);
        return b;
    }
}
