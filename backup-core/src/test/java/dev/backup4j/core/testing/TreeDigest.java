package dev.backup4j.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A comparable description of a directory tree: for each relative path, its type, permissions, modification time
 * (nanoseconds), and content hash or symlink target. Two trees are "identical" when their digests are equal.
 */
public final class TreeDigest {
    private TreeDigest() {
    }

    /** Describes every entry below {@code root} (not root itself). */
    public static Map<String, String> of(Path root) throws IOException {
        return of(root, true);
    }

    /** Describes every entry below {@code root}; with {@code dirTimes} false, directory mtimes are left out. */
    public static Map<String, String> of(Path root, boolean dirTimes) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                out.put(rel, describe(p, dirTimes));
            }
        }
        return out;
    }

    /** The digest of one entry. */
    public static String describe(Path p, boolean dirTimes) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return "symlink -> " + Files.readSymbolicLink(p);
        }
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        String mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().toString();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "dir " + perms + (dirTimes ? " mtime=" + mtime : "");
        }
        return "file " + perms + " mtime=" + mtime + " size=" + Files.size(p) + " sha256=" + sha256(p);
    }

    /** SHA-256 of a file's content, hex. */
    public static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of every file below {@code root} (to show that nothing changed). */
    public static Map<String, String> contentHashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(root.relativize(p).toString(), sha256(p));
                }
            }
        }
        return out;
    }
}
