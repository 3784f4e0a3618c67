package dev.backup4j.core.backend;

import com.google.common.util.concurrent.RateLimiter;
import java.io.IOException;

/** Limits the bytes per second written through a backend. Reached through {@link Backends#limitUpload}. */
final class RateLimitedBackend extends ForwardingBackend {
    private static final int SLICE = 64 * 1024;
    private final RateLimiter upload;

    RateLimitedBackend(Backend delegate, long bytesPerSecond) {
        super(delegate);
        this.upload = RateLimiter.create(bytesPerSecond);
    }

    @Override
    public void write(Handle handle, byte[] data) throws IOException {
        // Pay for the bytes before sending them, in slices, so the average rate holds even for large packs.
        for (int off = 0; off < data.length; off += SLICE) {
            upload.acquire(Math.min(SLICE, data.length - off));
        }
        delegate().write(handle, data);
    }
}
