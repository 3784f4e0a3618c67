package dev.backup4j.core.backend;

import dev.backup4j.core.common.Id;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** A repository in a local directory, in restic's default layout. Reached through {@link Backends#local}. */
final class LocalBackend implements StagingBackend, Backends.LayoutAware {
    /** Largest single read or write system call (see {@link #read}). */
    private static final int IO_SLICE = 1024 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Staging files are {@code data/00/staging-tmp-RANDOM}; see {@link #newStagingFile()}. */
    private static final String STAGING_PREFIX = "staging-tmp-";
    private final Path root;

    LocalBackend(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void createLayout() throws IOException {
        mkdirs(root);
        for (FileType t : FileType.values()) {
            if (t != FileType.CONFIG) {
                mkdirs(root.resolve(t.folder()));
            }
        }
        for (int i = 0; i < 256; i++) {
            mkdirs(root.resolve("data").resolve(String.format("%02x", i)));
        }
    }

    private static void mkdirs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            trySetPermissions(dir, "rwx------");
        }
    }

    private Path path(Handle h) {
        return root.resolve(h.relativePath());
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        List<FileInfo> out = new ArrayList<>();
        if (type == FileType.CONFIG) {
            Path p = root.resolve("config");
            if (Files.isRegularFile(p)) {
                out.add(new FileInfo("config", Files.size(p)));
            }
            return out;
        }
        Path dir = root.resolve(type.folder());
        if (!Files.isDirectory(dir)) {
            return out;
        }
        if (type == FileType.PACK) {
            try (DirectoryStream<Path> subdirs = Files.newDirectoryStream(dir)) {
                for (Path sub : subdirs) {
                    if (Files.isDirectory(sub)) {
                        listFiles(sub, out);
                    }
                }
            }
        } else {
            listFiles(dir, out);
        }
        return out;
    }

    private static void listFiles(Path dir, List<FileInfo> out) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                // Only complete files carry a valid id as name; "<id>-tmp-<rand>" are writes in progress.
                if (Id.isValid(name)) {
                    try {
                        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(f,
                                java.nio.file.attribute.BasicFileAttributes.class);
                        out.add(new FileInfo(name, a.size(), Optional.of(a.lastModifiedTime().toInstant())));
                    } catch (NoSuchFileException deletedMeanwhile) {
                        // a concurrent delete; the file is simply not there any more
                    }
                }
            }
        }
    }

    @Override
    public long size(Handle handle) throws IOException {
        return Files.size(path(handle));
    }

    @Override
    public byte[] read(Handle handle, long offset, int length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        try (FileChannel ch = FileChannel.open(path(handle), StandardOpenOption.READ)) {
            long size = ch.size();
            long n = length < 0 ? size - offset : length;
            check(handle, offset, n, size);
            byte[] out = new byte[(int) n];
            readFully(handle, ch, offset, out, out.length);
            return out;
        }
    }

    @Override
    public void readInto(Handle handle, long offset, byte[] buf, int length) throws IOException {
        if (offset < 0 || length < 0 || length > buf.length) {
            throw new IllegalArgumentException("bad read of " + length + " bytes at " + offset);
        }
        try (FileChannel ch = FileChannel.open(path(handle), StandardOpenOption.READ)) {
            check(handle, offset, length, ch.size());
            readFully(handle, ch, offset, buf, length);
        }
    }

    private static void check(Handle handle, long offset, long n, long size) throws IOException {
        if (offset + n > size || n < 0) {
            throw new EOFException(handle + ": read of " + n + " bytes at " + offset + " is past the end ("
                    + size + " bytes)");
        }
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException(handle + ": file too large to read at once (" + n + " bytes)");
        }
    }

    private static void readFully(Handle handle, FileChannel ch, long offset, byte[] out, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(out, 0, n);
        long pos = offset;
        while (buf.position() < n) {
            // in slices: the JDK copies through a temporary direct buffer as large as the request and keeps it
            // per thread, which for 16 MiB packs on 4 restore threads was 64 MiB of native memory
            buf.limit(Math.min(n, buf.position() + IO_SLICE));
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new EOFException(handle + ": file shrank while reading");
            }
            pos += r;
        }
    }

    @Override
    public void write(Handle handle, byte[] data) throws IOException {
        write(handle, data, data.length);
    }

    @Override
    public void write(Handle handle, byte[] data, int length) throws IOException {
        if (length < 0 || length > data.length) {
            throw new IllegalArgumentException("length " + length + " outside the array");
        }
        Path target = path(handle);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Path tmp = dir.resolve(handle.name() + "-tmp-" + random());
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int off = 0; off < length; ) {
                    off += ch.write(ByteBuffer.wrap(data, off, Math.min(IO_SLICE, length - off)));
                }
                ch.force(true);
            }
            place(tmp, target);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static String random() {
        byte[] rnd = new byte[6];
        RANDOM.nextBytes(rnd);
        return HexFormat.of().formatHex(rnd);
    }

    /** Makes the complete, synced file {@code tmp} the file {@code target} (which must not exist). */
    private static void place(Path tmp, Path target) throws IOException {
        trySetPermissions(tmp, "r--------");
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        try {
            // A hard link fails if the target exists, so a concurrent writer of the same name cannot be clobbered.
            Files.createLink(target, tmp);
            Files.delete(tmp);
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            if (e instanceof FileAlreadyExistsException) {
                throw e;
            }
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        fsyncDir(dir);
    }

    /**
     * Staging files live in {@code data/00} named {@code staging-tmp-RANDOM}: never a valid id, so listings (ours and
     * restic's) skip them, like the {@code NAME-tmp-RANDOM} files of writes in progress.
     */
    @Override
    public Path newStagingFile() throws IOException {
        Path dir = root.resolve("data").resolve("00");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Path p = dir.resolve(STAGING_PREFIX + random());
        Files.createFile(p);
        return p;
    }

    @Override
    public List<Path> stagingFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        Path dir = root.resolve("data").resolve("00");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, STAGING_PREFIX + "*")) {
            for (Path f : files) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public void commitStaged(Path staged, Handle handle) throws IOException {
        boolean done = false;
        try {
            Path target = path(handle);
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            try (FileChannel ch = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            place(staged, target);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(staged);
            }
        }
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Not every file system lets a directory be opened for fsync; the rename is still atomic.
        }
    }

    private static void trySetPermissions(Path p, String perms) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        } catch (IOException | UnsupportedOperationException ignored) {
            // Some file systems refuse chmod; restic ignores this too.
        }
    }

    @Override
    public void delete(Handle handle) throws IOException {
        Files.delete(path(handle));
    }

    @Override
    public String toString() {
        return "LocalBackend[" + root + "]";
    }
}
