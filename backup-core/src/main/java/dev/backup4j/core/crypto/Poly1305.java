package dev.backup4j.core.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Poly1305 one-time authenticator (RFC 8439 section 2.5), in 26-bit limbs with 64-bit products, without branches
 * on secret data. Stateless: one call authenticates one message.
 *
 * <p>Every blob read from a repository is authenticated, so this is on the restore and check paths for every byte.
 * Bouncy Castle's {@code Poly1305} copies each 16-byte block into a buffer and assembles its words byte by byte;
 * reading the words straight from the message with a little-endian view and keeping the state in locals made MAC
 * verification the smaller part of a restore's CPU time (figures in docs/benchmarks.md). The result is checked against
 * Bouncy Castle's on random keys and messages and against RFC 8439's test vector.
 */
final class Poly1305 {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M26 = 0x3ffffff;
    private static final long M32 = 0xffffffffL;

    private Poly1305() {
    }

    private static long word(byte[] b, int at) {
        return (int) LE_INT.get(b, at) & M32;
    }

    /**
     * Writes the 16-byte tag of {@code msg[off, off+len)} to {@code out[outOff..]}.
     *
     * @param r the 16-byte multiplier key, clamped here as RFC 8439 (and restic) require
     * @param s the 16-byte pad, e.g. AES_k(nonce) for Poly1305-AES
     */
    static void mac(byte[] r, byte[] s, byte[] msg, int off, int len, byte[] out, int outOff) {
        long t0 = word(r, 0);
        long t1 = word(r, 4);
        long t2 = word(r, 8);
        long t3 = word(r, 12);
        // the clamp (r &= 0x0ffffffc0ffffffc0ffffffc0fffffff) folded into the split into 26-bit limbs
        final long r0 = t0 & 0x3ffffff;
        final long r1 = ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03;
        final long r2 = ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff;
        final long r3 = ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff;
        final long r4 = (t3 >>> 8) & 0x00fffff;
        final long s1 = r1 * 5;
        final long s2 = r2 * 5;
        final long s3 = r3 * 5;
        final long s4 = r4 * 5;

        long h0 = 0;
        long h1 = 0;
        long h2 = 0;
        long h3 = 0;
        long h4 = 0;
        byte[] last = null;
        int end = off + len;
        int p = off;
        while (p < end) {
            byte[] b = msg;
            int at = p;
            long hibit = 1L << 24;
            if (end - p < 16) {
                // the final partial block, padded with a 1 byte and zeros and without the 2^128 bit
                last = new byte[16];
                System.arraycopy(msg, p, last, 0, end - p);
                last[end - p] = 1;
                b = last;
                at = 0;
                hibit = 0;
                p = end;
            } else {
                p += 16;
            }
            long w0 = word(b, at);
            long w1 = word(b, at + 4);
            long w2 = word(b, at + 8);
            long w3 = word(b, at + 12);
            h0 += w0 & M26;
            h1 += ((w0 >>> 26) | (w1 << 6)) & M26;
            h2 += ((w1 >>> 20) | (w2 << 12)) & M26;
            h3 += ((w2 >>> 14) | (w3 << 18)) & M26;
            h4 += (w3 >>> 8) | hibit;

            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

            long c = d0 >>> 26;
            h0 = d0 & M26;
            d1 += c;
            c = d1 >>> 26;
            h1 = d1 & M26;
            d2 += c;
            c = d2 >>> 26;
            h2 = d2 & M26;
            d3 += c;
            c = d3 >>> 26;
            h3 = d3 & M26;
            d4 += c;
            c = d4 >>> 26;
            h4 = d4 & M26;
            h0 += c * 5;
            c = h0 >>> 26;
            h0 &= M26;
            h1 += c;
        }

        // full carry
        long c = h1 >>> 26;
        h1 &= M26;
        h2 += c;
        c = h2 >>> 26;
        h2 &= M26;
        h3 += c;
        c = h3 >>> 26;
        h3 &= M26;
        h4 += c;
        c = h4 >>> 26;
        h4 &= M26;
        h0 += c * 5;
        c = h0 >>> 26;
        h0 &= M26;
        h1 += c;

        // g = h + 5 - 2^130; take g if it did not go negative, i.e. if h >= p
        long g0 = h0 + 5;
        c = g0 >>> 26;
        g0 &= M26;
        long g1 = h1 + c;
        c = g1 >>> 26;
        g1 &= M26;
        long g2 = h2 + c;
        c = g2 >>> 26;
        g2 &= M26;
        long g3 = h3 + c;
        c = g3 >>> 26;
        g3 &= M26;
        long g4 = h4 + c - (1L << 26);
        long takeG = (g4 >>> 63) - 1; // all ones if g4 >= 0
        h0 = (h0 & ~takeG) | (g0 & takeG);
        h1 = (h1 & ~takeG) | (g1 & takeG);
        h2 = (h2 & ~takeG) | (g2 & takeG);
        h3 = (h3 & ~takeG) | (g3 & takeG);
        h4 = (h4 & ~takeG) | (g4 & takeG);

        // h mod 2^128, plus s
        long f0 = (h0 | (h1 << 26)) & M32;
        long f1 = ((h1 >>> 6) | (h2 << 20)) & M32;
        long f2 = ((h2 >>> 12) | (h3 << 14)) & M32;
        long f3 = ((h3 >>> 18) | (h4 << 8)) & M32;
        long f = f0 + word(s, 0);
        LE_INT.set(out, outOff, (int) f);
        f = f1 + word(s, 4) + (f >>> 32);
        LE_INT.set(out, outOff + 4, (int) f);
        f = f2 + word(s, 8) + (f >>> 32);
        LE_INT.set(out, outOff + 8, (int) f);
        f = f3 + word(s, 12) + (f >>> 32);
        LE_INT.set(out, outOff + 12, (int) f);
    }
}
