package dev.backup4j.s3;

import java.io.IOException;
import java.util.List;

/**
 * The few object-store calls the S3 backend needs, so the S3 client behind them can be replaced (the AWS SDK today,
 * {@link AwsObjectStore}). Keys are full object keys; failures are {@link IOException}s with the backend's meanings:
 * {@link java.nio.file.NoSuchFileException} for a missing object, {@link java.nio.file.FileAlreadyExistsException}
 * for a create-only write that found the key taken, {@link java.io.EOFException} for a range past the end.
 */
interface ObjectStore extends AutoCloseable {

    /** An object key, its size and when the store last wrote it. */
    record Entry(String key, long size, java.util.Optional<java.time.Instant> modified) {
    }

    /** Lists the objects whose keys start with {@code prefix}. */
    List<Entry> list(String prefix) throws IOException;

    /** The size of one object. */
    long size(String key) throws IOException;

    /** {@code length} bytes from {@code offset} ({@code length} negative: to the end). */
    byte[] get(String key, long offset, int length) throws IOException;

    /**
     * Stores an object. With {@code createOnly}, fails with {@link java.nio.file.FileAlreadyExistsException} if the
     * key exists: by a conditional write ({@code If-None-Match: *}) where the server supports one.
     *
     * @param retainUntil when not null, an Object Lock retention date (mode in the store's settings)
     */
    void put(String key, byte[] data, int length, boolean createOnly, String storageClass,
            java.time.Instant retainUntil) throws IOException;

    /** The object's Object Lock retain-until date, if it has one. */
    java.util.Optional<java.time.Instant> retention(String key) throws IOException;

    /** Sets the object's Object Lock retain-until date (in the store's mode). */
    void retain(String key, java.time.Instant until) throws IOException;

    /** Removes one object. */
    void delete(String key) throws IOException;

    /** Whether the failure will repeat unchanged (not found, refused, precondition); 5xx and throttling are not. */
    boolean isPermanent(IOException e);

    @Override
    void close();
}
