package dev.backup4j.core.testing;

import dev.backup4j.core.snapshot.FileNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a restore must bring back, entry by entry, under exact names: for each path below a root (keyed by its
 * printable form, {@link FileNames#printable}, which is one-to-one), its type, full mode (setuid, setgid, sticky
 * included), owner, modification time to the nanosecond, and by type: size and SHA-256 (files), target (symlinks),
 * device number (devices), {@code user.} extended attributes, and which other paths are hard links to the same file.
 * Two trees restore alike when their facts are equal.
 */
public final class FsFacts {
    private final boolean symlinkMicros;
    private final boolean sockets;
    private final boolean dirTimes;

    private FsFacts(boolean symlinkMicros, boolean sockets, boolean dirTimes) {
        this.symlinkMicros = symlinkMicros;
        this.sockets = sockets;
        this.dirTimes = dirTimes;
    }

    /** All facts, times to the nanosecond. */
    public static FsFacts exact() {
        return new FsFacts(false, true, true);
    }

    /** Symlink times cut to the microsecond (the JDK sets them with {@code lutimes}). */
    public FsFacts symlinkTimesToMicros() {
        return new FsFacts(true, sockets, dirTimes);
    }

    /** Without sockets (restic does not restore them, nor does this library). */
    public FsFacts withoutSockets() {
        return new FsFacts(symlinkMicros, false, dirTimes);
    }

    /** Without directory modification times. */
    public FsFacts withoutDirectoryTimes() {
        return new FsFacts(symlinkMicros, sockets, false);
    }

    /** The facts of every entry below {@code root} (not root itself). */
    public Map<String, String> of(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> inodes = new HashMap<>();
        List<String[]> linked = new ArrayList<>();
        walk(root, "", out, inodes, linked);
        for (String[] l : linked) {
            out.put(l[0], out.get(l[0]) + " links=" + inodes.get(l[1]));
        }
        return out;
    }

    private void walk(Path dir, String rel, Map<String, String> out, Map<String, String> inodes,
            List<String[]> linked) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        for (Path c : children) {
            String name = FileNames.nameOf(c);
            String r = rel.isEmpty() ? name : rel + "/" + name;
            String key = FileNames.printable(r);
            Map<String, Object> a = Files.readAttributes(c, "unix:mode,uid,gid,ino,dev,nlink,rdev,size,"
                    + "lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            String type = switch (mode & 0170000) {
                case 0040000 -> "dir";
                case 0100000 -> "file";
                case 0120000 -> "symlink";
                case 0010000 -> "fifo";
                case 0020000 -> "chardev";
                case 0060000 -> "dev";
                case 0140000 -> "socket";
                default -> "irregular";
            };
            if (type.equals("socket") && !sockets) {
                continue;
            }
            Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
            if (type.equals("symlink") && symlinkMicros) {
                mtime = mtime.truncatedTo(ChronoUnit.MICROS);
            }
            StringBuilder f = new StringBuilder(type);
            if (!type.equals("symlink")) {
                f.append(" mode=").append(Integer.toOctalString(mode & 07777));
            }
            f.append(" owner=").append(a.get("uid")).append(':').append(a.get("gid"));
            if (!type.equals("dir") || dirTimes) {
                f.append(" mtime=").append(mtime);
            }
            switch (type) {
                case "file" -> f.append(" size=").append(a.get("size")).append(" sha256=").append(TreeDigest.sha256(c));
                case "symlink" -> f.append(" target=").append(FileNames.printable(FileNames.readLink(c)));
                case "chardev", "dev" -> f.append(" rdev=").append(a.get("rdev"));
                default -> {
                }
            }
            if (type.equals("file") || type.equals("dir")) {
                f.append(" xattrs=").append(xattrs(c));
            }
            out.put(key, f.toString());
            if (type.equals("file") && (Integer) a.get("nlink") > 1) {
                String inode = a.get("dev") + ":" + a.get("ino");
                String first = inodes.get(inode);
                if (first == null || key.compareTo(first) < 0) {
                    inodes.put(inode, key);
                }
                linked.add(new String[] {key, inode});
            }
            if (type.equals("dir")) {
                walk(c, r, out, inodes, linked);
            }
        }
    }

    private static String xattrs(Path p) throws IOException {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        Map<String, String> m = new TreeMap<>();
        for (String n : v.list()) {
            ByteBuffer b = ByteBuffer.allocate(v.size(n));
            v.read(n, b);
            m.put(n, HexFormat.of().formatHex(b.array(), 0, b.position()));
        }
        return m.toString();
    }
}
