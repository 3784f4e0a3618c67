package dev.backup4j.s3;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.testing.BackendThroughput;
import dev.backup4j.core.testing.RcloneRestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;

/**
 * Throughput of pack-sized writes and whole-file reads: local disk vs S3 (S3Proxy in process, on loopback) vs REST
 * ({@code rclone serve restic} on loopback). Run with {@code backup-s3/bench/object-throughput.sh [MiB] [threads]};
 * not a unit test.
 */
public final class ObjectStorageThroughputBenchmark {
    private ObjectStorageThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<byte[]> data = BackendThroughput.packs(mib);
        Path tmp = Files.createTempDirectory("object-bench");
        System.out.printf("%d packs of 4 MiB, %d threads; cores=%d%n", data.size(), threads,
                Runtime.getRuntime().availableProcessors());
        double[] local = BackendThroughput.run("local disk", Backends.local(tmp.resolve("local")), data, threads);
        S3ProxyExtension s3 = S3TestBuckets.server();
        s3.beforeEach(null);
        double[] s3r;
        try {
            s3r = BackendThroughput.run("s3 (s3proxy, loopback)", S3TestBuckets.backend(S3TestBuckets.bucket(s3,
                    "bench", "repo")), data, threads);
        } finally {
            s3.afterEach(null);
        }
        double[] rest;
        try (RcloneRestServer server = RcloneRestServer.start(tmp.resolve("rest"), false)) {
            rest = BackendThroughput.run("rest (rclone, loopback)", Backends.rest(server.url("repo")), data, threads);
        }
        System.out.printf("ratio s3/local:   write %.2f, read %.2f%n", s3r[0] / local[0], s3r[1] / local[1]);
        System.out.printf("ratio rest/local: write %.2f, read %.2f%n", rest[0] / local[0], rest[1] / local[1]);
        try (var walk = Files.walk(tmp)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
