package dev.backup4j.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures injected into a real SFTP server: dropped connections are retried, refusals are not. */
class SftpFaultTest {
    private static final RetryPolicy FAST = RetryPolicy.of(4, Duration.ofMillis(50), Duration.ofMillis(200));

    @TempDir
    Path root;

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    @Test
    void connectionDroppedMidUploadIsRetriedAndLeavesNoPartialFile() throws IOException {
        AtomicBoolean dropped = new AtomicBoolean();
        AtomicInteger tempFilesOpened = new AtomicInteger();
        SftpEventListener dropOnce = new SftpEventListener() {
            @Override
            public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                    byte[] data, int dataOffset, int dataLen) {
                if (offset == 0) {
                    tempFilesOpened.incrementAndGet();
                }
                if (offset >= 1_000_000 && dropped.compareAndSet(false, true)) {
                    session.close(true); // the server goes away in the middle of the upload
                }
            }
        };
        try (TestSshServer server = TestSshServer.builder(root).listener(dropOnce).start();
                Backend b = SftpBackends.open(server.clientConfig().retryPolicy(FAST).build(), "/repo")) {
            Backends.createLayout(b);
            byte[] data = random(4 * 1024 * 1024, 1);
            Handle h = Handle.of(FileType.PACK, Id.hash(data));
            b.write(h, data);

            assertTrue(dropped.get(), "the fault was injected");
            assertEquals(2, tempFilesOpened.get(), "one failed and one successful upload");
            assertArrayEquals(data, b.readAll(h));
            assertEquals(List.of("data/" + h.name().substring(0, 2) + "/" + h.name()), filesUnder(root.resolve("repo")),
                    "the temporary file of the interrupted upload was removed");
        }
    }

    @Test
    void diskFullReportedAsFailureWithTheSystemMessageIsPermanent() throws IOException {
        assertDiskFullIsPermanent(new IOException("No space left on device"));
    }

    @Test
    void diskFullReportedWithTheSftpStatusIsPermanent() throws IOException {
        assertDiskFullIsPermanent(new org.apache.sshd.sftp.common.SftpException(
                org.apache.sshd.sftp.common.SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, "quota"));
    }

    private void assertDiskFullIsPermanent(IOException serverSide) throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        SftpEventListener full = new SftpEventListener() {
            @Override
            public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                    byte[] data, int dataOffset, int dataLen) throws IOException {
                if (offset == 0) {
                    attempts.incrementAndGet();
                }
                throw serverSide;
            }
        };
        try (TestSshServer server = TestSshServer.builder(root).listener(full).start();
                Backend b = SftpBackends.open(server.clientConfig().retryPolicy(FAST).build(), "/repo")) {
            Backends.createLayout(b);
            byte[] data = random(200_000, 2);
            Handle h = Handle.of(FileType.PACK, Id.hash(data));
            RemoteDiskFullException e = assertThrows(RemoteDiskFullException.class, () -> b.write(h, data));
            assertTrue(b.isPermanent(e));
            assertTrue(e.getMessage().contains(h.name()), e.getMessage());
            assertEquals(1, attempts.get(), "a permanent failure is not retried");
            assertFalse(b.exists(h));
            assertEquals(List.of(), filesUnder(root.resolve("repo")), "no temporary file is left behind");
        }
    }

    @Test
    void permissionDeniedIsPermanentAndNotRetried() throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        SftpEventListener deny = new SftpEventListener() {
            @Override
            public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                    byte[] data, int dataOffset, int dataLen) throws IOException {
                attempts.incrementAndGet();
                throw new AccessDeniedException(localHandle.getFile().toString());
            }
        };
        try (TestSshServer server = TestSshServer.builder(root).listener(deny).start();
                Backend b = SftpBackends.open(server.clientConfig().retryPolicy(FAST).build(), "/repo")) {
            Backends.createLayout(b);
            byte[] data = random(100, 3);
            Handle h = Handle.of(FileType.SNAPSHOT, Id.hash(data));
            IOException e = assertThrows(AccessDeniedException.class, () -> b.write(h, data));
            assertTrue(b.isPermanent(e));
            assertEquals(1, attempts.get());
        }
    }

    @Test
    void aServerThatStopsAnsweringTimesOutAndTheWriteIsRetried() throws IOException {
        AtomicBoolean stalled = new AtomicBoolean();
        SftpEventListener stallOnce = new SftpEventListener() {
            @Override
            public void writing(ServerSession session, String remoteHandle, FileHandle localHandle, long offset,
                    byte[] data, int dataOffset, int dataLen) throws IOException {
                if (stalled.compareAndSet(false, true)) {
                    try {
                        Thread.sleep(3000); // longer than the client's I/O time-out
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (TestSshServer server = TestSshServer.builder(root).listener(stallOnce).start();
                Backend b = SftpBackends.open(server.clientConfig().retryPolicy(FAST)
                        .ioTimeout(Duration.ofMillis(1000)).build(), "/repo")) {
            Backends.createLayout(b);
            byte[] data = random(300_000, 5);
            Handle h = Handle.of(FileType.PACK, Id.hash(data));
            long t0 = System.nanoTime();
            b.write(h, data);
            assertTrue(stalled.get());
            assertTrue(System.nanoTime() - t0 >= 900_000_000L, "the first attempt waited for the time-out");
            assertArrayEquals(data, b.readAll(h));
        }
        try (Stream<Path> files = Files.walk(root.resolve("repo"))) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "the stalled attempt's temp file is gone");
        }
    }

    @Test
    void aDroppedIdleConnectionIsReopenedOnTheNextCall() throws IOException {
        try (TestSshServer server = TestSshServer.builder(root).start();
                Backend b = SftpBackends.open(server.clientConfig().retryPolicy(FAST).build(), "/repo")) {
            Backends.createLayout(b);
            byte[] data = random(1000, 4);
            Handle h = Handle.of(FileType.INDEX, Id.hash(data));
            b.write(h, data);
            server.dropAllSessions();
            assertArrayEquals(data, b.readAll(h));
            assertEquals(1, b.list(FileType.INDEX).size());
        }
    }

    @Test
    void anUnreachableServerFailsAsTransientAfterTheRetries() throws IOException {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        SshConfig cfg = SshConfig.builder("nobody", "127.0.0.1").port(freePort).noAgent()
                .identity(TestSshServer.generateEc()).hostKeyPolicy(HostKeyPolicy.insecureAcceptAnyHostKey())
                .retryPolicy(RetryPolicy.of(2, Duration.ofMillis(10), Duration.ofMillis(10)))
                .connectTimeout(Duration.ofSeconds(5)).build();
        SshConnectionException e = assertThrows(SshConnectionException.class, () -> SftpBackends.open(cfg, "/repo"));
        assertTrue(e.getMessage().contains("127.0.0.1:" + freePort), e.getMessage());
    }
}
