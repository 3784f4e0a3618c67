package dev.backup4j.ssh;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Throughput of pack-sized writes and whole-file reads: local disk vs SFTP on loopback (OpenSSH's sshd, and MINA's
 * in-process server). Run with {@code backup-ssh/bench/sftp-throughput.sh [MiB] [threads]}; not a unit test.
 */
public final class SftpThroughputBenchmark {
    private SftpThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int packSize = 4 * 1024 * 1024;
        int packs = Math.max(1, mib * 1024 * 1024 / packSize);
        List<byte[]> data = new ArrayList<>();
        Random rnd = new Random(1);
        for (int i = 0; i < packs; i++) {
            byte[] b = new byte[packSize];
            rnd.nextBytes(b);
            data.add(b);
        }
        Path tmp = Files.createTempDirectory("sftp-bench");
        System.out.printf("%d packs of 4 MiB (%d MiB), %d threads; cores=%d%n", packs, packs * 4, threads,
                Runtime.getRuntime().availableProcessors());
        double[] local = run("local disk", Backends.local(tmp.resolve("local")), data, threads);
        double[] openssh = null;
        if (Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
            try (OpenSshServer sshd = OpenSshServer.start(Files.createDirectory(tmp.resolve("sshd")))) {
                openssh = run("sftp openssh loopback", SftpBackends.open(
                        sshd.clientConfig().sftpChannels(threads).build(), tmp.resolve("openssh").toString()), data,
                        threads);
            }
        }
        double[] mina;
        Path minaRoot = Files.createDirectory(tmp.resolve("mina"));
        try (TestSshServer server = TestSshServer.builder(minaRoot).start()) {
            mina = run("sftp mina in-process", SftpBackends.open(server.clientConfig().sftpChannels(threads).build(),
                    "/repo"), data, threads);
        }
        if (openssh != null) {
            System.out.printf("ratio sftp(openssh)/local: write %.2f, read %.2f%n", openssh[0] / local[0],
                    openssh[1] / local[1]);
        }
        System.out.printf("ratio sftp(mina)/local:    write %.2f, read %.2f%n", mina[0] / local[0], mina[1] / local[1]);
        try (var walk = Files.walk(tmp)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Returns {write MiB/s, read MiB/s}, best of two rounds (a fresh repository folder each round). */
    private static double[] run(String name, Backend backend, List<byte[]> data, int threads) throws Exception {
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

    private static double mibPerSecond(List<byte[]> data, long nanos) {
        long bytes = data.stream().mapToLong(b -> b.length).sum();
        return bytes / 1048576.0 / (nanos / 1e9);
    }
}
