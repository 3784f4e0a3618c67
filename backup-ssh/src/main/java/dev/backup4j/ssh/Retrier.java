package dev.backup4j.ssh;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an operation again after a transient failure ({@link SshConnectionException}), with back-off. */
final class Retrier {
    private static final Logger LOG = LoggerFactory.getLogger(Retrier.class);

    /** One attempt; {@code attempt} counts from 1. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(int attempt) throws IOException;
    }

    private final RetryPolicy policy;

    Retrier(RetryPolicy policy) {
        this.policy = policy;
    }

    <T> T call(String what, Attempt<T> op) throws IOException {
        for (int attempt = 1;; attempt++) {
            try {
                return op.run(attempt);
            } catch (SshConnectionException e) {
                if (attempt >= policy.maxAttempts()) {
                    if (attempt > 1) {
                        e.addSuppressed(new IOException("gave up on " + what + " after " + attempt + " attempts"));
                    }
                    throw e;
                }
                Duration d = policy.delayAfter(attempt);
                LOG.warn("{} failed (attempt {}/{}): {}; retrying in {} ms", what, attempt, policy.maxAttempts(),
                        e.getMessage(), d.toMillis());
                sleep(d);
            }
        }
    }

    private static void sleep(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
