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
        int mode = (Integer) a.get("mode");
        NodeType type = typeOf(mode);
        Node.Builder b = Node.builder(name, type).unixMode(mode & 07777)
                .mtime(time(a.get("lastModifiedTime"), zone))
                .atime(time(a.get("lastAccessTime"), zone))
                .ctime(time(a.get("ctime"), zone))
                .owner(((Number) a.get("uid")).longValue(), ((Number) a.get("gid")).longValue())
                .ownerNames(userName(p, ((Number) a.get("uid")).longValue()),
                        groupName(p, ((Number) a.get("gid")).longValue()))
                .inode(((Number) a.get("ino")).longValue(), ((Number) a.get("dev")).longValue(),
                        ((Number) a.get("nlink")).longValue());
        if (type == NodeType.FILE) {
            b.size(((Number) a.get("size")).longValue());
        } else if (type == NodeType.SYMLINK) {
            b.linkTarget(Files.readSymbolicLink(p).toString());
        } else if (type == NodeType.DEV || type == NodeType.CHARDEV) {
            b.device(((Number) a.get("rdev")).longValue());
        }
        return b.build();
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
            b.linkTarget(Files.readSymbolicLink(p).toString());
        }
        return b.build();
    }
}
