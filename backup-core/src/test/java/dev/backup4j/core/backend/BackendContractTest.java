package dev.backup4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.common.Id;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Backend} must meet. Each implementation extends this class and supplies a fresh,
 * empty backend (with its layout created) per test.
 */
public abstract class BackendContractTest {
    protected Backend backend;

    /** A new, empty backend whose layout has been created. */
    protected abstract Backend newBackend() throws Exception;

    @BeforeEach
    void setUpBackend() throws Exception {
        backend = newBackend();
    }

    @AfterEach
    void closeBackend() throws IOException {
        backend.close();
    }

    protected static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static Handle handleFor(FileType type, byte[] data) {
        return type == FileType.CONFIG ? Handle.CONFIG : Handle.of(type, Id.hash(data));
    }

    @Test
    void writeThenReadWholeFileOfEachType() throws IOException {
        for (FileType type : FileType.values()) {
            byte[] data = randomBytes(type.ordinal(), 1000 + type.ordinal());
            Handle h = handleFor(type, data);
            backend.write(h, data);
            assertArrayEquals(data, backend.readAll(h), type.toString());
            assertEquals(data.length, backend.size(h));
            assertTrue(backend.exists(h));
        }
    }

    @Test
    void emptyFileRoundTrips() throws IOException {
        byte[] data = new byte[0];
        Handle h = handleFor(FileType.SNAPSHOT, data);
        backend.write(h, data);
        assertEquals(0, backend.size(h));
        assertArrayEquals(data, backend.readAll(h));
        assertArrayEquals(data, backend.read(h, 0, 0));
    }

