package dev.backup4j.core;

import dev.backup4j.core.chunker.ChunkStream;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures and runs one backup: sources, host, tags, time. Obtained from {@link Repository#backup()};
 * {@link #run()} may be called once.
 *
 * <pre>{@code
 * BackupResult r = repo.backup()
 *         .path(Path.of("/var/www/lms"))
 *         .exclude("*.tmp")
 *         .source(SnapshotSources.stream("/db/lms.sql", dumpOpener, clock))
 *         .tag("nightly")
 *         .run();
 * }</pre>
 */
public final class BackupCommand {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCommand.class);

    private final Repository repo;
    private final List<Path> paths = new ArrayList<>();
    private final List<SnapshotSource> sources = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private String host;
    private OffsetDateTime time;
    private boolean ran;

    BackupCommand(Repository repo) {
        this.repo = repo;
    }

    /** Adds a local file or directory tree. */
    public BackupCommand path(Path path) {
        paths.add(Objects.requireNonNull(path, "path"));
        return this;
    }

    /** Adds any source (a stream, a remote tree, an application's own entries). */
    public BackupCommand source(SnapshotSource source) {
        sources.add(Objects.requireNonNull(source, "source"));
        return this;
    }

    /** Leaves out local entries matching a glob (see {@link PathFilter} for the syntax). */
    public BackupCommand exclude(String glob) {
        excludes.add(Objects.requireNonNull(glob, "glob"));
        return this;
    }

    /** Adds a tag to the snapshot. */
    public BackupCommand tag(String tag) {
        if (Objects.requireNonNull(tag, "tag").isBlank() || tag.contains(",")) {
            throw new IllegalArgumentException("a tag must be non-blank and contain no comma: '" + tag + "'");
        }
        tags.add(tag);
        return this;
    }

    /** The host name recorded in the snapshot (default: the repository's). */
    public BackupCommand host(String host) {
        if (this.host != null) {
            throw new IllegalStateException("host was already set");
        }
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** The snapshot's time (default: now on the repository's clock), like restic's {@code --time}. */
    public BackupCommand time(OffsetDateTime time) {
        if (this.time != null) {
            throw new IllegalStateException("time was already set");
        }
        this.time = Objects.requireNonNull(time, "time");
        return this;
    }

    /** The snapshot's time as an instant, in the repository clock's zone. */
    public BackupCommand time(Instant time) {
        return time(OffsetDateTime.ofInstant(time, repo.clock().getZone()));
    }

    /**
     * Reads the sources, stores new data, and saves the snapshot after its data and index are durable.
     *
     * @throws IllegalStateException if there is no source, or if called twice
     * @throws IOException if the repository cannot be written (unreadable source entries are reported instead)
     */
    public BackupResult run() throws IOException {
        if (ran) {
            throw new IllegalStateException("a BackupCommand runs once; start another with repo.backup()");
        }
        ran = true;
        PathFilter filter = PathFilter.of(excludes);
        List<SnapshotSource> all = new ArrayList<>();
        for (Path p : paths) {
            all.add(SnapshotSources.directory(p, filter));
        }
        all.addAll(sources);
        if (all.isEmpty()) {
            throw new IllegalStateException("nothing to back up: add a path(...) or source(...)");
        }
        Instant start = repo.clock().instant();
        OffsetDateTime snapTime = time != null ? time : OffsetDateTime.ofInstant(start, repo.clock().getZone());
        long blobs0 = repo.stats().blobsAdded();
        long added0 = repo.stats().bytesAdded();
        long stored0 = repo.stats().bytesStored();

        Walk walk = new Walk(snapTime);
        VirtualDir root = new VirtualDir("", "");
        List<String> snapshotPaths = new ArrayList<>();
        for (SnapshotSource s : all) {
            String p = SnapshotSources.normalize(s.path());
            snapshotPaths.add(p);
            root.insert(p, s);
        }
        Id rootTree = walk.saveVirtual(root);
        repo.flush();
        Snapshot snap = new Snapshot(Optional.empty(), snapTime, rootTree, Optional.empty(), snapshotPaths,
                host != null ? host : repo.hostname(), repo.username(), 0, 0, List.copyOf(tags), excludes,
                Optional.empty());
        snap = repo.saveSnapshot(snap);
        Duration d = Duration.between(start, repo.clock().instant());
        LOG.info("snapshot {} saved: {} files, {} bytes read, {} errors", snap.requireId().shortString(), walk.files,
                walk.bytesRead, walk.errors.size());
        return new BackupResult(snap, walk.files, walk.dirs, walk.others, walk.bytesRead,
                repo.stats().blobsAdded() - blobs0, repo.stats().bytesAdded() - added0,
                repo.stats().bytesStored() - stored0, d, walk.errors);
    }

    /** A directory above the sources' roots, made of path elements. */
    private static final class VirtualDir {
        final String name;
        final String path;
        final Map<String, VirtualDir> dirs = new TreeMap<>(Tree.NAME_ORDER);
        final Map<String, SnapshotSource> leaves = new TreeMap<>(Tree.NAME_ORDER);
        SnapshotSource anySource;

        VirtualDir(String name, String path) {
            this.name = name;
            this.path = path;
        }

        void insert(String absPath, SnapshotSource s) {
            String rest = absPath.substring(path.length() + 1);
            int slash = rest.indexOf('/');
            anySource = anySource == null ? s : anySource;
            if (slash < 0) {
                if (leaves.containsKey(rest) || dirs.containsKey(rest)) {
                    throw new IllegalArgumentException("two sources for the same path " + absPath);
                }
                leaves.put(rest, s);
                return;
            }
            String head = rest.substring(0, slash);
            if (leaves.containsKey(head)) {
                throw new IllegalArgumentException("source " + absPath + " lies inside another source "
                        + path + "/" + head);
            }
            dirs.computeIfAbsent(head, h -> new VirtualDir(h, path + "/" + h)).insert(absPath, s);
        }
    }

    private final class Walk {
        final OffsetDateTime snapTime;
        long files;
        long dirs;
        long others;
        long bytesRead;
        final List<BackupResult.BackupError> errors = new ArrayList<>();

        Walk(OffsetDateTime snapTime) {
            this.snapTime = snapTime;
        }

        Id saveVirtual(VirtualDir d) throws IOException {
            List<Node> nodes = new ArrayList<>();
            for (VirtualDir sub : d.dirs.values()) {
                Id subtree = saveVirtual(sub);
                Node meta = sub.anySource.ancestor(sub.path, sub.name)
                        .filter(n -> n.type() == NodeType.DIR)
                        .orElseGet(() -> Node.builder(sub.name, NodeType.DIR).unixMode(0755).mtime(snapTime)
                                .atime(snapTime).ctime(snapTime).build());
                nodes.add(meta.toBuilder().subtree(subtree).size(0).content(List.of()).build());
                dirs++;
            }
            for (Map.Entry<String, SnapshotSource> e : d.leaves.entrySet()) {
                String p = d.path + "/" + e.getKey();
                SourceEntry rootEntry;
                try {
                    rootEntry = e.getValue().root();
                } catch (IOException ex) {
                    error(p, ex);
                    continue;
                }
                archive(rootEntry, p, e.getKey()).ifPresent(nodes::add);
            }
            return repo.saveTree(new Tree(nodes));
        }

        private void error(String path, Exception e) {
            String msg = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (e instanceof java.nio.file.AccessDeniedException) {
                msg = "permission denied";
            } else if (e instanceof java.nio.file.NoSuchFileException) {
                msg = "no such file (vanished during the backup?)";
            }
            LOG.warn("cannot back up {}: {}", path, msg);
            errors.add(new BackupResult.BackupError(path, msg));
        }

        Optional<Node> archive(SourceEntry e, String path, String name) throws IOException {
            if (e.error().isPresent()) {
                error(path, e.error().get());
                return Optional.empty();
            }
            Node meta = e.metadata();
            if (!meta.name().equals(name)) {
                meta = rename(meta, name);
            }
            switch (meta.type()) {
                case DIR -> {
                    List<Node> children = new ArrayList<>();
                    List<SourceEntry> entries;
                    try {
                        entries = e.children();
                    } catch (IOException ex) {
                        error(path, ex);
                        entries = List.of();
                    }
                    Set<String> seen = new java.util.HashSet<>();
                    for (SourceEntry c : entries) {
                        String cn = c.metadata().name();
                        if (!validName(cn) || !seen.add(cn)) {
                            error(path + "/" + cn, new IOException("invalid or duplicate entry name"));
                            continue;
                        }
                        archive(c, path + "/" + cn, cn).ifPresent(children::add);
                    }
                    Id subtree = repo.saveTree(new Tree(children));
                    dirs++;
                    return Optional.of(meta.toBuilder().subtree(subtree).size(0).content(List.of()).build());
                }
                case FILE -> {
                    List<Id> content = new ArrayList<>();
                    long size = 0;
                    InputStream raw;
                    try {
                        raw = e.open();
                    } catch (IOException ex) {
                        error(path, ex);
                        return Optional.empty();
                    }
                    try (ChunkStream chunks = repo.chunker().split(new SourceInput(raw))) {
                        for (int n; (n = chunks.next()) >= 0; ) {
                            content.add(repo.saveBlob(BlobType.DATA, chunks.buffer(), 0, n));
                            size += n;
                        }
                    } catch (SourceReadException ex) {
                        error(path, (Exception) ex.getCause());
                        return Optional.empty();
                    }
                    bytesRead += size;
                    files++;
                    return Optional.of(meta.toBuilder().content(content).size(size).build());
                }
                default -> {
                    others++;
                    return Optional.of(meta.toBuilder().content(List.of()).build());
                }
            }
        }

        private Node rename(Node meta, String name) {
            Node.Builder b = Node.builder(name, meta.type());
            Node n = meta;
            b.mode(n.mode()).mtime(n.mtime()).atime(n.atime()).ctime(n.ctime()).owner(n.uid(), n.gid())
                    .ownerNames(n.user(), n.group()).inode(n.inode(), n.deviceId(), n.links()).size(n.size())
                    .linkTarget(n.linkTarget()).device(n.device());
            return b.build();
        }
    }

    /** A failure of the source, as opposed to one of the repository. */
    private static final class SourceReadException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Tags the source's read failures so they are reported, while repository failures abort the backup. */
    private static final class SourceInput extends java.io.FilterInputStream {
        SourceInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new SourceReadException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new SourceReadException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException e) {
                throw new SourceReadException(e);
            }
        }
    }

    static boolean validName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\0') < 0;
    }
}
