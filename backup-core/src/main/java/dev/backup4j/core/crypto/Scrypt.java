package dev.backup4j.core.crypto;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The scrypt key derivation function (RFC 7914), which every command runs once to open a key file.
 *
 * <p>Bouncy Castle's {@code SCrypt} keeps the Salsa20/8 state in an array and loops over its rounds; here the state
 * lives in sixteen locals and the rounds are unrolled, which took a cold JVM's derivation for restic's usual
 * parameters (N=32768, r=8, p=1) from about 330 ms to about half that (figures in docs/benchmarks.md). The p
 * independent lanes run on up to as many threads as there are processors (restic's own key files often have p > 1).
 * Checked against RFC 7914's test vectors and against Bouncy Castle's on random parameters.
 */
final class Scrypt {
    private Scrypt() {
    }

    /**
     * Derives {@code dkLen} bytes from a password and salt.
     *
     * @throws IllegalArgumentException unless N is a power of two above 1, r and p are positive, and the working
     *     memory (128 * r * N bytes per lane) fits in an array
     */
    static byte[] derive(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
        if (n < 2 || (n & (n - 1)) != 0) {
            throw new IllegalArgumentException("scrypt N must be a power of two above 1, got " + n);
        }
        if (r < 1 || p < 1 || (long) r * p >= 1 << 30 || 32L * r * n > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("scrypt parameters out of range: N=" + n + " r=" + r + " p=" + p);
        }
        byte[] b = pbkdf2(password, salt, p * 128 * r);
        int lanes = Math.min(p, Runtime.getRuntime().availableProcessors());
        if (lanes <= 1) {
            int[] v = new int[32 * r * n];
            for (int i = 0; i < p; i++) {
                romix(b, i * 128 * r, r, n, v);
            }
            Arrays.fill(v, 0);
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(lanes, t -> {
                Thread th = new Thread(t, "backup4j-scrypt");
                th.setDaemon(true);
                return th;
            });
            try {
                List<Future<?>> done = new ArrayList<>();
                ThreadLocal<int[]> scratch = ThreadLocal.withInitial(() -> new int[32 * r * n]);
                for (int i = 0; i < p; i++) {
                    int lane = i;
                    done.add(pool.submit(() -> romix(b, lane * 128 * r, r, n, scratch.get())));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while deriving a key", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("scrypt failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        byte[] out = pbkdf2(password, b, dkLen);
        Arrays.fill(b, (byte) 0);
        return out;
    }

    /** PBKDF2-HMAC-SHA256 with one iteration, as scrypt uses it. */
    private static byte[] pbkdf2(byte[] password, byte[] salt, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // SecretKeySpec refuses an empty key; HMAC pads its key with zeros, so one zero byte is the same key
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA256"));
            byte[] out = new byte[len];
            byte[] block = new byte[4];
            for (int i = 1, at = 0; at < len; i++, at += 32) {
                mac.update(salt);
                block[0] = (byte) (i >>> 24);
                block[1] = (byte) (i >>> 16);
                block[2] = (byte) (i >>> 8);
                block[3] = (byte) i;
                mac.update(block);
                byte[] u = mac.doFinal();
                System.arraycopy(u, 0, out, at, Math.min(32, len - at));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    /** scrypt's ROMix on the 128*r bytes of {@code b} from {@code off}, in place; {@code v} is the 128*r*N scratch. */
    private static void romix(byte[] b, int off, int r, int n, int[] v) {
        int words = 32 * r;
        int[] x = new int[words];
        int[] y = new int[words];
        for (int i = 0; i < words; i++) {
            int at = off + 4 * i;
            x[i] = (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
        }
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, v, i * words, words);
            blockMix(x, y, r);
        }
        int last = (2 * r - 1) * 16;
        for (int i = 0; i < n; i++) {
            int j = x[last] & (n - 1);
            int base = j * words;
            for (int k = 0; k < words; k++) {
                x[k] ^= v[base + k];
            }
            blockMix(x, y, r);
        }
        for (int i = 0; i < words; i++) {
            int at = off + 4 * i;
            b[at] = (byte) x[i];
            b[at + 1] = (byte) (x[i] >>> 8);
            b[at + 2] = (byte) (x[i] >>> 16);
            b[at + 3] = (byte) (x[i] >>> 24);
        }
        Arrays.fill(x, 0);
        Arrays.fill(y, 0);
    }

    /** scrypt's BlockMix with Salsa20/8: {@code b} (2r blocks of 16 words) is replaced; {@code y} is scratch. */
    private static void blockMix(int[] b, int[] y, int r) {
        int last = (2 * r - 1) * 16;
        int x0 = b[last], x1 = b[last + 1], x2 = b[last + 2], x3 = b[last + 3];
        int x4 = b[last + 4], x5 = b[last + 5], x6 = b[last + 6], x7 = b[last + 7];
        int x8 = b[last + 8], x9 = b[last + 9], x10 = b[last + 10], x11 = b[last + 11];
        int x12 = b[last + 12], x13 = b[last + 13], x14 = b[last + 14], x15 = b[last + 15];
        for (int i = 0; i < 2 * r; i++) {
            int in = i * 16;
            x0 ^= b[in]; x1 ^= b[in + 1]; x2 ^= b[in + 2]; x3 ^= b[in + 3];
            x4 ^= b[in + 4]; x5 ^= b[in + 5]; x6 ^= b[in + 6]; x7 ^= b[in + 7];
            x8 ^= b[in + 8]; x9 ^= b[in + 9]; x10 ^= b[in + 10]; x11 ^= b[in + 11];
            x12 ^= b[in + 12]; x13 ^= b[in + 13]; x14 ^= b[in + 14]; x15 ^= b[in + 15];
            int s0 = x0, s1 = x1, s2 = x2, s3 = x3, s4 = x4, s5 = x5, s6 = x6, s7 = x7;
            int s8 = x8, s9 = x9, s10 = x10, s11 = x11, s12 = x12, s13 = x13, s14 = x14, s15 = x15;
            for (int round = 0; round < 8; round += 2) {
                // columns
                x4 ^= Integer.rotateLeft(x0 + x12, 7);  x8 ^= Integer.rotateLeft(x4 + x0, 9);
                x12 ^= Integer.rotateLeft(x8 + x4, 13); x0 ^= Integer.rotateLeft(x12 + x8, 18);
                x9 ^= Integer.rotateLeft(x5 + x1, 7);   x13 ^= Integer.rotateLeft(x9 + x5, 9);
                x1 ^= Integer.rotateLeft(x13 + x9, 13); x5 ^= Integer.rotateLeft(x1 + x13, 18);
                x14 ^= Integer.rotateLeft(x10 + x6, 7); x2 ^= Integer.rotateLeft(x14 + x10, 9);
                x6 ^= Integer.rotateLeft(x2 + x14, 13); x10 ^= Integer.rotateLeft(x6 + x2, 18);
                x3 ^= Integer.rotateLeft(x15 + x11, 7); x7 ^= Integer.rotateLeft(x3 + x15, 9);
                x11 ^= Integer.rotateLeft(x7 + x3, 13); x15 ^= Integer.rotateLeft(x11 + x7, 18);
                // rows
                x1 ^= Integer.rotateLeft(x0 + x3, 7);   x2 ^= Integer.rotateLeft(x1 + x0, 9);
                x3 ^= Integer.rotateLeft(x2 + x1, 13);  x0 ^= Integer.rotateLeft(x3 + x2, 18);
                x6 ^= Integer.rotateLeft(x5 + x4, 7);   x7 ^= Integer.rotateLeft(x6 + x5, 9);
                x4 ^= Integer.rotateLeft(x7 + x6, 13);  x5 ^= Integer.rotateLeft(x4 + x7, 18);
                x11 ^= Integer.rotateLeft(x10 + x9, 7); x8 ^= Integer.rotateLeft(x11 + x10, 9);
                x9 ^= Integer.rotateLeft(x8 + x11, 13); x10 ^= Integer.rotateLeft(x9 + x8, 18);
                x12 ^= Integer.rotateLeft(x15 + x14, 7); x13 ^= Integer.rotateLeft(x12 + x15, 9);
                x14 ^= Integer.rotateLeft(x13 + x12, 13); x15 ^= Integer.rotateLeft(x14 + x13, 18);
            }
            x0 += s0; x1 += s1; x2 += s2; x3 += s3; x4 += s4; x5 += s5; x6 += s6; x7 += s7;
            x8 += s8; x9 += s9; x10 += s10; x11 += s11; x12 += s12; x13 += s13; x14 += s14; x15 += s15;
            // even blocks go to the first half of the output, odd ones to the second
            int out = ((i & 1) == 0 ? i / 2 : r + i / 2) * 16;
            y[out] = x0; y[out + 1] = x1; y[out + 2] = x2; y[out + 3] = x3;
            y[out + 4] = x4; y[out + 5] = x5; y[out + 6] = x6; y[out + 7] = x7;
            y[out + 8] = x8; y[out + 9] = x9; y[out + 10] = x10; y[out + 11] = x11;
            y[out + 12] = x12; y[out + 13] = x13; y[out + 14] = x14; y[out + 15] = x15;
        }
        System.arraycopy(y, 0, b, 0, 32 * r);
    }
}
