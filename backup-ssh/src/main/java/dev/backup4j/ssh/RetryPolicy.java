package dev.backup4j.ssh;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a transient failure ({@link SshConnectionException}) is retried: up to
 * {@link #maxAttempts()} attempts in all, waiting {@link #initialDelay()} after the first failure and twice as long
 * after each further one, at most {@link #maxDelay()}. Permanent failures are never retried. Immutable.
 *
 * <pre>{@code
 * RetryPolicy patient = RetryPolicy.of(8, Duration.ofSeconds(1), Duration.ofSeconds(30));
 * }</pre>
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(10));
    private static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration maxDelay;

    private RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        this.maxAttempts = maxAttempts;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** Five attempts, waiting 0.5 s, 1 s, 2 s, 4 s between them. */
    public static RetryPolicy defaults() {
        return DEFAULT;
    }

    /** One attempt: every failure reaches the caller at once. */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * A policy with the given number of attempts and delays.
     *
     * @throws IllegalArgumentException if {@code maxAttempts < 1}, a delay is negative, or
     *                                  {@code maxDelay < initialDelay}
     */
    public static RetryPolicy of(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + " and "
                    + maxDelay);
        }
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay);
    }

    /** Attempts in all, including the first. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The wait after the first failure. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** The longest wait between two attempts. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The wait after the {@code failedAttempt}-th failed attempt (1-based). */
    Duration delayAfter(int failedAttempt) {
        Duration d = initialDelay;
        for (int i = 1; i < failedAttempt && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    @Override
    public String toString() {
        return "RetryPolicy[attempts=" + maxAttempts + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay + "]";
    }
}
