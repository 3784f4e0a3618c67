package dev.backup4j.core.backend;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * Stores a repository's files by {@link Handle}: the SPI every storage implements (local directory, memory, SFTP).
 *
 * <p>Contract, checked by one contract test suite that every implementation runs:
 * <ul>
 *   <li>{@link #write} is atomic: a reader sees either no file or the whole file, never a part, even if the
 *       writer crashes. It fails with {@link FileAlreadyExistsException} if the file exists (repository files are
 *       content-addressed and never rewritten).</li>
 *   <li>{@link #read} and {@link #size} fail with {@link NoSuchFileException} for a missing file; a read past the
 *       end fails with {@link java.io.EOFException}.</li>
 *   <li>{@link #list} returns only complete files with valid names (temporary files are never listed).</li>
 *   <li>{@link #delete} of a missing file fails with {@link NoSuchFileException}.</li>
 * </ul>
 * Implementations are safe for use by several threads at once.
 */
public interface Backend extends Closeable {

    /** A human-readable location, e.g. the directory or URL, for messages. Never contains a secret. */
    String location();

    /** Lists the files of one type with their sizes, in no particular order. */
    List<FileInfo> list(FileType type) throws IOException;

    /** The size in bytes of one file. */
    long size(Handle handle) throws IOException;

    /**
     * Reads {@code length} bytes from {@code offset}; a negative {@code length} reads to the end of the file.
     */
    byte[] read(Handle handle, long offset, int length) throws IOException;

    /**
     * Reads exactly {@code length} bytes from {@code offset} into {@code buf} from 0, so a caller can reuse one buffer
     * for many reads. The default reads through {@link #read(Handle, long, int)} (so wrappers that override only that
     * still see every read) and copies; backends that can read into the buffer directly override it.
     *
     * @throws java.io.EOFException if the file ends before
     */
    default void readInto(Handle handle, long offset, byte[] buf, int length) throws IOException {
        byte[] b = read(handle, offset, length);
        if (b.length != length) {
            throw new java.io.EOFException(handle + ": read " + b.length + " bytes of " + length + " at " + offset);
        }
        System.arraycopy(b, 0, buf, 0, length);
    }

    /** Stores {@code data} as the file {@code handle}, atomically. */
    void write(Handle handle, byte[] data) throws IOException;

    /** Removes one file. */
    void delete(Handle handle) throws IOException;

    /**
     * Stores the first {@code length} bytes of {@code data} as the file, atomically. The default copies them and
     * calls {@link #write(Handle, byte[])}; backends that can write a slice directly override it.
     */
    default void write(Handle handle, byte[] data, int length) throws IOException {
        write(handle, length == data.length ? data : java.util.Arrays.copyOf(data, length));
    }

    /** Reads a whole file. */
    default byte[] readAll(Handle handle) throws IOException {
        return read(handle, 0, -1);
    }

    /** True if the file exists. */
    default boolean exists(Handle handle) throws IOException {
        try {
            size(handle);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Whether a failure will happen again if the call is retried unchanged (missing file, file exists, permission
     * denied, disk full), so a retrying wrapper knows what not to retry.
     */
    default boolean isPermanent(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException
                || e instanceof AccessDeniedException || e instanceof java.io.EOFException) {
            return true;
        }
        String m = String.valueOf(e.getMessage());
        return m.contains("No space left on device") || m.contains("Disk quota exceeded");
    }

    @Override
    default void close() throws IOException {
    }
}
