package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.ExtendedAttribute;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a directory target restores beyond names and content that the JDK cannot do by itself:
 *
 * <ul>
 *   <li>FIFOs and device nodes: created with {@code mkfifo}/{@code mknod} (coreutils) under a temporary ASCII name in
 *       the target's root, given their owner, mode and times there ({@code chown -h}, {@code chmod}, {@code touch -h}:
 *       the JDK opens an entry to set its times, and opening a FIFO blocks), then renamed into place;</li>
 *   <li>extended attributes: those of the {@code user.} namespace through the JDK; others ({@code security.},
 *       {@code system.posix_acl_access}, {@code trusted.}) in one batch at the end through {@code setfattr --restore}
 *       (Debian package {@code attr}), which takes the entries' exact bytes on its standard input. Without it they
 *       are reported as not restored.</li>
 * </ul>
 */
final class Metadata {
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path root;
    /** Extended attributes outside the {@code user.} namespace, by target path, applied in one batch. */
    private final Map<String, Deferred> deferred = new LinkedHashMap<>();

    private record Deferred(Path path, List<ExtendedAttribute> attributes) {
    }

    Metadata(Path root) {
        this.root = root;
    }

    /** Throws the warning for what was not applied, if anything. */
    static void report(List<String> missed) throws RestoreTarget.MetadataNotRestoredException {
        if (!missed.isEmpty()) {
            throw new RestoreTarget.MetadataNotRestoredException("not restored: " + String.join("; ", missed));
        }
    }

