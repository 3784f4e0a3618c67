package dev.backup4j.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.nio.file.LinkOption;

/**
 * Factories for the built-in {@link SnapshotSource}s: local directories (under their own path or another one),
 * streams and commands; and {@link #withFailurePolicy} to change what a source's failure does. For sources made of
 * an application's own records, see {@link SourceEntries}.
 *
 * <pre>{@code
 * SnapshotSource www = SnapshotSources.directory(Path.of("/var/www/lms"), PathFilter.of(List.of("*.tmp")));
 * SnapshotSource data = SnapshotSources.directory(Path.of("/var/lib/moodledata"), "/moodledata",
 *         LocalSourceOptions.defaults());
 * SnapshotSource dump = SnapshotSources.stream("/db/lms.sql", () -> process.getInputStream(), clock);
 * SnapshotSource optional = SnapshotSources.withFailurePolicy(dump, FailurePolicy.MARK_INCOMPLETE);
 * }</pre>
 */
public final class SnapshotSources {
    private SnapshotSources() {
    }

    /** A local file or directory tree, recorded under its absolute path, times in the system zone. */
    public static SnapshotSource directory(Path path) {
        return directory(path, PathFilter.none());
    }

    /** A local file or directory tree without the entries {@code excludes} matches. */
    public static SnapshotSource directory(Path path, PathFilter excludes) {
        return directory(path, new LocalSourceOptions(Objects.requireNonNull(excludes, "excludes"), List.of(),
                false, false, false));
    }

    /** A local file or directory tree read with the given options, times in the system zone. */
    public static SnapshotSource directory(Path path, LocalSourceOptions options) {
        return new DirectorySource(path.toAbsolutePath().normalize(), null,
                Objects.requireNonNull(options, "options"), ZoneId.systemDefault());
    }

    /**
     * A local file or directory tree stored under another path in the snapshot, e.g. {@code /var/lib/moodledata}
     * as {@code /moodledata}: the snapshot's paths, {@code restic ls} and restores show {@code snapshotPath}, and
     * the next backup finds its parent by that path even if the data moved on disk. Directories above
     * {@code snapshotPath} get mode 0755 and the snapshot's time (the local path's own parents are not looked at).
     * Exclude globs of {@code options} match the entries' snapshot paths.
     *
     * <pre>{@code
     * repo.backup().source(SnapshotSources.directory(Path.of("/var/lib/moodledata"), "/moodledata",
     *         LocalSourceOptions.defaults())).run();
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code snapshotPath} is not absolute or has empty, {@code .} or
     *     {@code ..} elements
     */
    public static SnapshotSource directory(Path path, String snapshotPath, LocalSourceOptions options) {
        return new DirectorySource(path.toAbsolutePath().normalize(), normalize(snapshotPath),
                Objects.requireNonNull(options, "options"), ZoneId.systemDefault());
    }

