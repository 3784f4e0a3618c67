package dev.backup4j.core.common;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work handed to a thread pool, with its failure rethrown as the caller would have thrown it. */
public final class Futures {
    private Futures() {
    }

    /**
     * The result of {@code f}. A task's {@link IOException}, runtime exception or error is rethrown as it is (any
     * other cause wrapped in an {@link IOException}); an interrupt while waiting restores the thread's interrupt flag
     * and throws {@link InterruptedIOException} "interrupted while {@code doing}".
     */
    public static <T> T await(Future<T> f, String doing) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + doing);
        } catch (ExecutionException e) {
            throw asIOException(e.getCause());
        }
    }

    /**
     * A task's failure as the caller throws it: an {@link IOException} as it is, a runtime exception or error thrown
     * from here, anything else wrapped in an {@link IOException}.
     */
    public static IOException asIOException(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(t);
    }
}
