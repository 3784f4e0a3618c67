package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory target. Every write first checks that each parent is a real directory (not a symlink), so a symlink
 * planted in the target is never followed. A file spread over several blobs, or one replacing something, goes to
 * {@code .NAME.backup4j-restore} beside its final name and is renamed into place when complete; a new file written in
 * one go (empty or one blob) is created exclusively under its final name and removed again if writing it fails.
 */
final class DirectoryTarget implements RestoreTarget {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryTarget.class);
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** This process's umask from /proc/self/status (Linux), or -1 if unknown. */
    private static final int UMASK = readUmask();

    private final Path root;
    private final boolean owners;
    /** Target-relative directories known to be real directories in this run. */
    private final Set<String> realDirs = ConcurrentHashMap.newKeySet();

    DirectoryTarget(Path dir, boolean owners) throws IOException {
        this.root = dir.toAbsolutePath().normalize();
        this.owners = owners;
        RestoreTargets.requireDirectoryOrNothing(root);
        Files.createDirectories(root);
        realDirs.add("/");
    }

    private Path resolve(String path) {
        if (path.equals("/")) {
            return root;
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("target paths start with '/': " + path);
        }
        Path p = root;
        for (String c : path.substring(1).split("/", -1)) {
            if (!Names.safe(c)) {
                throw new IllegalArgumentException("unsafe path '" + Names.printable(path) + "'");
            }
            p = p.resolve(c);
        }
        return p;
    }

    /** Checks that every ancestor of {@code path} is a real directory, so nothing is written through a symlink. */
    private void checkParents(String path) throws IOException {
        String parent = Names.parent(path);
        if (realDirs.contains(parent)) {
            return;
        }
        checkParents(parent);
        Path p = resolve(parent);
        if (!Files.isDirectory(p, NOFOLLOW)) {
            throw new IOException(p + " is not a directory (" + (Files.isSymbolicLink(p) ? "a symlink" : "missing")
                    + "); not writing below it");
        }
        realDirs.add(parent);
    }

    @Override
    public Optional<Existing> inspect(String path) throws IOException {
        Path p = resolve(path);
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        NodeType type = a.isSymbolicLink() ? NodeType.SYMLINK : a.isDirectory() ? NodeType.DIR
                : a.isRegularFile() ? NodeType.FILE : NodeType.IRREGULAR;
        int perms = 0;
        for (PosixFilePermission x : a.permissions()) {
            perms |= 1 << (8 - x.ordinal());
        }
        if (!a.isSymbolicLink()) {
            Object mode = Files.getAttribute(p, "unix:mode", NOFOLLOW);
            if (mode instanceof Integer m) {
                perms = m & 07777;
            }
        }
        return Optional.of(new Existing(type, type == NodeType.FILE ? a.size() : 0, a.lastModifiedTime().toInstant(),
                perms, type == NodeType.SYMLINK ? Files.readSymbolicLink(p).toString() : ""));
    }

    @Override
    public List<String> list(String path) throws IOException {
        Path p = resolve(path);
        if (!Files.isDirectory(p, NOFOLLOW)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (var s = Files.newDirectoryStream(p)) {
            for (Path c : s) {
                out.add(c.getFileName().toString());
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public InputStream read(String path) throws IOException {
        checkParents(path);
        return Files.newInputStream(resolve(path), StandardOpenOption.READ, NOFOLLOW);
    }

    @Override
    public void create(String path, Node node) throws IOException {
        checkParents(path);
        Path p = resolve(path);
        switch (node.type()) {
            case DIR -> {
                if (!Files.isDirectory(p, NOFOLLOW)) {
                    Files.deleteIfExists(p); // a file or symlink in the way (deleteIfExists never follows links)
                    Files.createDirectory(p);
                }
                realDirs.add(path);
            }
            case SYMLINK -> {
                removeNonDirectory(p);
                Files.createSymbolicLink(p, Path.of(node.linkTarget()));
                setTimes(p, node);
                setOwner(p, node);
            }
            default -> throw new IOException("cannot create " + node.type() + " entries");
        }
    }

    private static void removeNonDirectory(Path p) throws IOException {
        if (Files.isDirectory(p, NOFOLLOW)) {
            throw new IOException(p + " is a directory in the target; not replacing it");
        }
        Files.deleteIfExists(p);
    }

    private static int readUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8) & 0777;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("umask unknown: {}", e.getMessage());
        }
        return -1;
    }

    /**
     * True if a file created with {@code perms} gets exactly that mode: the umask is known and masks none of its bits,
     * there are no bits beyond 0777, and the owner can write (a file spread over several packs is reopened to write).
     * Saves an open, a chmod and a close per file.
     */
    private static boolean modeAtCreation(int perms) {
        return UMASK >= 0 && (perms & ~0777) == 0 && (perms & UMASK) == 0 && (perms & 0200) != 0;
    }

    @Override
    public FileSink openFile(String path, Node node) throws IOException {
        checkParents(path);
        Path dest = resolve(path);
        Path tmp = dest.resolveSibling("." + dest.getFileName() + Names.TEMP_SUFFIX);
        int perms = node.permissions();
        boolean modeSet = modeAtCreation(perms);
        java.nio.file.attribute.FileAttribute<?>[] attrs = modeSet
                ? new java.nio.file.attribute.FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(posix(perms))}
                : new java.nio.file.attribute.FileAttribute<?>[0];
        Set<OpenOption> create = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
        if (node.content().size() <= 1) {
            // A file written in one go (empty or one blob, i.e. most files) is created under its final name when
            // nothing is there: exclusively (never through a symlink, never over anything), and removed again if it
            // fails. The blob is verified before its one write, so a damaged blob never leaves a partial file; only
            // a crash between the write and the times leaves one, whose modification time tells the next restore
            // to write it again. Saves the rename (a third of the system time per small file).
            try {
                return new Sink(dest, dest, node, FileChannel.open(dest, create, attrs), modeSet);
            } catch (FileAlreadyExistsException e) {
                // something is there (a file to replace, a planted symlink): write beside it and rename over it
            }
        }
        FileChannel ch;
        try {
            // always a new file, so that the mode given is the mode it gets
            ch = FileChannel.open(tmp, create, attrs);
        } catch (FileAlreadyExistsException e) {
            // left by an interrupted run, or a symlink planted under the temporary name: remove it (never follow
            // it) and create afresh
            Files.deleteIfExists(tmp);
            ch = FileChannel.open(tmp, create, attrs);
        }
        if (node.content().size() > 1) {
            // a file spread over several packs holds no descriptor while it waits for the others
            ch.close();
            ch = null;
        }
        return new Sink(dest, tmp, node, ch, modeSet);
    }

    private static Set<PosixFilePermission> posix(int perms) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((perms & (1 << (8 - i))) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    private final class Sink implements FileSink {
        private final Path dest;
        private final Path tmp;
        private final Node node;
        private FileChannel open;
        private final boolean modeSet;
        private long written;

        Sink(Path dest, Path tmp, Node node, FileChannel open, boolean modeSet) {
            this.dest = dest;
            this.tmp = tmp;
            this.node = node;
            this.open = open;
            this.modeSet = modeSet;
        }

        @Override
        public synchronized void write(long offset, byte[] data, int off, int len) throws IOException {
            if (open != null) {
                writeAt(open, offset, data, off, len);
            } else {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, NOFOLLOW)) {
                    writeAt(ch, offset, data, off, len);
                }
            }
            written += len; // blobs of a file never overlap, so this is its size once all are written
        }

        private void writeAt(FileChannel ch, long offset, byte[] data, int off, int len) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(data, off, len);
            long pos = offset;
            while (b.hasRemaining()) {
                // 1 MiB per call: the JDK keeps a per-thread direct buffer as large as the largest write
                b.limit(Math.min(off + len, b.position() + 1024 * 1024));
                pos += ch.write(b, pos);
                b.limit(off + len);
            }
        }

        @Override
        public synchronized void commit() throws IOException {
            if (open != null) {
                open.close();
                open = null;
            }
            if (written != node.size()) {
                abort();
                throw new IOException("wrote " + written + " bytes but the snapshot says " + node.size());
            }
            if (!modeSet) {
                setPermissions(tmp, node.permissions());
            }
            setOwner(tmp, node);
            setTimes(tmp, node);
            if (tmp.equals(dest)) {
                return; // written in place
            }
            try {
                // rename(2) replaces a file or symlink at dest atomically (never following it) and fails on a
                // directory, which is then reported and left alone
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                abort();
                if (Files.isDirectory(dest, NOFOLLOW)) {
                    throw new IOException(dest + " is a directory in the target; not replacing it", e);
                }
                throw e;
            }
        }

        @Override
        public synchronized void abort() {
            try {
                if (open != null) {
                    open.close();
                    open = null;
                }
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                LOG.warn("cannot remove temporary file {}: {}", tmp, e.getMessage());
            }
        }
    }

    @Override
    public void delete(String path) throws IOException {
        checkParents(path);
        Files.delete(resolve(path));
        realDirs.remove(path);
    }

    @Override
    public void finishDirectory(String path, Node node) throws IOException {
        if (!path.equals("/")) {
            checkParents(path);
        }
        Path p = resolve(path);
        if (node.type() != NodeType.SYMLINK) {
            setPermissions(p, node.permissions());
        }
        setOwner(p, node);
        setTimes(p, node);
    }

    private static void setPermissions(Path p, int perms) throws IOException {
        try {
            Files.setAttribute(p, "unix:mode", perms, NOFOLLOW);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            Files.setPosixFilePermissions(p, posix(perms));
        }
    }

    private void setOwner(Path p, Node n) {
        if (!owners) {
            return;
        }
        try {
            Files.setAttribute(p, "unix:uid", (int) n.uid(), NOFOLLOW);
            Files.setAttribute(p, "unix:gid", (int) n.gid(), NOFOLLOW);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.debug("cannot set owner of {}: {}", p, e.getMessage());
        }
    }

    private static void setTimes(Path p, Node n) {
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(FileTime.from(n.mtime().toInstant()), FileTime.from(n.atime().toInstant()), null);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot set times of {}: {}", p, e.getMessage());
        }
    }

    @Override
    public void close() {
        // nothing held open
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
