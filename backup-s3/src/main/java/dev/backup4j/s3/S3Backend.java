package dev.backup4j.s3;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import java.io.EOFException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A repository in an S3 bucket under a prefix, in restic's layout ({@code config}, {@code keys/}, {@code locks/},
 * {@code snapshots/}, {@code index/}, {@code data/XX/ID}), so restic reads it as {@code s3:...}. Every write is
 * create-only (repository files are content-addressed and never rewritten); data packs may go to their own storage
 * class; with Object Lock every object but the lock files is written with a retention date.
 */
class S3Backend implements Backend {
    final ObjectStore store;
    final S3Location location;
    private final String dataStorageClass;
    final Duration retention;
    private final Clock clock;

    S3Backend(ObjectStore store, S3Location location, String dataStorageClass, Duration retention, Clock clock) {
        this.store = store;
        this.location = location;
        this.dataStorageClass = dataStorageClass;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public String location() {
        return location.toString();
    }

    String key(Handle h) {
        return location.key(h.relativePath());
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        String folder = location.key(type == FileType.CONFIG ? "config" : type.folder() + "/");
        List<FileInfo> out = new ArrayList<>();
        for (ObjectStore.Entry e : store.list(folder)) {
            String rest = e.key().substring(folder.length());
            String name = rest.substring(rest.lastIndexOf('/') + 1);
            if (type == FileType.CONFIG) {
                if (rest.isEmpty()) {
                    out.add(new FileInfo("config", e.size()));
                }
                continue;
            }
            boolean placed = type == FileType.PACK ? rest.equals(name.length() >= 2 ? name.substring(0, 2) + "/"
                    + name : "") : rest.equals(name);
            if (placed && !name.isEmpty() && !name.startsWith(".")) {
                out.add(new FileInfo(name, e.size(), e.modified()));
            }
        }
        return out;
    }

    @Override
    public long size(Handle handle) throws IOException {
        return store.size(key(handle));
    }

    @Override
    public byte[] read(Handle handle, long offset, int length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        long size = -1;
        if (length == 0 || length < 0 && offset > 0) {
            size = size(handle);
            if (offset > size) {
                throw new EOFException(handle + ": offset " + offset + " is past the end (" + size + ")");
            }
            if (length == 0 || offset == size) {
                return new byte[0];
            }
        }
        byte[] b = store.get(key(handle), offset, length);
        if (length > 0 && b.length != length) {
            throw new EOFException(handle + ": read " + b.length + " bytes of " + length + " at " + offset);
        }
        return b;
    }

    @Override
    public void write(Handle handle, byte[] data) throws IOException {
        write(handle, data, data.length);
    }

    @Override
    public void write(Handle handle, byte[] data, int length) throws IOException {
        Instant until = retention == null || handle.type() == FileType.LOCK ? null : clock.instant().plus(retention);
        store.put(key(handle), data, length, true, handle.type() == FileType.PACK ? dataStorageClass : null, until);
    }

    @Override
    public void delete(Handle handle) throws IOException {
        store.delete(key(handle));
    }

    @Override
    public boolean isPermanent(IOException e) {
        return store.isPermanent(e);
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return location();
    }

    /** With S3 Object Lock: prune and the retention extension see the retention dates. */
    static final class Locked extends S3Backend implements dev.backup4j.core.backend.RetentionLocked {
        Locked(ObjectStore store, S3Location location, String dataStorageClass, Duration retention, Clock clock) {
            super(store, location, dataStorageClass, retention, clock);
        }

        @Override
        public Duration retentionPeriod() {
            return retention;
        }

        @Override
        public java.util.Optional<Instant> retainedUntil(Handle handle) throws IOException {
            return handle.type() == FileType.LOCK ? java.util.Optional.empty() : store.retention(key(handle));
        }

        @Override
        public void retainUntil(Handle handle, Instant until) throws IOException {
            if (handle.type() == FileType.LOCK) {
                return;
            }
            java.util.Optional<Instant> now = store.retention(key(handle));
            if (now.isEmpty() || now.get().isBefore(until)) {
                store.retain(key(handle), until);
            }
        }
    }
}
