package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The default number of pack readers follows the processors on a large heap and the heap on a small one, so that
 * the readers' buffers (two per reader, each up to the planner's largest range plus 1 MiB) stay within a third of
 * it. The heap a whole restore needs is measured by bench/heap-floor.sh (docs/embedding.md).
 */
class RestoreExecutorHeapTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aLargeHeapGetsTwiceTheProcessorsFromTwoToEight() {
        assertEquals(4, RestoreExecutor.defaultThreads(8192 * MIB, 2));
        assertEquals(2, RestoreExecutor.defaultThreads(8192 * MIB, 1));
        assertEquals(8, RestoreExecutor.defaultThreads(8192 * MIB, 16));
    }

    @Test
    void aSmallHeapGetsFewerReadersButAlwaysOne() {
        long perReader = 2 * (RestorePlanner.MAX_RANGE + MIB);
        assertEquals(4, RestoreExecutor.defaultThreads(256 * MIB, 2));
        assertEquals(2, RestoreExecutor.defaultThreads(128 * MIB, 2));
        assertEquals(1, RestoreExecutor.defaultThreads(64 * MIB, 2));
        assertEquals(1, RestoreExecutor.defaultThreads(16 * MIB, 8));
        for (long heap = 16 * MIB; heap <= 1024 * MIB; heap += 8 * MIB) {
            int readers = RestoreExecutor.defaultThreads(heap, 8);
            assertTrue(readers == 1 || readers * perReader <= heap / 3, heap / MIB + " MiB: " + readers);
        }
    }
}