    /**
     * Creates a FIFO or device node at {@code dest} with the node's mode, times and (if {@code chown}) owner.
     *
     * @throws IOException if it cannot be created (a device node needs root, as with restic)
     */
    void createSpecial(Path dest, Node n, boolean chown) throws IOException {
        String tmp = root.toString() + "/.backup4j-node-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet();
        if (!pathString(root).equals(root.toString())) {
            throw new IOException("cannot create " + n.type() + " entries below a target whose path is not UTF-8");
        }
        String mode = Integer.toOctalString(n.permissions());
        // created private; then owner, then the full mode (mkfifo -m takes no setuid bits, chown clears them)
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "set -e; "
                + (n.type() == NodeType.FIFO ? "mkfifo -m 600 -- \"$1\"" : "mknod -m 600 -- \"$1\" \"$6\" \"$7\" \"$8\"")
                + "; if [ -n \"$5\" ]; then chown -h -- \"$5\" \"$1\"; fi; chmod -- \"$2\" \"$1\""
                + "; touch -h -a -d \"@$3\" -- \"$1\"; touch -h -m -d \"@$4\" -- \"$1\"",
                "sh", tmp, mode, seconds(n.atime().toInstant()), seconds(n.mtime().toInstant()),
                chown ? n.uid() + ":" + n.gid() : ""));
        if (n.type() != NodeType.FIFO) {
            long dev = n.device();
            long major = (dev >>> 8) & 0xfff | (dev >>> 32) & ~0xfffL;
            long minor = dev & 0xff | (dev >>> 12) & ~0xffL;
            cmd.addAll(List.of(n.type() == NodeType.DEV ? "b" : "c", Long.toString(major), Long.toString(minor)));
        }
        Path tmpPath = Path.of(tmp);
        try {
            run(cmd, null);
            Files.move(tmpPath, dest, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmpPath);
        }
    }

    /** Seconds since the epoch with nine decimals, as {@code touch -d @S} reads them (negative before 1970). */
    static String seconds(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9)).toPlainString();
    }

    /**
     * Sets the node's extended attributes on {@code now} ({@code user.} ones at once, others deferred for the entry's
     * final place {@code path}); what cannot be set is added to {@code missed}.
     */
    void setExtendedAttributes(Path now, String path, Node n, List<String> missed) {
        if (n.extendedAttributes().isEmpty()) {
            return;
        }
        List<ExtendedAttribute> later = new ArrayList<>();
        UserDefinedFileAttributeView view = null;
        for (ExtendedAttribute a : n.extendedAttributes()) {
            if (!a.isUserNamespace()) {
                later.add(a);
                continue;
            }
            if (n.type() != NodeType.FILE && n.type() != NodeType.DIR) {
                missed.add("extended attribute " + a.name() + " (Linux keeps user.* attributes on files and "
                        + "directories only)");
                continue;
            }
            try {
                if (view == null) {
                    view = Files.getFileAttributeView(now, UserDefinedFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS);
                }
                if (view == null) {
                    missed.add("extended attribute " + a.name() + " (the file system has none)");
                    continue;
                }
                view.write(a.name().substring("user.".length()), ByteBuffer.wrap(a.value()));
            } catch (IOException | RuntimeException e) {
                missed.add("extended attribute " + a.name() + " (" + e.getMessage() + ")");
            }
        }
        if (!later.isEmpty()) {
            Path dest = root;
            for (String c : path.equals("/") ? new String[0] : path.substring(1).split("/")) {
                dest = FileNames.resolve(dest, c);
            }
            synchronized (deferred) {
                deferred.put(path, new Deferred(dest, later));
            }
        }
    }

    /** Applies the deferred attributes; returns what could not be applied, by target path. */
    Map<String, String> applyDeferred() {
        Map<String, Deferred> todo;
        synchronized (deferred) {
            todo = new LinkedHashMap<>(deferred);
            deferred.clear();
        }
        Map<String, String> failed = new LinkedHashMap<>();
        if (todo.isEmpty()) {
            return failed;
        }
        try {
            run(List.of("setfattr", "-h", "--restore=-"), dump(todo.values()));
            return failed;
        } catch (IOException batch) {
            if (batch.getMessage() != null && batch.getMessage().startsWith("cannot run")) {
                todo.forEach((p, d) -> failed.put(p, "not restored: " + names(d) + " (outside the user. namespace "
                        + "they need setfattr, from the Debian package attr, which is not installed)"));
                return failed;
            }
        }
        // the batch failed: one entry at a time, to tell which
        for (Map.Entry<String, Deferred> e : todo.entrySet()) {
            try {
                run(List.of("setfattr", "-h", "--restore=-"), dump(List.of(e.getValue())));
            } catch (IOException ex) {
                failed.put(e.getKey(), "not restored: " + names(e.getValue()) + " (" + ex.getMessage() + ")");
            }
        }
        return failed;
    }

    private static String names(Deferred d) {
        List<String> names = new ArrayList<>();
        d.attributes().forEach(a -> names.add("extended attribute " + a.name()));
        return String.join(", ", names);
    }

    /** The entries in getfattr's dump format, names with every byte but [A-Za-z0-9/._-] as an octal escape. */
    private static byte[] dump(Iterable<Deferred> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Deferred d : entries) {
            write(out, "# file: ");
            for (byte b : FileNames.encode(pathString(d.path().toAbsolutePath()))) {
                int c = b & 0xFF;
                if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '.'
                        || c == '_' || c == '-') {
                    out.write(c);
                } else {
                    write(out, String.format("\\%03o", c));
                }
            }
            out.write('\n');
            for (ExtendedAttribute a : d.attributes()) {
                write(out, a.name() + "=0s" + Base64.getEncoder().encodeToString(a.value()) + "\n");
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** A path's exact name, element by element. */
    private static String pathString(Path p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.getNameCount(); i++) {
            sb.append('/').append(FileNames.nameOf(p.getRoot().resolve(p.subpath(0, i + 1))));
        }
        return sb.toString();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs a command, feeding {@code input}; fails with its standard error if it exits non-zero. */
    private static void run(List<String> cmd, byte[] input) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (input == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        }
        if (input != null) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(input);
            }
        }
        byte[] output = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " did not finish");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running " + cmd.get(0));
        }
        if (p.exitValue() != 0) {
            String msg = new String(output, StandardCharsets.UTF_8).trim().replace('\n', ' ');
            throw new IOException(cmd.get(0) + " failed: " + (msg.isEmpty() ? "exit " + p.exitValue() : msg));
        }
    }
}
