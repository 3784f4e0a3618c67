package dev.backup4j.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Deterministic benchmark inputs. */
public final class Data {
    /** One block, the size the blob benchmarks use (restic's chunks average 1 MiB). */
    public static final int MIB = 1024 * 1024;

    /**
     * A fixed irreducible polynomial of degree 53 (restic's documentation example; {@code ChunkerBench} checks it
     * with {@code Polynomial.isIrreducible} at setup).
     */
    public static final String POLYNOMIAL_HEX = "3dea92648f6e83";

    private Data() {
    }

    /** {@code n} pseudo-random (incompressible) bytes from a fixed seed. */
    public static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i += 8) {
            long v = r.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
        return b;
    }

    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
    private static final String[] LOGGERS = {"d.b.core.Repository", "d.b.core.BackupCommand", "d.b.ssh.SftpBackend",
        "d.b.core.pack.PackWriter", "d.b.core.index.Index", "org.apache.sshd.client.session.ClientSessionImpl"};
    private static final String[] MESSAGES = {
        "uploaded pack %08x (%d blobs, %d bytes)",
        "saved tree %08x with %d nodes",
        "cannot back up /home/user/projects/%08x/build/output.log: permission denied",
        "lock %08x refreshed after %d ms",
        "index %08x written, %d packs, %d blobs",
        "request GET /api/v1/items/%d?page=%d took %d ms, status 200",
        "session %08x: channel opened, window size %d, packet size %d",
    };

    /**
     * {@code n} bytes of generated, text-like log lines (compressible roughly 4-6x by zstd level 3, like real logs):
     * timestamps, levels, logger names and messages with varying numbers.
     */
    public static byte[] text(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(n + 256);
        long millis = 1_700_000_000_000L;
        while (sb.length() < n) {
            millis += r.nextInt(5_000);
            long s = millis / 1000;
            sb.append(String.format("2024-%02d-%02dT%02d:%02d:%02d.%03dZ ", 1 + (int) (s / 2_592_000 % 12),
                    1 + (int) (s / 86_400 % 28), (int) (s / 3600 % 24), (int) (s / 60 % 60), (int) (s % 60),
                    (int) (millis % 1000)));
            sb.append(String.format("%-5s ", LEVELS[r.nextInt(LEVELS.length)]));
            sb.append('[').append("worker-").append(r.nextInt(16)).append("] ");
            sb.append(LOGGERS[r.nextInt(LOGGERS.length)]).append(" - ");
            String m = MESSAGES[r.nextInt(MESSAGES.length)];
            sb.append(String.format(m, r.nextInt(), r.nextInt(1000), r.nextInt(20_000_000)));
            sb.append('\n');
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(all, n);
    }

    /** Random or text data by name: "random" or "text". */
    public static byte[] of(String kind, int n) {
        return switch (kind) {
            case "random" -> random(n, 42);
            case "text" -> text(n, 42);
            default -> throw new IllegalArgumentException("unknown data kind " + kind);
        };
    }
}
