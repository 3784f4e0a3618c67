package dev.backup4j.core.backup;

import com.google.common.util.concurrent.RateLimiter;
import dev.backup4j.core.snapshot.SourceFailedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** A source's file as the backup reads it: its read failures told apart from the repository's, the read limit. */
final class SourceReads {
    private SourceReads() {
    }

        /** A failure of the source while reading, as opposed to one of the repository. */
        static final class SourceReadException extends IOException {
            private static final long serialVersionUID = 1L;

            SourceReadException(IOException cause) {
                super(cause.getMessage(), cause);
            }
        }

        /** Tags the source's read failures and applies the read rate limit. */
        static final class SourceInput extends FilterInputStream {
            private final RateLimiter limit;

            SourceInput(InputStream in, RateLimiter limit) {
                super(in);
                this.limit = limit;
            }

            private IOException tag(IOException e) {
                if (e instanceof SourceFailedException || e instanceof InterruptedIOException) {
                    return e;
                }
                return new SourceReadException(e);
            }

            @Override
            public int read() throws IOException {
                try {
                    int b = super.read();
                    if (b >= 0 && limit != null) {
                        limit.acquire(1);
                    }
                    return b;
                } catch (IOException e) {
                    throw tag(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    int n = super.read(b, off, limit != null ? Math.min(len, 64 * 1024) : len);
                    if (n > 0 && limit != null) {
                        limit.acquire(n);
                    }
                    return n;
                } catch (IOException e) {
                    throw tag(e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } catch (IOException e) {
                    throw tag(e);
                }
            }
        }
}
