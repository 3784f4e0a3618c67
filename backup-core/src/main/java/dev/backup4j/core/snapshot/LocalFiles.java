package dev.backup4j.core.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads a local file's metadata into a {@link Node}, as restic records it (Unix attributes where available). */
final class LocalFiles {
    // Without owner and group: for those the JDK looks up the passwd and group databases on every call.
    private static final String NUMERIC = "unix:mode,ino,dev,rdev,nlink,uid,gid,ctime,lastModifiedTime,"
            + "lastAccessTime,size";
    private static final Map<Long, String> USERS = new ConcurrentHashMap<>();
    private static final Map<Long, String> GROUPS = new ConcurrentHashMap<>();
    private static volatile boolean unixView = true;

    private LocalFiles() {
    }

    static Node stat(Path p, String name, ZoneId zone) throws IOException {
        if (Native.AVAILABLE) {
            Node n = Native.stat(p, name, zone);
            if (n != null) {
                return n;
            }
        }
        return statByView(p, name, zone);
    }

    /** {@link #stat} through the "unix" attribute view (a map per call). */
    static Node statByView(Path p, String name, ZoneId zone) throws IOException {
        if (unixView) {
            try {
                Map<String, Object> a = Files.readAttributes(p, NUMERIC, LinkOption.NOFOLLOW_LINKS);
                return fromUnix(p, name, zone, a);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                unixView = false;
            }
        }
        return fromPosix(p, name, zone);
    }

    /**
     * The JDK's own stat result, read without the attribute view's map (its names parsed and its values boxed on every
     * call): only when the application opened {@code java.base/sun.nio.fs} to this code, as the CLI's jar does
     * ({@code Add-Opens} in its manifest; on the module path
     * {@code --add-opens java.base/sun.nio.fs=dev.backup4j.core}). It gives the same values; on the benchmark tree's 65,000 entries a cold JVM
     * walked it with about a third less CPU time.
     */
    static final class Native {
        static final boolean AVAILABLE;
        private static final Class<?> ATTRIBUTES;
        private static final java.lang.invoke.MethodHandle MODE;
        private static final java.lang.invoke.MethodHandle INO;
        private static final java.lang.invoke.MethodHandle DEV;
        private static final java.lang.invoke.MethodHandle RDEV;
        private static final java.lang.invoke.MethodHandle NLINK;
        private static final java.lang.invoke.MethodHandle UID;
        private static final java.lang.invoke.MethodHandle GID;
        private static final java.lang.invoke.MethodHandle CTIME;

