package dev.backup4j.ssh;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.BackendContractTest;
import dev.backup4j.core.backend.Backends;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The backend contract against OpenSSH's own sftp server (internal-sftp), whose rename and errors are the real ones. */
class OpenSshSftpBackendTest extends BackendContractTest {
    @TempDir
    static Path dir;
    static OpenSshServer sshd;
    static int counter;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = OpenSshServer.start(dir);
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Override
    protected Backend newBackend() throws Exception {
        Backend b = SftpBackends.open(sshd.clientConfig().build(), dir.resolve("repo" + (++counter)).toString());
        Backends.createLayout(b);
        return b;
    }
}
