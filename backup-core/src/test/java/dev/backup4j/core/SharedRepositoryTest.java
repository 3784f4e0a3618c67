package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.backup.RunningBackup;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.testing.Restic;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One {@link Repository} shared by backups running at the same time, as a service shares it. */
class SharedRepositoryTest {
    @TempDir
    Path tmp;

    /** {@code data}, whose second half waits until every stream sharing {@code halfway} got to its middle. */
    private static InputStream meetingHalfway(byte[] data, CountDownLatch halfway) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int half = data.length / 2;
                if (pos == half) {
                    halfway.countDown();
                    try {
                        halfway.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                }
                if (pos == data.length) {
                    return -1;
                }
                int n = Math.min(len, (pos < half ? half : data.length) - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    @Test
    void concurrentBackupsOnOneInstanceEachReportWhatTheyAdded() throws Exception {
        Path dir = tmp.resolve("repo");
        byte[] a = new byte[3 << 20];
        byte[] b = new byte[2 << 20];
        new Random(1).nextBytes(a);
        new Random(2).nextBytes(b);
        CountDownLatch halfway = new CountDownLatch(2); // both backups are mid-file at the same time
        try (Repository repo = Repository.at(Backends.local(dir)).password("pw").kdf(KdfParams.insecureFastForTests())
                .packSize(512 * 1024).init()) {
            long before = repo.stats().bytesAdded();
            RunningBackup first = repo.backup().source(SnapshotSources.stream("/db/a.sql",
                    () -> meetingHalfway(a, halfway), Clock.systemUTC())).start();
            RunningBackup second = repo.backup().source(SnapshotSources.stream("/db/b.sql",
                    () -> meetingHalfway(b, halfway), Clock.systemUTC())).start();
            BackupResult ra = first.await();
            BackupResult rb = second.await();
            assertEquals(0, halfway.getCount());
            // the data, plus a few small trees of its own
            assertTrue(ra.bytesAdded() >= a.length && ra.bytesAdded() < a.length + 4096, "" + ra.bytesAdded());
            assertTrue(rb.bytesAdded() >= b.length && rb.bytesAdded() < b.length + 4096, "" + rb.bytesAdded());
            assertEquals(repo.stats().bytesAdded() - before, ra.bytesAdded() + rb.bytesAdded());
            assertEquals(2, repo.snapshots().size());
            assertEquals(List.of(), repo.backend().list(FileType.LOCK));
        }
        Restic restic = Restic.on(dir, "pw");
        restic.run("check", "--read-data").ok();
        Path out = tmp.resolve("out");
        restic.run("restore", "latest", "--path", "/db/b.sql", "--target", out.toString()).ok();
        assertArrayEquals(b, Files.readAllBytes(out.resolve("db/b.sql")));
        assertFalse(Files.exists(out.resolve("db/a.sql")));
    }
}
