package dev.backup4j.core.testing;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.ForwardingBackend;
import dev.backup4j.core.backend.Handle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend wrapper that simulates a crash: the N-th mutating call (write or delete, counted from 1) and every call
 * after it fail with an {@link IOException} without touching the wrapped backend, as if the process had died just
 * before that call. Reads and lists pass through until then. Also records the mutating calls it let through, so a
 * test can first count them with {@link #never()} and then inject a fault at each one.
 *
 * <pre>{@code
 * FaultyBackend counting = FaultyBackend.never(real);
 * doSomething(counting);
 * for (int n = 1; n <= counting.mutations(); n++) {
 *     FaultyBackend faulty = FaultyBackend.crashAt(copyOf(real), n);
 *     assertThrows(IOException.class, () -> doSomething(faulty));
 *     // the repository must still be valid
 * }
 * }</pre>
 */
public final class FaultyBackend extends ForwardingBackend {
    private final int crashAt;
    private final AtomicInteger count = new AtomicInteger();
    private final List<String> log = new ArrayList<>();
    private volatile boolean crashed;

    private FaultyBackend(Backend inner, int crashAt) {
        super(Objects.requireNonNull(inner, "inner"));
        this.crashAt = crashAt;
    }

    /** Fails the {@code n}-th write or delete (1-based) and everything after it. */
    public static FaultyBackend crashAt(Backend inner, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n is 1-based, got " + n);
        }
        return new FaultyBackend(inner, n);
    }

    /** Never fails; counts and logs the mutating calls. */
    public static FaultyBackend never(Backend inner) {
        return new FaultyBackend(inner, Integer.MAX_VALUE);
    }

    /** The number of writes and deletes attempted so far (including the failed one). */
    public int mutations() {
        return count.get();
    }

    /** The writes and deletes let through, e.g. "write index/ab12..." or "delete data/cd/cd34...". */
    public synchronized List<String> log() {
        return List.copyOf(log);
    }

    /** True once the simulated crash happened. */
    public boolean crashed() {
        return crashed;
    }

    private void mutation(String what) throws IOException {
        check();
        if (count.incrementAndGet() >= crashAt) {
            crashed = true;
            throw new IOException("injected crash at mutation " + crashAt + " (" + what + ")");
        }
        synchronized (this) {
            log.add(what);
        }
    }

    private void check() throws IOException {
        if (crashed) {
            throw new IOException("injected crash: the process is gone");
        }
    }

    @Override
    public String location() {
        return "faulty:" + super.location();
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        check();
        return super.list(type);
    }

    @Override
    public long size(Handle handle) throws IOException {
        check();
        return super.size(handle);
    }

    @Override
    public byte[] read(Handle handle, long offset, int length) throws IOException {
        check();
        return super.read(handle, offset, length);
    }

    @Override
    public void write(Handle handle, byte[] data) throws IOException {
        mutation("write " + handle);
        super.write(handle, data);
    }

    @Override
    public void delete(Handle handle) throws IOException {
        mutation("delete " + handle);
        super.delete(handle);
    }
}
