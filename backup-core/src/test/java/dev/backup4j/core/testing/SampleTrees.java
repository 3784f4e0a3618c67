package dev.backup4j.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;

/** Builds directory trees with the edge cases a backup must carry. */
public final class SampleTrees {
    private SampleTrees() {
    }

    /**
     * A tree with: empty, small, compressible and multi-chunk (> 8 MiB) files; nested and empty directories;
     * relative, absolute and dangling symlinks; non-ASCII names; unusual modes; fixed modification times.
     */
    public static Path edgeCases(Path root, long seed) throws IOException {
        Random rnd = new Random(seed);
        Files.createDirectories(root);
        write(root.resolve("empty.txt"), new byte[0]);
        write(root.resolve("small.txt"), "hello, backup\n".getBytes(StandardCharsets.UTF_8));
        write(root.resolve("compressible.log"), "line of log text that repeats\n".repeat(40_000)
                .getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[9 * 1024 * 1024 + 12345];
        rnd.nextBytes(big);
        write(root.resolve("big.bin"), big);
        Path nested = Files.createDirectories(root.resolve("a/b/c"));
        write(nested.resolve("deep.txt"), "deep\n".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(root.resolve("empty-dir"));
        Path intl = Files.createDirectories(root.resolve("données été"));
        write(intl.resolve("日本語.txt"), "こんにちは".getBytes(StandardCharsets.UTF_8));
        write(intl.resolve("emoji-\uD83D\uDE00.txt"), new byte[] {1, 2, 3});
        Files.createSymbolicLink(root.resolve("link-relative"), Path.of("small.txt"));
        Files.createSymbolicLink(root.resolve("a/link-up"), Path.of("../big.bin"));
        Files.createSymbolicLink(root.resolve("link-absolute"), Path.of("/etc/hostname"));
        Files.createSymbolicLink(root.resolve("link-dangling"), Path.of("does/not/exist"));
        Path ro = root.resolve("read-only.txt");
        write(ro, "read only\n".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r--r--r--"));
        Path exe = root.resolve("script.sh");
        write(exe, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(root.resolve("a/b"), PosixFilePermissions.fromString("rwx------"));
        // fixed times, set bottom-up so that creating children does not move a directory's mtime afterwards
        long t = Instant.parse("2021-03-04T05:06:07.123456789Z").toEpochMilli();
        try (var s = Files.walk(root)) {
            var all = s.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path p : all) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, FileTime.fromMillis(t + (p.toString().length() * 1000L)));
                }
            }
        }
        return root;
    }

    private static void write(Path p, byte[] data) throws IOException {
        Files.write(p, data);
    }

    /** The tree the issue names: the names restic quotes, raw bytes, and every entry type and attribute. */
    public static Path adversarial(Path root) throws IOException {
        TreeMaker m = new TreeMaker(root);
        Instant t = Instant.parse("2024-02-29T23:59:58.123456789Z");
        String[] names = {"back\\slash", "quo\"te", "tab\tx", "new\nline", "a\\nb", "back\\\\slash", "del\u007f",
            "bell\u0007", "esc\u001b[0m", "inv\udcffalid", "lat1-\udce9t\udce9", "cesu\udced\udca0\udc80",
            "truncated\udce2\udc82", "caf\u00e9", "cafe\u0301", "rtl\u200fmark", "rlo\u202etxt", "emoji\ud83d\ude00",
            "nbsp\u00a0x", "bom\ufeff", "ls\u2028ps", "html<&>", "fffd\ufffd", "'single'", "%d$x*?[", "-dash",
            " space ", "n".repeat(255), "\u00e9".repeat(127)};
        m.dir("names");
        byte[] content = "some content\n".getBytes(StandardCharsets.UTF_8);
        for (String n : names) {
            m.file("names/" + n, content);
        }
        m.dir("names/sub\\dir\n\udcfe");
        m.file("names/sub\\dir\n\udcfe/inside", content);
        m.symlink("names/link\\to", "back\\slash");
        m.symlink("names/raw-target", "inv\udcffalid");
        m.symlink("names/abs-target", "/etc/h\u00e9sts");
        m.symlink("names/dangling", "../nowhere/\"q\"");

        m.dir("types");
        m.file("types/empty", new byte[0]);
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(14).nextBytes(big);
        m.file("types/multi-chunk", big);
        m.sparseFile("types/sparse", 8L * 1024 * 1024, 4L * 1024 * 1024, content);
        m.file("types/setuid", content);
        m.mode("types/setuid", 04755);
        m.file("types/setgid", content);
        m.mode("types/setgid", 02750);
        m.dir("types/sticky");
        m.mode("types/sticky", 01777);
        m.file("types/linked-1", content);
        m.hardLink("types/linked-2", "types/linked-1");
        m.hardLink("names/linked\nelsewhere", "types/linked-1");
        m.file("types/xattrs", content);
        m.xattr("types/xattrs", "mime_type", "text/plain".getBytes(StandardCharsets.UTF_8));
        m.xattr("types/xattrs", "bin", new byte[] {0, 1, (byte) 0xff});
        m.xattr("types/xattrs", "empty", new byte[0]);
        m.xattr("types/sticky", "dir.attr", "on a directory".getBytes(StandardCharsets.UTF_8));
        m.fifo("types/fifo\\pipe", 0640, t, t);
        m.socket("types/socket");
        if (TreeMaker.isRoot()) {
            m.charDevice("types/null-like", 1, 3, 0666, t, t);
            m.blockDevice("types/block", 7, 200, 0600, t, t);
        }
        m.file("types/before-1970", content);
        m.times("types/before-1970", Instant.parse("1901-12-13T20:45:51.999999999Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"));
        m.file("types/after-2038", content);
        m.times("types/after-2038", Instant.parse("2038-01-19T03:14:08.000000001Z"),
                Instant.parse("2200-06-01T00:00:00.25Z"));
        m.times("types/linked-1", t, t);
        m.times("names/link\\to", Instant.parse("2001-02-03T04:05:06.789012Z"), t);
        return root;
    }
}
