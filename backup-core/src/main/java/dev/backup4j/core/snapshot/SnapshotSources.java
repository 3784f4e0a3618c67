package dev.backup4j.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Factories for the built-in {@link SnapshotSource}s.
 *
 * <pre>{@code
 * SnapshotSource www = SnapshotSources.directory(Path.of("/var/www/lms"), PathFilter.of(List.of("*.tmp")));
 * SnapshotSource dump = SnapshotSources.stream("/db/lms.sql", () -> process.getInputStream(), clock);
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
        return new DirectorySource(path.toAbsolutePath().normalize(), Objects.requireNonNull(excludes, "excludes"),
                ZoneId.systemDefault());
    }

    /** Opens a stream; may be called once per backup. */
    @FunctionalInterface
    public interface StreamOpener {
        /** Opens the stream. */
        InputStream open() throws IOException;
    }

    /**
     * One file at {@code path} whose content is read from a stream (a database dump, an export), with mode 0644
     * and the clock's current time as modification time.
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
                OffsetDateTime now = OffsetDateTime.now(clock);
                Node meta = Node.builder(name, NodeType.FILE).unixMode(0644).mtime(now).atime(now).ctime(now).build();
                return new SourceEntry() {
                    @Override
                    public Node metadata() {
                        return meta;
                    }

                    @Override
                    public List<SourceEntry> children() {
                        throw new UnsupportedOperationException("a stream has no children");
                    }

                    @Override
                    public InputStream open() throws IOException {
                        return opener.open();
                    }
                };
            }
        };
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
        private final PathFilter excludes;
        private final ZoneId zone;

        DirectorySource(Path root, PathFilter excludes, ZoneId zone) {
            if (root.getParent() == null) {
                throw new IllegalArgumentException("backing up the file system root is not supported: " + root);
            }
            this.root = root;
            this.excludes = excludes;
            this.zone = zone;
        }

        @Override
        public String path() {
            return root.toString().replace(java.io.File.separatorChar, '/');
        }

        @Override
        public SourceEntry root() throws IOException {
            return entry(root, path());
        }

        @Override
        public Optional<Node> ancestor(String absolutePath, String name) {
            try {
                return Optional.of(LocalFiles.stat(Path.of(absolutePath), name, zone));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        private SourceEntry entry(Path p, String snapshotPath) throws IOException {
            Node meta = LocalFiles.stat(p, p.getFileName().toString(), zone);
            return new SourceEntry() {
                @Override
                public Node metadata() {
                    return meta;
                }

                @Override
                public List<SourceEntry> children() throws IOException {
                    List<SourceEntry> out = new ArrayList<>();
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                        for (Path c : ds) {
                            String cp = snapshotPath + "/" + c.getFileName();
                            if (excludes.matches(cp)) {
                                continue;
                            }
                            try {
                                out.add(entry(c, cp));
                            } catch (IOException e) {
                                out.add(failed(c.getFileName().toString(), e));
                            }
                        }
                    }
                    return out;
                }

                @Override
                public InputStream open() throws IOException {
                    return Files.newInputStream(p);
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