    /**
     * {@code source}, with another {@link FailurePolicy}: e.g. a database dump whose failure should only mark the
     * snapshot incomplete, so the files of the same backup are saved anyway.
     */
    public static SnapshotSource withFailurePolicy(SnapshotSource source, FailurePolicy policy) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(policy, "policy");
        SnapshotSource inner = source instanceof PolicySource ps ? ps.inner : source;
        return new PolicySource(inner, policy);
    }

    /** A source with its failure policy replaced; everything else is the inner source's. */
    private static final class PolicySource implements SnapshotSource {
        private final SnapshotSource inner;
        private final FailurePolicy policy;

        PolicySource(SnapshotSource inner, FailurePolicy policy) {
            this.inner = inner;
            this.policy = policy;
        }

        @Override
        public String path() {
            return inner.path();
        }

        @Override
        public SourceEntry root() throws IOException {
            return inner.root();
        }

        @Override
        public Optional<Node> ancestor(String absolutePath, String name) {
            return inner.ancestor(absolutePath, name);
        }

        @Override
        public FailurePolicy failurePolicy() {
            return policy;
        }

        @Override
        public String toString() {
            return inner + " (" + policy + ")";
        }
    }

    /** Opens a stream; may be called once per backup. */
    @FunctionalInterface
    public interface StreamOpener {
        /** Opens the stream. */
        InputStream open() throws IOException;
    }

    /**
     * A file entry named {@code name} whose content is read from a stream, with the given permission bits and the
     * clock's current time as its times: the root of stream and command sources, local or remote. Its length is not
     * known before it is read, so it is read at every backup.
     */
    public static SourceEntry streamFile(String name, int unixMode, Clock clock, StreamOpener opener) {
        return streamFile(name, unixMode, OffsetDateTime.now(Objects.requireNonNull(clock, "clock")), opener);
    }

    /**
     * As {@link #streamFile(String, int, Clock, StreamOpener)}, with the modification time the caller knows (the
     * time of the export, of the last change of the record): it is what a restore gives the file, instead of the
     * time of the backup. A stream's length is not known before it is read, so it is still read at every backup; an
     * entry whose size is known too is skipped while unchanged: {@link SourceEntries#file}.
     */
    public static SourceEntry streamFile(String name, int unixMode, java.time.Instant modified, StreamOpener opener) {
        return streamFile(name, unixMode,
                OffsetDateTime.ofInstant(Objects.requireNonNull(modified, "modified"), ZoneOffset.UTC), opener);
    }

    private static SourceEntry streamFile(String name, int unixMode, OffsetDateTime t, StreamOpener opener) {
        Objects.requireNonNull(opener, "opener");
        Node meta = Node.builder(name, NodeType.FILE).unixMode(unixMode).mtime(t).atime(t).ctime(t).build();
        return new SourceEntries.FileEntry(meta, opener, false);
    }

    /**
     * One file at {@code path} whose content is read from a stream (a database dump, an export), with mode 0644
     * and the clock's current time as modification time. If the stream cannot be opened or read to its end, the
     * backup fails ({@link FailurePolicy#FAIL_BACKUP}, as for a command): no snapshot is saved without the dump
     * unless the source is given {@link FailurePolicy#MARK_INCOMPLETE} with {@link #withFailurePolicy}.
     */
    public static SnapshotSource stream(String path, StreamOpener opener, Clock clock) {
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(clock, "clock");
        String p = normalize(path);
        String name = p.substring(p.lastIndexOf('/') + 1);
        return new SnapshotSource() {
            @Override
            public String path() {
                return p;
            }

            @Override
            public SourceEntry root() {
                return streamFile(name, 0644, clock, opener);
            }
        };
    }

    /**
     * One file at {@code path} holding the standard output of a command run on this machine (e.g.
     * {@code pg_dump lms}), like restic's {@code --stdin-from-command}. If the command cannot be started or exits
     * non-zero, the backup fails with a {@link SourceFailedException} carrying the end of its standard error, and no
     * snapshot is saved ({@link FailurePolicy#FAIL_BACKUP}); with {@link FailurePolicy#MARK_INCOMPLETE}
     * ({@link #withFailurePolicy}) the snapshot is saved without the file, marked incomplete.
     */
    public static SnapshotSource command(String path, List<String> command, Clock clock) {
        List<String> cmd = List.copyOf(command);
        if (cmd.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        return stream(path, () -> CommandStream.start(cmd), clock);
    }

    /**
     * Checks and normalizes a snapshot path: absolute, '/'-separated, no empty, '.' or '..' elements.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String normalize(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.equals("/")) {
            throw new IllegalArgumentException("a source path must be absolute and not '/': '" + path + "'");
        }
        StringBuilder sb = new StringBuilder();
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() && sb.length() > 0 && path.endsWith("/")) {
                continue;
            }
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid element '" + part + "' in source path '" + path + "'");
            }
            sb.append('/').append(part);
        }
        return sb.toString();
    }

    /** A local directory tree. */
    static final class DirectorySource implements SnapshotSource {
        private final Path root;
        private final LocalSourceOptions options;
        private final ZoneId zone;
        private final Set<String> visitedDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private long rootDevice = -1;

        /** The snapshot path of each directory above the root, under its exact bytes, and the directory. */
        private final java.util.Map<String, Path> ancestors = new java.util.HashMap<>();
        private final String path;

        /** {@code snapshotPath} null: stored under {@code root}'s own path, with its real parents' metadata. */
        DirectorySource(Path root, String snapshotPath, LocalSourceOptions options, ZoneId zone) {
            if (root.getParent() == null) {
                throw new IllegalArgumentException("backing up the file system root is not supported: " + root);
            }
            this.root = root;
            this.options = options;
            this.zone = zone;
            if (snapshotPath != null) {
                this.path = snapshotPath;
                return;
            }
            // the path by its elements' exact names: a parent whose name is not UTF-8 keeps its bytes
            List<Path> chain = new ArrayList<>();
            for (Path p = root; p != null && p.getFileName() != null; p = p.getParent()) {
                chain.add(0, p);
            }
            StringBuilder sb = new StringBuilder();
            for (Path p : chain) {
                sb.append('/').append(FileNames.nameOf(p));
                if (!p.equals(root)) {
                    ancestors.put(sb.toString(), p);
                }
            }
            this.path = sb.toString();
        }

        /** Local paths keep restic's behaviour: an unreadable root is an error, and the snapshot is saved. */
        @Override
        public FailurePolicy failurePolicy() {
            return FailurePolicy.MARK_INCOMPLETE;
        }

        /** The local path read. */
        Path localPath() {
            return root;
        }

        @Override
        public String path() {
            return path;
        }

        /** The options this source reads with. */
        LocalSourceOptions options() {
            return options;
        }

        @Override
        public SourceEntry root() throws IOException {
            Node meta = stat(root, path.substring(path.lastIndexOf('/') + 1));
            rootDevice = meta.deviceId();
            return entry(root, path(), meta);
        }

        @Override
        public Optional<Node> ancestor(String absolutePath, String name) {
            Path dir = ancestors.get(absolutePath);
            if (dir == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(LocalFiles.stat(dir, name, zone));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        private Node stat(Path p, String name) throws IOException {
            if (options.followSymlinks() && Files.isSymbolicLink(p)) {
                Path real = p.toRealPath();
                Node n = LocalFiles.stat(real, name, zone);
                return n;
            }
            return LocalFiles.stat(p, name, zone);
        }

        private boolean skipDirectory(Path dir, Node meta) {
            if (options.oneFileSystem() && rootDevice > 0 && meta.deviceId() != rootDevice) {
                return true;
            }
            for (String marker : options.excludeIfPresent()) {
                if (Files.exists(dir.resolve(marker), LinkOption.NOFOLLOW_LINKS)) {
                    return true;
                }
            }
            if (options.excludeCaches()) {
                Path tag = dir.resolve("CACHEDIR.TAG");
                if (Files.isRegularFile(tag, LinkOption.NOFOLLOW_LINKS)) {
                    try (InputStream in = Files.newInputStream(tag)) {
                        byte[] head = in.readNBytes(LocalSourceOptions.CACHEDIR_SIGNATURE.length());
                        return new String(head, java.nio.charset.StandardCharsets.US_ASCII)
                                .equals(LocalSourceOptions.CACHEDIR_SIGNATURE);
                    } catch (IOException e) {
                        return false;
                    }
                }
            }
            return false;
        }

        private SourceEntry entry(Path p, String snapshotPath, Node initial) {
            return new SourceEntry() {
                // Reading a file or listing a directory moves its atime (Java cannot open with O_NOATIME as restic
                // does), so the node records the atime as it is afterwards: the next backup then sees the same
                // metadata and keeps the same tree.
                private volatile Node meta = initial;

                @Override
                public Node metadata() {
                    return meta;
                }

                private void refreshAtime() {
                    try {
                        java.nio.file.attribute.FileTime at = Files.readAttributes(p, java.nio.file.attribute
                                .BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).lastAccessTime();
                        meta = meta.toBuilder().atime(java.time.OffsetDateTime.ofInstant(at.toInstant(), zone))
                                .build();
                    } catch (IOException ignored) {
                        // keep the atime read before
                    }
                }

                @Override
                public List<SourceEntry> children() throws IOException {
                    if (options.followSymlinks() && meta.inode() != 0
                            && !visitedDirs.add(meta.deviceId() + ":" + meta.inode())) {
                        throw new IOException("symlink loop: directory already backed up under another path");
                    }
                    List<SourceEntry> out = new ArrayList<>();
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                        for (Path c : ds) {
                            String name = FileNames.nameOf(c);
                            String cp = snapshotPath + "/" + name;
                            if (options.excludes().matches(cp)) {
                                continue;
                            }
                            Node cm;
                            try {
                                cm = stat(c, name);
                            } catch (IOException e) {
                                out.add(failed(name, e));
                                continue;
                            }
                            if (cm.type() == NodeType.DIR && skipDirectory(c, cm)
                                    || cm.type() == NodeType.SOCKET) {
                                continue; // restic leaves sockets out of a backup too
                            }
                            out.add(entry(c, cp, cm));
                        }
                    }
                    if (!options.followSymlinks()) {
                        refreshAtime();
                    }
                    return out;
                }

                @Override
                public List<ExtendedAttribute> extendedAttributes() throws IOException {
                    Path at = options.followSymlinks() && Files.isSymbolicLink(p) ? p.toRealPath() : p;
                    return LocalFiles.extendedAttributes(at, meta.type());
                }

                @Override
                public InputStream open() throws IOException {
                    InputStream in = Files.newInputStream(p);
                    return new java.io.FilterInputStream(in) {
                        @Override
                        public void close() throws IOException {
                            super.close();
                            if (!options.followSymlinks()) {
                                refreshAtime();
                            }
                        }
                    };
                }
            };
        }

        private static SourceEntry failed(String name, IOException e) {
            Node meta = Node.builder(name, NodeType.IRREGULAR).build();
            return new SourceEntry() {
                @Override
                public Node metadata() {
                    return meta;
                }

                @Override
                public List<SourceEntry> children() throws IOException {
                    throw e;
                }

                @Override
                public InputStream open() throws IOException {
                    throw e;
                }

                @Override
                public Optional<IOException> error() {
                    return Optional.of(e);
                }
            };
        }
    }
}
