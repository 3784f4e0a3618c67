package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.FileNames;
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
import java.util.Map;
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

    /** This process's effective user id (the owner of /proc/self), or -1 if unknown. */
    private static final int EUID = readId("unix:uid");
    /** Its effective group id, or -1 if unknown. */
    private static final int EGID = readId("unix:gid");

    private final Path root;
    private final boolean owners;
    private final boolean sparse;
    private final Metadata metadata;
    /** Target-relative directories known to be real directories in this run. */
    private final Set<String> realDirs = ConcurrentHashMap.newKeySet();

    /**
     * A directory target.
     *
     * @param owners restore numeric owner and group as restic does: always when running as root, otherwise only
     *     where the process may (its own files, to a group it is in), ignoring refusals
     * @param sparse leave holes for runs of zeros (blobs that are all zeros) instead of writing them
     */
    DirectoryTarget(Path dir, boolean owners, boolean sparse) throws IOException {
        this.root = dir.toAbsolutePath().normalize();
        this.owners = owners;
        this.sparse = sparse;
        this.metadata = new Metadata(root);
        RestoreTargets.requireDirectoryOrNothing(root);
        Files.createDirectories(root);
        realDirs.add("/");
    }

    /** True if the bytes are all zero (a hole, for sparse restores). */
    private static boolean isZero(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i += ZEROS.length) {
            int n = Math.min(ZEROS.length, off + len - i);
            if (java.util.Arrays.mismatch(b, i, i + n, ZEROS, 0, n) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] ZEROS = new byte[64 * 1024];

    private static int readId(String attribute) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), attribute);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
            p = FileNames.resolve(p, c);
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
        long device = 0;
        if (!a.isSymbolicLink()) {
            Object mode = Files.getAttribute(p, "unix:mode", NOFOLLOW);
            if (mode instanceof Integer m) {
                perms = m & 07777;
                if (type == NodeType.IRREGULAR) {
                    type = switch (m & 0170000) {
                        case 0010000 -> NodeType.FIFO;
                        case 0020000 -> NodeType.CHARDEV;
                        case 0060000 -> NodeType.DEV;
                        case 0140000 -> NodeType.SOCKET;
                        default -> NodeType.IRREGULAR;
                    };
                }
            }
            if (type == NodeType.DEV || type == NodeType.CHARDEV) {
                device = ((Number) Files.getAttribute(p, "unix:rdev", NOFOLLOW)).longValue();
            }
        }
        return Optional.of(new Existing(type, type == NodeType.FILE ? a.size() : 0, a.lastModifiedTime().toInstant(),
                perms, type == NodeType.SYMLINK ? FileNames.readLink(p) : "", device));
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
                out.add(FileNames.nameOf(c));
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
                Files.createSymbolicLink(p, FileNames.linkTarget(p.getFileSystem(), node.linkTarget()));
                List<String> missed = new ArrayList<>();
                setOwner(p, node, missed, true);
                setTimes(p, node);
                Metadata.report(missed);
            }
            case FIFO, DEV, CHARDEV -> {
                removeNonDirectory(p);
                List<String> missed = new ArrayList<>();
                metadata.createSpecial(p, node, chownNeeded(node, true));
                metadata.setExtendedAttributes(p, path, node, missed);
                Metadata.report(missed);
            }
            default -> throw new IOException("cannot create " + node.type() + " entries");
        }
    }

    @Override
    public void hardLink(String path, String existing, Node node) throws IOException {
        checkParents(path);
        checkParents(existing);
        Path p = resolve(path);
        removeNonDirectory(p);
        Files.createLink(p, resolve(existing));
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
        Path tmp = FileNames.resolve(dest.getParent(), Names.tempName(Names.name(path)));
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
                return new Sink(path, dest, dest, node, FileChannel.open(dest, create, attrs), modeSet);
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
        return new Sink(path, dest, tmp, node, ch, modeSet);
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
        private final String path;
        private final Path dest;
        private final Path tmp;
        private final Node node;
        private FileChannel open;
        private final boolean modeSet;
        private long written;
        /** The end of the last byte written, and of the last byte written or left as a hole. */
        private long dataEnd;
        private long end;

        Sink(String path, Path dest, Path tmp, Node node, FileChannel open, boolean modeSet) {
            this.path = path;
            this.dest = dest;
            this.tmp = tmp;
            this.node = node;
            this.open = open;
            this.modeSet = modeSet;
        }

        @Override
        public synchronized void write(long offset, byte[] data, int off, int len) throws IOException {
            if (sparse && isZero(data, off, len)) {
                written += len; // a hole: nothing is written, the file is extended to its size on commit
                end = Math.max(end, offset + len);
                return;
            }
            dataEnd = Math.max(dataEnd, offset + len);
            end = Math.max(end, offset + len);
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
            if (end > dataEnd) {
                // the file ends in a hole: one zero byte at its end gives it its size (the JDK cannot ftruncate up)
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, NOFOLLOW)) {
                    ch.write(ByteBuffer.wrap(new byte[1]), end - 1);
                }
            }
            List<String> missed = new ArrayList<>();
            setOwner(tmp, node, missed, true); // before the mode: chown clears setuid and setgid
            if (!modeSet) {
                setPermissions(tmp, node.permissions());
            }
            metadata.setExtendedAttributes(tmp, path, node, missed);
            setTimes(tmp, node);
            if (!tmp.equals(dest)) {
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
            Metadata.report(missed);
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
        List<String> missed = new ArrayList<>();
        setOwner(p, node, missed, false);
        if (node.type() != NodeType.SYMLINK) {
            setPermissions(p, node.permissions());
        }
        setTimes(p, node);
        if (node.type() == NodeType.DIR) {
            metadata.setExtendedAttributes(p, path, node, missed);
        }
        Metadata.report(missed);
    }

    @Override
    public Map<String, String> finishEntries() {
        return metadata.applyDeferred();
    }

    private static void setPermissions(Path p, int perms) throws IOException {
        try {
            Files.setAttribute(p, "unix:mode", perms, NOFOLLOW);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            Files.setPosixFilePermissions(p, posix(perms));
        }
    }

    /**
     * Whether to change the owner as restic does: always as root, otherwise only for the process's own files (to
     * a group it may be in), where refusals are ignored. {@code fresh}: the entry was just created by this process,
     * so owned by it already.
     */
    private boolean chownNeeded(Node n, boolean fresh) {
        if (!owners || EUID < 0) {
            return false;
        }
        if (fresh && n.uid() == EUID && n.gid() == EGID) {
            return false;
        }
        return EUID == 0 || n.uid() == EUID;
    }

    private void setOwner(Path p, Node n, List<String> missed, boolean fresh) {
        if (!chownNeeded(n, fresh)) {
            return;
        }
        try {
            Files.setAttribute(p, "unix:uid", (int) n.uid(), NOFOLLOW);
            Files.setAttribute(p, "unix:gid", (int) n.gid(), NOFOLLOW);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            if (EUID == 0) {
                missed.add("owner " + n.uid() + ":" + n.gid() + " (" + e.getMessage() + ")");
            } else {
                LOG.debug("not running as root, owner of {} not changed: {}", p, e.getMessage());
            }
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
