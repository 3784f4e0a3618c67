package dev.backup4j.s3;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A strict in-memory object store that enforces Object Lock in COMPLIANCE mode as AWS does: an object whose
 * retain-until date is ahead of the clock cannot be deleted or overwritten, and a date can only move later. For the
 * retention logic's tests; no S3 server here enforces Object Lock.
 */
final class MemoryObjectStore implements ObjectStore {
    private final Clock clock;
    final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    final Map<String, Instant> retention = new ConcurrentSkipListMap<>();

    MemoryObjectStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<Entry> list(String prefix) {
        List<Entry> out = new ArrayList<>();
        objects.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.add(new Entry(k, v.length, Optional.empty()));
            }
        });
        return out;
    }

    private byte[] object(String key) throws NoSuchFileException {
        byte[] b = objects.get(key);
        if (b == null) {
            throw new NoSuchFileException(key);
        }
        return b;
    }

    @Override
    public long size(String key) throws IOException {
        return object(key).length;
    }

    @Override
    public byte[] get(String key, long offset, int length) throws IOException {
        byte[] b = object(key);
        long end = length < 0 ? b.length : offset + length;
        if (offset > b.length || end > b.length) {
            throw new EOFException(key);
        }
        return Arrays.copyOfRange(b, (int) offset, (int) end);
    }

    private boolean locked(String key) {
        Instant until = retention.get(key);
        return until != null && until.isAfter(clock.instant());
    }

    @Override
    public synchronized void put(String key, byte[] data, int length, boolean createOnly, String storageClass,
            Instant retainUntil) throws IOException {
        if (createOnly && objects.containsKey(key)) {
            throw new FileAlreadyExistsException(key);
        }
        if (locked(key)) {
            throw new AccessDeniedException(key, null, "object locked");
        }
        objects.put(key, Arrays.copyOf(data, length));
        if (retainUntil != null) {
            retention.put(key, retainUntil);
        }
    }

    @Override
    public Optional<Instant> retention(String key) throws IOException {
        object(key);
        return Optional.ofNullable(retention.get(key));
    }

    @Override
    public synchronized void retain(String key, Instant until) throws IOException {
        object(key);
        Instant now = retention.get(key);
        if (now != null && until.isBefore(now)) {
            throw new AccessDeniedException(key, null, "COMPLIANCE retention cannot be shortened");
        }
        retention.put(key, until);
    }

    @Override
    public synchronized void delete(String key) throws IOException {
        object(key);
        if (locked(key)) {
            throw new AccessDeniedException(key, null, "object locked until " + retention.get(key));
        }
        objects.remove(key);
        retention.remove(key);
    }

    @Override
    public boolean isPermanent(IOException e) {
        return true;
    }

    @Override
    public void close() {
    }
}
