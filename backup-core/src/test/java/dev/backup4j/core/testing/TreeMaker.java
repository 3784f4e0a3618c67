package dev.backup4j.core.testing;

import dev.backup4j.core.snapshot.FileNames;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes entries of every kind under a root, under exact names: a relative path is a '/'-separated string whose
 * elements are byte strings as {@link FileNames} holds them (lone surrogates {@code U+DC80..U+DCFF} are raw bytes).
 * FIFOs, device nodes and sockets are made under a temporary ASCII name in the root and renamed into place.
 */
public final class TreeMaker {
    private static final AtomicLong COUNTER = new AtomicLong();
    private final Path root;

    /** A maker for entries below {@code root}, which is created. */
    public TreeMaker(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /** The root. */
    public Path root() {
        return root;
    }

    /** The path of {@code rel} under its exact bytes. */
    public Path path(String rel) {
        Path p = root;
        if (!rel.isEmpty()) {
            for (String c : rel.split("/")) {
                p = FileNames.resolve(p, c);
            }
        }
        return p;
    }

    /** True if the process runs as root (device nodes need it). */
    public static boolean isRoot() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A directory. */
    public Path dir(String rel) throws IOException {
        return Files.createDirectory(path(rel));
    }

    /** A file with this content. */
    public Path file(String rel, byte[] content) throws IOException {
        Path p = path(rel);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        return p;
    }

    /** A sparse file of {@code size} bytes: a hole, then {@code data} at {@code offset}, then a hole to the end. */
    public Path sparseFile(String rel, long size, long offset, byte[] data) throws IOException {
        Path p = path(rel);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.wrap(data), offset);
            if (offset + data.length < size) {
                ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
        }
        return p;
    }

    /** A symlink with this target (a byte string). */
    public Path symlink(String rel, String target) throws IOException {
        return Files.createSymbolicLink(path(rel), FileNames.linkTarget(root.getFileSystem(), target));
    }

    /** A further hard link to an existing file. */
    public Path hardLink(String rel, String existing) throws IOException {
        return Files.createLink(path(rel), path(existing));
    }

    /** A FIFO with this mode and these times. */
    public Path fifo(String rel, int mode, Instant mtime, Instant atime) throws IOException {
        return special(rel, "mkfifo -m 600 -- \"$1\"; chmod " + Integer.toOctalString(mode) + " -- \"$1\"", mtime,
                atime);
    }

    /** A character device (root only) with this mode and these times. */
    public Path charDevice(String rel, int major, int minor, int mode, Instant mtime, Instant atime)
            throws IOException {
        return special(rel, "mknod -m 600 -- \"$1\" c " + major + " " + minor + "; chmod " + Integer.toOctalString(mode)
                + " -- \"$1\"", mtime, atime);
    }

    /** A block device (root only) with this mode and these times. */
    public Path blockDevice(String rel, int major, int minor, int mode, Instant mtime, Instant atime)
            throws IOException {
        return special(rel, "mknod -m 600 -- \"$1\" b " + major + " " + minor + "; chmod " + Integer.toOctalString(mode)
                + " -- \"$1\"", mtime, atime);
    }

    private Path special(String rel, String make, Instant mtime, Instant atime) throws IOException {
        Path tmp = root.resolve(".tmp-node-" + COUNTER.incrementAndGet());
        sh(make + "; touch -h -a -d \"@" + seconds(atime) + "\" -- \"$1\"; touch -h -m -d \"@" + seconds(mtime)
                + "\" -- \"$1\"", tmp.toString());
        return Files.move(tmp, path(rel), StandardCopyOption.ATOMIC_MOVE);
    }

    /** A Unix domain socket (bound, then closed: the socket file stays). */
    public Path socket(String rel) throws IOException {
        Path tmp = root.resolve(".tmp-sock-" + COUNTER.incrementAndGet());
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(tmp));
        }
        return Files.move(tmp, path(rel), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Sets the full mode (07777), setuid, setgid and sticky included. */
    public void mode(String rel, int mode) throws IOException {
        Files.setAttribute(path(rel), "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }

    /** Sets the numeric owner and group (root only), of a symlink itself. */
    public void owner(String rel, int uid, int gid) throws IOException {
        Files.setAttribute(path(rel), "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path(rel), "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    /** Sets modification and access times (a symlink's own, to the microsecond, which is what the JDK can). */
    public void times(String rel, Instant mtime, Instant atime) throws IOException {
        Files.getFileAttributeView(path(rel), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(FileTime.from(mtime), FileTime.from(atime), null);
    }

    /** Sets a {@code user.} extended attribute (name without the namespace). */
    public void xattr(String rel, String name, byte[] value) throws IOException {
        Files.getFileAttributeView(path(rel), UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .write(name, ByteBuffer.wrap(value));
    }

    static String seconds(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9)).toPlainString();
    }

    private static void sh(String script, String arg) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("sh", "-c", "set -e; " + script, "sh", arg))
                .redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("'" + script + "' failed: " + new String(out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
