package dev.backup4j.core.backend;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A repository held in memory. Reached through {@link Backends#inMemory()}. */
final class MemoryBackend implements Backend {
    private final Map<Handle, byte[]> files = new ConcurrentHashMap<>();

    @Override
    public String location() {
        return "memory:" + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public List<FileInfo> list(FileType type) {
        List<FileInfo> out = new ArrayList<>();
        files.forEach((h, data) -> {
            if (h.type() == type) {
                out.add(new FileInfo(h.name(), data.length));
            }
        });
        return out;
    }

    private byte[] get(Handle handle) throws NoSuchFileException {
        byte[] data = files.get(handle);
        if (data == null) {
            throw new NoSuchFileException(handle.relativePath());
        }
        return data;
    }

    @Override
    public long size(Handle handle) throws IOException {
        return get(handle).length;
    }

    @Override
    public byte[] read(Handle handle, long offset, int length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        byte[] data = get(handle);
        long n = length < 0 ? data.length - offset : length;
        if (n < 0 || offset + n > data.length) {
            throw new EOFException(handle + ": read of " + n + " bytes at " + offset + " is past the end ("
                    + data.length + " bytes)");
        }
        return Arrays.copyOfRange(data, (int) offset, (int) (offset + n));
    }

    @Override
    public void write(Handle handle, byte[] data) throws IOException {
        if (files.putIfAbsent(handle, data.clone()) != null) {
            throw new FileAlreadyExistsException(handle.relativePath());
        }
    }

    @Override
    public void delete(Handle handle) throws IOException {
        if (files.remove(handle) == null) {
            throw new NoSuchFileException(handle.relativePath());
        }
    }
}
