package dev.backup4j.core.chunker;

import java.security.SecureRandom;

/**
 * Polynomials over GF(2) packed in a {@code long} (bit i is the coefficient of x^i), as used for the chunker's
 * Rabin fingerprint. The repository config stores its polynomial as lowercase hex.
 */
public final class Polynomial {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Polynomial() {
    }

    /** Degree of {@code p}, or -1 for the zero polynomial. */
    public static int degree(long p) {
        return 63 - Long.numberOfLeadingZeros(p);
    }

    /** {@code x mod d}. */
    public static long mod(long x, long d) {
        if (d == 0) {
            throw new ArithmeticException("division by the zero polynomial");
        }
        int dd = degree(d);
        while (degree(x) >= dd) {
            x ^= d << (degree(x) - dd);
        }
        return x;
    }

    /** {@code a * b mod m}, for polynomials of degree below 63. */
    public static long mulMod(long a, long b, long m) {
        int dm = degree(m);
        a = mod(a, m);
        long res = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                res ^= a;
            }
            b >>>= 1;
            a <<= 1;
            if (degree(a) == dm) {
                a ^= m;
            }
        }
        return mod(res, m);
    }

    /** Greatest common divisor. */
    public static long gcd(long a, long b) {
        while (b != 0) {
            long t = mod(a, b);
            a = b;
            b = t;
        }
        return a;
    }

    /** Ben-Or's test: true if {@code f} has no factor of degree 1..deg/2. */
    public static boolean isIrreducible(long f) {
        int deg = degree(f);
        if (deg < 1 || deg > 62) {
            return false;
        }
        long h = 2; // the polynomial x
        for (int i = 1; i <= deg / 2; i++) {
            h = mulMod(h, h, f); // x^(2^i) mod f
            if (gcd(f, h ^ 2) != 1) {
                return false;
            }
        }
        return true;
    }

    /** A random irreducible polynomial of degree 53, as restic draws for a new repository. */
    public static long randomIrreducible() {
        for (int i = 0; i < 1_000_000; i++) {
            long f = RANDOM.nextLong() & ((1L << 54) - 1);
            f |= (1L << 53) | 1;
            if (degree(f) == 53 && isIrreducible(f)) {
                return f;
            }
        }
        throw new IllegalStateException("no irreducible polynomial found in a million tries");
    }

    /** Lowercase hex without prefix, as in the config's {@code chunker_polynomial}. */
    public static String toHex(long p) {
        return Long.toHexString(p);
    }

    /**
     * Parses the config's hex form.
     *
     * @throws IllegalArgumentException if it is not hex
     */
    public static long parseHex(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }
}
