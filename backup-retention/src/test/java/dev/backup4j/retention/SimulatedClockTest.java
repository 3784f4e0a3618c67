package dev.backup4j.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link SimulatedClock} under concurrent use. No timing is measured or asserted: the threads start together and the
 * assertions are about values only (no lost advance, no read going back, the final instant).
 */
class SimulatedClockTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final int WRITERS = 4;
    private static final int READERS = 2;
    private static final int ADVANCES = 50_000;

    /**
     * Fails against a plain (or volatile) field with read-modify-write advances: run against such a variant, advances
     * were lost in 3 runs of 3.
     */
    @Test
    void concurrentAdvancesAddUpAndNoReadGoesBack() throws Exception {
        SimulatedClock clock = SimulatedClock.at(Instant.EPOCH, UTC);
        Set<Instant> results = ConcurrentHashMap.newKeySet();
        List<Long> regressions = runConcurrently(clock, w -> {
            for (int i = 0; i < ADVANCES; i++) {
                results.add(clock.advanceBy(Duration.ofSeconds(1)));
            }
        });
        assertEquals(Instant.EPOCH.plusSeconds((long) WRITERS * ADVANCES), clock.instant(), "an advance was lost");
        assertEquals(WRITERS * ADVANCES, results.size(), "two advances returned the same instant");
        assertEquals(List.of(0L, 0L), regressions, "reads that went back, per reader");
    }

    /**
     * The contract of a lost race: the loser throws and the clock keeps the later instant. A weaker detector than the
     * test above (a plain field's check-then-set races only in a tiny window): it caught the plain variant in 1 run of 3.
     */
    @Test
    void racingAdvanceToNeverTakesTheClockBack() throws Exception {
        SimulatedClock clock = SimulatedClock.at(Instant.EPOCH, UTC);
        long[] maxTarget = new long[WRITERS];
        long[] afterSuccess = new long[WRITERS];
        List<Long> regressions = runConcurrently(clock, w -> {
            Random random = new Random(w);
            for (int i = 0; i < ADVANCES; i++) {
                // Targets grow with i but interleave between threads, so many calls lose the race and must fail.
                long target = i * 10L + random.nextInt(40);
                maxTarget[w] = Math.max(maxTarget[w], target);
                try {
                    clock.advanceTo(Instant.ofEpochSecond(target));
                    if (clock.instant().getEpochSecond() < target) {
                        afterSuccess[w]++;
                    }
                } catch (IllegalArgumentException lostTheRace) {
                    // Expected: another thread moved the clock past the target first.
                }
            }
        });
        long max = 0;
        for (long m : maxTarget) {
            max = Math.max(max, m);
        }
        // The largest target can never fail, and nothing can move the clock back from it.
        assertEquals(Instant.ofEpochSecond(max), clock.instant());
        assertEquals(0, java.util.Arrays.stream(afterSuccess).sum(), "clock behind a target just reached");
        assertEquals(List.of(0L, 0L), regressions, "reads that went back, per reader");
    }

    @Test
    void advancesRefuseToGoBackAndLeaveTheClockWhereItWas() {
        SimulatedClock c = SimulatedClock.at(Instant.EPOCH, UTC);
        assertEquals(Instant.EPOCH.plusSeconds(7), c.advanceBy(Duration.ofSeconds(7)));
        assertEquals(Instant.EPOCH.plusSeconds(7), c.advanceBy(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> c.advanceBy(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> c.advanceTo(Instant.EPOCH));
        assertEquals(Instant.EPOCH.plusSeconds(7), c.instant());
        assertEquals(7000, c.millis());
        SimulatedClock end = SimulatedClock.at(Instant.MAX.minusSeconds(1), UTC);
        assertThrows(java.time.DateTimeException.class, () -> end.advanceBy(Duration.ofSeconds(2)));
        assertEquals(Instant.MAX.minusSeconds(1), end.instant());
    }

    /** Something a writer thread does, given its index. */
    private interface Writer {
        void run(int index);
    }

    /**
     * Runs {@link #WRITERS} writers and {@link #READERS} readers that read the clock until the writers are done; returns
     * per reader how many reads were earlier than the read before.
     */
    private static List<Long> runConcurrently(SimulatedClock clock, Writer writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int index = w;
                writers.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    writer.run(index);
                    return null;
                }));
            }
            List<Future<Long>> readers = new ArrayList<>();
            long[] reads = new long[READERS];
            for (int r = 0; r < READERS; r++) {
                int index = r;
                readers.add(pool.submit(() -> {
                    start.await();
                    long back = 0;
                    Instant previous = clock.instant();
                    do {
                        Instant now = clock.instant();
                        if (now.isBefore(previous)) {
                            back++;
                        }
                        previous = now;
                        reads[index]++;
                    } while (writing.get());
                    return back;
                }));
            }
            start.countDown();
            for (Future<?> f : writers) {
                f.get();
            }
            writing.set(false);
            List<Long> regressions = new ArrayList<>();
            for (Future<Long> f : readers) {
                regressions.add(f.get());
            }
            for (long n : reads) {
                assertTrue(n > 0, "every reader read the clock");
            }
            return regressions;
        } finally {
            pool.shutdownNow();
        }
    }
}
