package dev.backup4j.core.testing;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Backend throughput for the benchmark programs (not unit tests): pack-sized writes, then whole-file reads. */
public final class BackendThroughput {
    private BackendThroughput() {
    }

    /** {@code packs} random 4 MiB packs. */
    public static List<byte[]> packs(int mib) {
        int packSize = 4 * 1024 * 1024;
        List<byte[]> data = new ArrayList<>();
        Random rnd = new Random(1);
        for (int i = 0; i < Math.max(1, mib / 4); i++) {
            byte[] b = new byte[packSize];
            rnd.nextBytes(b);
            data.add(b);
        }
        return data;
    }

    /** Returns {write MiB/s, read MiB/s}, best of two rounds (a fresh repository folder each round). */
    public static double[] run(String name, Backend backend, List<byte[]> data, int threads) throws Exception {
        double bestW = 0;
        double bestR = 0;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (backend) {
            Backends.createLayout(backend);
            for (int round = 0; round < 2; round++) {
                List<Handle> handles = new ArrayList<>();
                for (byte[] d : data) {
                    byte[] salted = d.clone();
                    salted[0] = (byte) round;
                    salted[1] = (byte) (round >> 8);
                    handles.add(Handle.of(FileType.PACK, Id.hash(salted)));
                    d[0] = salted[0];
                    d[1] = salted[1];
                }
                long t0 = System.nanoTime();
                List<Future<?>> fs = new ArrayList<>();
                for (int i = 0; i < data.size(); i++) {
                    int n = i;
                    fs.add(pool.submit(() -> {
                        backend.write(handles.get(n), data.get(n));
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
                double w = mibPerSecond(data, System.nanoTime() - t0);
                fs.clear();
                t0 = System.nanoTime();
                for (Handle h : handles) {
                    fs.add(pool.submit(() -> backend.readAll(h)));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
                double r = mibPerSecond(data, System.nanoTime() - t0);
                for (Handle h : handles) {
                    backend.delete(h);
                }
                bestW = Math.max(bestW, w);
                bestR = Math.max(bestR, r);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("%-24s write %8.1f MiB/s   read %8.1f MiB/s%n", name, bestW, bestR);
        return new double[] {bestW, bestR};
    }

    static double mibPerSecond(List<byte[]> data, long nanos) {
        long bytes = data.stream().mapToLong(b -> b.length).sum();
        return bytes / 1048576.0 / (nanos / 1e9);
    }
}
