package dev.backup4j.core.backend;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/** A backend that forwards every call to another; extend it to decorate a few calls (retries, faults, limits). */
public abstract class ForwardingBackend implements Backend {
    private final Backend delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingBackend(Backend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The backend calls are forwarded to. */
    protected Backend delegate() {
        return delegate;
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        return delegate.list(type);
    }

    @Override
    public long size(Handle handle) throws IOException {
        return delegate.size(handle);
    }

    @Override
    public byte[] read(Handle handle, long offset, int length) throws IOException {
        return delegate.read(handle, offset, length);
    }

    @Override
    public void write(Handle handle, byte[] data) throws IOException {
        delegate.write(handle, data);
    }

    @Override
    public void delete(Handle handle) throws IOException {
        delegate.delete(handle);
    }

    @Override
    public boolean isPermanent(IOException e) {
        return delegate.isPermanent(e);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
