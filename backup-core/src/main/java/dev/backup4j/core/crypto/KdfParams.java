package dev.backup4j.core.crypto;

/**
 * scrypt parameters for a key file.
 *
 * @param n CPU/memory cost, a power of two greater than 1
 * @param r block size
 * @param p parallelism
 */
public record KdfParams(int n, int r, int p) {
    /**
     * Checks the parameters.
     *
     * @throws IllegalArgumentException if {@code n} is not a power of two above 1 or r, p are not positive
     */
    public KdfParams {
        if (n <= 1 || Integer.bitCount(n) != 1 || r < 1 || p < 1) {
            throw new IllegalArgumentException("invalid scrypt parameters N=" + n + " r=" + r + " p=" + p);
        }
    }

    /** What new key files use: N=32768, r=8, p=1 (32 MiB, a fraction of a second), in the range restic calibrates to. */
    public static KdfParams defaults() {
        return new KdfParams(32768, 8, 1);
    }

    /** Cheap parameters for tests and throwaway repositories only: N=1024. Never for real data. */
    public static KdfParams insecureFastForTests() {
        return new KdfParams(1024, 8, 1);
    }
}