    @Test
    void rangeReadsReturnExactlyTheRequestedBytes() throws IOException {
        byte[] data = randomBytes(7, 5000);
        Handle h = handleFor(FileType.PACK, data);
        backend.write(h, data);
        Random rnd = new Random(11);
        for (int i = 0; i < 50; i++) {
            int off = rnd.nextInt(data.length);
            int len = rnd.nextInt(data.length - off + 1);
            byte[] expected = java.util.Arrays.copyOfRange(data, off, off + len);
            assertArrayEquals(expected, backend.read(h, off, len), "off=" + off + " len=" + len);
        }
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 4990, 5000), backend.read(h, 4990, -1));
    }

    /** Pack-sized files: implementations may read and write in slices (the local one does, in 1 MiB). */
    @Test
    void largeFilesRoundTripWholeAndInRanges() throws IOException {
        byte[] data = randomBytes(8, 5 * 1024 * 1024 + 17);
        Handle h = handleFor(FileType.PACK, data);
        backend.write(h, data, data.length - 7);
        byte[] stored = java.util.Arrays.copyOf(data, data.length - 7);
        assertArrayEquals(stored, backend.readAll(h));
        Random rnd = new Random(12);
        for (int i = 0; i < 8; i++) {
            int off = rnd.nextInt(stored.length);
            int len = rnd.nextInt(stored.length - off + 1);
            assertArrayEquals(java.util.Arrays.copyOfRange(stored, off, off + len), backend.read(h, off, len),
                    "off=" + off + " len=" + len);
        }
        int mib = 1024 * 1024;
        assertArrayEquals(java.util.Arrays.copyOfRange(stored, mib - 3, 3 * mib + 5), backend.read(h, mib - 3, 2 * mib + 8));
    }

    @Test
    void readIntoFillsTheStartOfAReusedBufferAndFailsPastTheEnd() throws IOException {
        byte[] data = randomBytes(31, 3 * 1024 * 1024 + 5);
        Handle h = handleFor(FileType.PACK, data);
        backend.write(h, data);
        byte[] buf = new byte[data.length + 100];
        java.util.Arrays.fill(buf, (byte) 7);
        Random rnd = new Random(32);
        for (int i = 0; i < 6; i++) {
            int off = rnd.nextInt(data.length);
            int len = rnd.nextInt(data.length - off + 1);
            backend.readInto(h, off, buf, len);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, off, off + len), java.util.Arrays.copyOf(buf, len),
                    "off=" + off + " len=" + len);
        }
        backend.readInto(h, 0, buf, data.length);
        assertArrayEquals(data, java.util.Arrays.copyOf(buf, data.length));
        assertEquals(7, buf[data.length], "nothing written past the length asked for");
        assertThrows(java.io.EOFException.class, () -> backend.readInto(h, data.length - 10, buf, 11));
    }

    @Test
    void writingAPrefixOfAnArrayStoresExactlyThatPrefix() throws IOException {
        byte[] buf = randomBytes(21, 4096);
        byte[] prefix = java.util.Arrays.copyOf(buf, 1000);
        Handle h = handleFor(FileType.PACK, prefix);
        backend.write(h, buf, 1000);
        assertEquals(1000, backend.size(h));
        assertArrayEquals(prefix, backend.readAll(h));
        assertThrows(FileAlreadyExistsException.class, () -> backend.write(h, buf, 10));
    }

    @Test
    void readPastTheEndFails() throws IOException {
        byte[] data = randomBytes(3, 100);
        Handle h = handleFor(FileType.PACK, data);
        backend.write(h, data);
        assertThrows(EOFException.class, () -> backend.read(h, 90, 11));
        assertThrows(EOFException.class, () -> backend.read(h, 101, -1));
    }

    @Test
    void missingFilesAreNoSuchFile() throws IOException {
        Handle h = Handle.of(FileType.INDEX, Id.hash(new byte[] {1}));
        assertThrows(NoSuchFileException.class, () -> backend.readAll(h));
        assertThrows(NoSuchFileException.class, () -> backend.size(h));
        assertThrows(NoSuchFileException.class, () -> backend.delete(h));
        assertFalse(backend.exists(h));
        assertTrue(backend.isPermanent(new NoSuchFileException(h.toString())));
    }

    @Test
    void writingAnExistingFileFailsAndKeepsTheOriginal() throws IOException {
        byte[] data = randomBytes(5, 300);
        Handle h = handleFor(FileType.KEY, data);
        backend.write(h, data);
        assertThrows(FileAlreadyExistsException.class, () -> backend.write(h, new byte[] {1, 2, 3}));
        assertArrayEquals(data, backend.readAll(h));
    }

    @Test
    void listShowsOnlyFilesOfThatTypeWithSizes() throws IOException {
        Set<String> packs = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = randomBytes(100 + i, 10 + i);
            Handle h = handleFor(FileType.PACK, data);
            backend.write(h, data);
            packs.add(h.name());
        }
        byte[] snap = randomBytes(1, 20);
        backend.write(handleFor(FileType.SNAPSHOT, snap), snap);

        List<FileInfo> listed = backend.list(FileType.PACK);
        assertEquals(packs, listed.stream().map(FileInfo::name).collect(Collectors.toSet()));
        for (FileInfo fi : listed) {
            assertEquals(backend.size(new Handle(FileType.PACK, fi.name())), fi.size());
        }
        assertEquals(1, backend.list(FileType.SNAPSHOT).size());
        assertEquals(0, backend.list(FileType.LOCK).size());
        assertEquals(0, backend.list(FileType.CONFIG).size());
    }

    @Test
    void deleteRemovesTheFileFromReadsAndLists() throws IOException {
        byte[] data = randomBytes(9, 64);
        Handle h = handleFor(FileType.LOCK, data);
        backend.write(h, data);
        backend.delete(h);
        assertFalse(backend.exists(h));
        assertTrue(backend.list(FileType.LOCK).isEmpty());
        backend.write(h, data); // the name can be used again after a delete
        assertArrayEquals(data, backend.readAll(h));
    }

    @Test
    void largeFileRoundTrips() throws IOException {
        byte[] data = randomBytes(13, 9 * 1024 * 1024 + 17);
        Handle h = handleFor(FileType.PACK, data);
        backend.write(h, data);
        assertArrayEquals(data, backend.readAll(h));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 8_000_000, 8_000_100), backend.read(h, 8_000_000, 100));
    }

    @Test
    void concurrentWritersOfDistinctFiles() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Handle>> futures = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                final int n = i;
                futures.add(pool.submit(() -> {
                    byte[] data = randomBytes(1000 + n, 2000 + n);
                    Handle h = handleFor(FileType.PACK, data);
                    backend.write(h, data);
                    return h;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                Handle h = futures.get(i).get();
                assertArrayEquals(randomBytes(1000 + i, 2000 + i), backend.readAll(h));
            }
            assertEquals(32, backend.list(FileType.PACK).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void handlesRefuseNamesThatCouldEscapeTheirFolder() {
        for (String bad : new String[] {"", "..", "../x", "a/b", ".hidden", "a\0b", "a\\b"}) {
            assertThrows(IllegalArgumentException.class, () -> new Handle(FileType.SNAPSHOT, bad), bad);
        }
    }
}
