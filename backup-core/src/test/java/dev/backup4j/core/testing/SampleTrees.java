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
}