        static {
            Class<?> c = null;
            java.lang.invoke.MethodHandle[] h = new java.lang.invoke.MethodHandle[8];
            try {
                if (Object.class.getModule().isOpen("sun.nio.fs", LocalFiles.class.getModule())) {
                    c = Class.forName("sun.nio.fs.UnixFileAttributes");
                    var lookup = java.lang.invoke.MethodHandles.privateLookupIn(c,
                            java.lang.invoke.MethodHandles.lookup());
                    String[] names = {"mode", "ino", "dev", "rdev", "nlink", "uid", "gid", "ctime"};
                    Class<?>[] types = {int.class, long.class, long.class, long.class, int.class, int.class, int.class,
                        FileTime.class};
                    for (int i = 0; i < names.length; i++) {
                        h[i] = lookup.findVirtual(c, names[i], java.lang.invoke.MethodType.methodType(types[i]))
                                .asType(java.lang.invoke.MethodType.methodType(types[i], Object.class));
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                c = null;
            }
            ATTRIBUTES = c;
            AVAILABLE = c != null;
            MODE = h[0];
            INO = h[1];
            DEV = h[2];
            RDEV = h[3];
            NLINK = h[4];
            UID = h[5];
            GID = h[6];
            CTIME = h[7];
        }

        private Native() {
        }

        /** The node, or null if the attributes are not the JDK's Unix ones. */
        static Node stat(Path p, String name, ZoneId zone) throws IOException {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.getClass() != ATTRIBUTES) {
                return null;
            }
            try {
                int mode = (int) MODE.invokeExact((Object) a);
                long uid = Integer.toUnsignedLong((int) UID.invokeExact((Object) a));
                long gid = Integer.toUnsignedLong((int) GID.invokeExact((Object) a));
                return fromUnix(p, name, zone, mode, a.lastModifiedTime(), a.lastAccessTime(),
                        (FileTime) CTIME.invokeExact((Object) a), uid, gid, (long) INO.invokeExact((Object) a),
                        (long) DEV.invokeExact((Object) a), Integer.toUnsignedLong((int) NLINK.invokeExact((Object) a)),
                        a.size(), (long) RDEV.invokeExact((Object) a));
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static NodeType typeOf(int mode) {
        return switch (mode & 0170000) {
            case 0040000 -> NodeType.DIR;
            case 0120000 -> NodeType.SYMLINK;
            case 0100000 -> NodeType.FILE;
            case 0060000 -> NodeType.DEV;
            case 0020000 -> NodeType.CHARDEV;
            case 0010000 -> NodeType.FIFO;
            case 0140000 -> NodeType.SOCKET;
            default -> NodeType.IRREGULAR;
        };
    }

    private static OffsetDateTime time(Object ft, ZoneId zone) {
        return OffsetDateTime.ofInstant(((FileTime) ft).toInstant(), zone);
    }

    private static Node fromUnix(Path p, String name, ZoneId zone, Map<String, Object> a) throws IOException {
        // uid, gid and nlink are unsigned 32-bit numbers that the JDK hands out as ints
        return fromUnix(p, name, zone, (Integer) a.get("mode"), (FileTime) a.get("lastModifiedTime"),
                (FileTime) a.get("lastAccessTime"), (FileTime) a.get("ctime"),
                Integer.toUnsignedLong((Integer) a.get("uid")),
                Integer.toUnsignedLong((Integer) a.get("gid")), ((Number) a.get("ino")).longValue(),
                ((Number) a.get("dev")).longValue(), Integer.toUnsignedLong((Integer) a.get("nlink")),
                ((Number) a.get("size")).longValue(), ((Number) a.get("rdev")).longValue());
    }

    private static Node fromUnix(Path p, String name, ZoneId zone, int mode, FileTime mtime, FileTime atime,
            FileTime ctime, long uid, long gid, long ino, long dev, long nlink, long size, long rdev)
            throws IOException {
        NodeType type = typeOf(mode);
        Node.Builder b = Node.builder(name, type).unixMode(mode & 07777)
                .mtime(time(mtime, zone))
                .atime(time(atime, zone))
                .ctime(time(ctime, zone))
                .owner(uid, gid)
                .ownerNames(userName(p, uid), groupName(p, gid));
        if (type == NodeType.FILE || type == NodeType.SYMLINK || type == NodeType.DEV || type == NodeType.CHARDEV) {
            b.inode(ino, dev, nlink); // restic 0.14 records links for these types only
        } else {
            b.inode(ino, dev, 0);
        }
        if (type == NodeType.FILE) {
            b.size(size);
        } else if (type == NodeType.SYMLINK) {
            b.linkTarget(FileNames.readLink(p));
        } else if (type == NodeType.DEV || type == NodeType.CHARDEV) {
            b.device(rdev);
        }
        return b.build();
    }

    private static volatile boolean xattrs = true;

    /**
     * The extended attributes of a file or directory: those of the {@code user.} namespace, the only one the JDK
     * reads (restic also records {@code security.}, {@code system.} and {@code trusted.} ones). Empty where the file
     * system has none; never asked of other types (the JDK opens the entry to read them, and opening a FIFO
     * blocks).
     */
    static java.util.List<ExtendedAttribute> extendedAttributes(Path p, NodeType type) throws IOException {
        if (!xattrs || (type != NodeType.FILE && type != NodeType.DIR)) {
            return java.util.List.of();
        }
        java.nio.file.attribute.UserDefinedFileAttributeView v = Files.getFileAttributeView(p,
                java.nio.file.attribute.UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (v == null) {
            xattrs = false;
            return java.util.List.of();
        }
        java.util.List<String> names;
        try {
            names = v.list();
        } catch (java.nio.file.FileSystemException e) {
            if (e.getMessage() != null && e.getMessage().contains("not supported")) {
                return java.util.List.of();
            }
            throw e;
        } catch (UnsupportedOperationException e) {
            xattrs = false;
            return java.util.List.of();
        }
        if (names.isEmpty()) {
            return java.util.List.of();
        }
        java.util.List<ExtendedAttribute> out = new java.util.ArrayList<>(names.size());
        for (String n : names) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(v.size(n));
            v.read(n, buf);
            byte[] value = new byte[buf.position()];
            buf.flip().get(value);
            out.add(ExtendedAttribute.of("user." + n, value));
        }
        // restic records them in the order the kernel lists them; the JDK keeps that order
        return java.util.List.copyOf(out);
    }

    /** The user name for {@code uid}, looked up once per uid (through {@code p}, a file that has it). */
    private static String userName(Path p, long uid) {
        String n = USERS.get(uid);
        if (n == null) {
            n = lookup(p, "unix:owner");
            USERS.put(uid, n);
        }
        return n;
    }

    private static String groupName(Path p, long gid) {
        String n = GROUPS.get(gid);
        if (n == null) {
            n = lookup(p, "unix:group");
            GROUPS.put(gid, n);
        }
        return n;
    }

    private static String lookup(Path p, String attribute) {
        try {
            Object principal = Files.getAttribute(p, attribute, LinkOption.NOFOLLOW_LINKS);
            String name = principal == null ? "" : ((java.security.Principal) principal).getName();
            // the JDK gives the number as the name when the database has no entry; restic leaves the name empty then
            return name.chars().allMatch(Character::isDigit) ? "" : name;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static Node fromPosix(Path p, String name, ZoneId zone) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        NodeType type = a.isDirectory() ? NodeType.DIR : a.isSymbolicLink() ? NodeType.SYMLINK
                : a.isRegularFile() ? NodeType.FILE : NodeType.IRREGULAR;
        int perms = 0;
        for (var perm : a.permissions()) {
            perms |= 1 << (8 - perm.ordinal());
        }
        Node.Builder b = Node.builder(name, type).unixMode(perms)
                .mtime(OffsetDateTime.ofInstant(a.lastModifiedTime().toInstant(), zone))
                .atime(OffsetDateTime.ofInstant(a.lastAccessTime().toInstant(), zone))
                .ctime(OffsetDateTime.ofInstant(a.lastModifiedTime().toInstant(), zone))
                .ownerNames(a.owner().getName(), a.group().getName());
        if (type == NodeType.FILE) {
            b.size(a.size());
        } else if (type == NodeType.SYMLINK) {
            b.linkTarget(FileNames.readLink(p));
        }
        return b.build();
    }
}
