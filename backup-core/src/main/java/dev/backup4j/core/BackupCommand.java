package dev.backup4j.core;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.snapshot.LocalSourceOptions;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures and runs one backup: sources, exclusions, host, tags, time, parent. Obtained from
 * {@link Repository#backup()}; {@link #run()} may be called once.
 *
 * <p>Incremental by default: the parent is the latest snapshot with the same host and paths (or the one given with
 * {@link #parent(Id)}); a file whose size, modification time, change time and inode match the parent's is reused
 * without being read. {@link #force()} reads everything again. Files are read, chunked, compressed and encrypted by
 * {@link #workers(int)} threads each way, with memory bounded independently of the sources' size.
 *
 * <pre>{@code
 * BackupResult r = repo.backup()
 *         .path(Path.of("/var/www/lms"))
 *         .localOptions(LocalSourceOptions.builder().exclude("*.tmp").excludeCaches().build())
 *         .source(SnapshotSources.command("/db/lms.sql", List.of("pg_dump", "lms"), clock))
 *         .tag("nightly")
 *         .listener(status -> System.err.println(status.bytesDone()))
 *         .run();
 * }</pre>
 */
public final class BackupCommand {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCommand.class);

    private final Repository repo;
    private final List<Path> paths = new ArrayList<>();
    private final List<SnapshotSource> sources = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();
    private final List<String> includes = new ArrayList<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private LocalSourceOptions localOptions = LocalSourceOptions.defaults();
    private String host;
    private OffsetDateTime time;
    private Id parent;
    private boolean noParent;
    private boolean force;
    private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private BackupListener listener = BackupListener.NONE;
    private long readLimit;
    private final Set<String> set = new java.util.HashSet<>();
    /** Local paths that did not exist when the backup started: left out, and reported as errors. */
    private final List<BackupResult.BackupError> missingPaths = new ArrayList<>();
    private dev.backup4j.core.maintenance.RepositoryLock held;
    private boolean ran;

    BackupCommand(Repository repo) {
        this.repo = repo;
    }

    private void once(String option) {
        if (!set.add(option)) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /** Adds a local file or directory tree. */
    public BackupCommand path(Path path) {
        paths.add(Objects.requireNonNull(path, "path"));
        return this;
    }

    /** Adds any source (a stream, a command's output, a remote tree, an application's own entries). */
    public BackupCommand source(SnapshotSource source) {
        sources.add(Objects.requireNonNull(source, "source"));
        return this;
    }

    /** How local paths are read (marker files, caches, file systems, symlinks, their own excludes). */
    public BackupCommand localOptions(LocalSourceOptions options) {
        once("localOptions");
        this.localOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /** Leaves out entries of every source matching a glob (see {@link PathFilter} for the syntax). */
    public BackupCommand exclude(String glob) {
        excludes.add(Objects.requireNonNull(glob, "glob"));
        return this;
    }

    /** Keeps only entries matching a glob (and the directories leading to them); may be given several times. */
    public BackupCommand include(String glob) {
        includes.add(Objects.requireNonNull(glob, "glob"));
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
        once("host");
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** The snapshot's time (default: now on the repository's clock), like restic's {@code --time}. */
    public BackupCommand time(OffsetDateTime time) {
        once("time");
        this.time = Objects.requireNonNull(time, "time");
        return this;
    }

    /** The snapshot's time as an instant, in the repository clock's zone. */
    public BackupCommand time(Instant time) {
        return time(OffsetDateTime.ofInstant(time, repo.clock().getZone()));
    }

    /** Uses this snapshot as the parent instead of the latest one with the same host and paths. */
    public BackupCommand parent(Id snapshot) {
        once("parent");
        this.parent = Objects.requireNonNull(snapshot, "snapshot");
        return this;
    }

    /** Backs up without a parent: every file is read (but unchanged data is still stored only once). */
    public BackupCommand force() {
        once("force");
        this.force = true;
        return this;
    }

    /**
     * Threads for reading and for processing chunks (default: the number of processors).
     *
     * @throws IllegalArgumentException unless 1 to 64
     */
    public BackupCommand workers(int n) {
        once("workers");
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("workers must be 1 to 64, got " + n);
        }
        this.workers = n;
        return this;
    }

    /** Receives progress and errors while the backup runs. */
    public BackupCommand listener(BackupListener listener) {
        once("listener");
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Limits how fast sources are read, so that a backup does not starve a busy server's disks.
     *
     * @throws IllegalArgumentException unless positive
     */
    public BackupCommand limitReadBytesPerSecond(long bytesPerSecond) {
        once("readLimit");
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("read limit must be positive");
        }
        this.readLimit = bytesPerSecond;
        return this;
    }

    /**
     * Runs under a lock the caller holds (shared or exclusive) instead of taking a shared one.
     *
     * @throws IllegalStateException if already set
     */
    public BackupCommand lock(dev.backup4j.core.maintenance.RepositoryLock lock) {
        if (held != null) {
            throw new IllegalStateException("lock was already set");
        }
        this.held = Objects.requireNonNull(lock, "lock");
        return this;
    }

    /**
     * Reads the sources, stores new data, and saves the snapshot after its data and index are durable.
     *
     * <p>As restic: a local path that does not exist is left out of the snapshot (and of its paths) and reported as
     * an error ({@code "does not exist"}), so the snapshot is saved but marked incomplete; if no path exists and there
     * is no other source, nothing is saved.
     *
     * @throws IllegalStateException if there is no source, or if called twice
     * @throws dev.backup4j.core.snapshot.SourceFailedException if a source failed as a whole, or none of the local
     *     paths exists and there is no other source (no snapshot is saved)
     * @throws dev.backup4j.core.common.RepositoryLockedException if another process holds an exclusive lock
     * @throws IOException if the repository cannot be written (unreadable source entries are reported instead)
     */
    public BackupResult run() throws IOException {
        if (ran) {
            throw new IllegalStateException("a BackupCommand runs once; start another with repo.backup()");
        }
        ran = true;
        leaveOutMissingPaths();
        // A shared lock, as restic takes for backup: prune and forget (exclusive) wait, other backups do not.
        // The lock's second check (after the lock pause) overlaps the walk; it must pass before the snapshot is saved.
        dev.backup4j.core.maintenance.Locks locks = dev.backup4j.core.maintenance.Locks.on(repo);
        try (dev.backup4j.core.maintenance.OperationLock op = dev.backup4j.core.maintenance.OperationLock.shared(repo,
                Optional.ofNullable(held))) {
            dev.backup4j.core.maintenance.RepositoryLock lock = op.lock().orElseThrow();
            if (held == null) {
                // before this backup stages anything: staging files of backups killed mid-run, if none can be running
                locks.removeAbandonedStagingFiles(lock);
            }
            return runLocked(lock);
        }
    }

    /**
     * Moves the paths that do not exist (restic's lstat test: only "no such file" counts, so a path that cannot be
     * examined is still backed up and its error reported there) from {@link #paths} to {@link #missingPaths}.
     */
    private void leaveOutMissingPaths() throws IOException {
        for (java.util.Iterator<Path> it = paths.iterator(); it.hasNext(); ) {
            Path p = it.next();
            try {
                Files.readAttributes(p, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                String abs = p.toAbsolutePath().normalize().toString().replace(java.io.File.separatorChar, '/');
                LOG.debug("{} does not exist, skipping", abs);
                missingPaths.add(new BackupResult.BackupError(abs, "does not exist"));
                listener.onError(abs, "does not exist");
                it.remove();
            } catch (IOException e) {
                // reported by the walk, as for any unreadable entry
            }
        }
        if (!missingPaths.isEmpty() && paths.isEmpty() && sources.isEmpty()) {
            throw new dev.backup4j.core.snapshot.SourceFailedException("all target directories/files do not exist");
        }
    }

    private BackupResult runLocked(dev.backup4j.core.maintenance.RepositoryLock lock) throws IOException {
        List<SnapshotSource> all = new ArrayList<>();
        LocalSourceOptions lo = localOptions;
        if (!excludes.isEmpty()) {
            List<String> merged = new ArrayList<>(lo.excludes().patterns());
            merged.addAll(excludes);
            lo = new LocalSourceOptions(PathFilter.of(merged), lo.excludeIfPresent(), lo.excludeCaches(),
                    lo.oneFileSystem(), lo.followSymlinks());
        }
        for (Path p : paths) {
            all.add(SnapshotSources.directory(p, lo));
        }
        all.addAll(sources);
        if (all.isEmpty()) {
            throw new IllegalStateException("nothing to back up: add a path(...) or source(...)");
        }
        Instant start = repo.clock().instant();
        OffsetDateTime snapTime = time != null ? time : OffsetDateTime.ofInstant(start, repo.clock().getZone());
        String hostname = host != null ? host : repo.hostname();
        List<String> snapshotPaths = new ArrayList<>();
        VirtualDir root = new VirtualDir("", "");
        for (SnapshotSource s : all) {
            String p = SnapshotSources.normalize(s.path());
            snapshotPaths.add(p);
            root.insert(p, s);
        }
        List<Snapshot> existing = repo.snapshots();
        Optional<Snapshot> parentSnap = findParent(existing, hostname, snapshotPaths);
        parentSnap.ifPresent(ps -> LOG.info("using parent snapshot {}", ps.requireId().shortString()));
        byte[] cacheSettings = DirCache.settings(cacheSettings(lo, all));
        Map<String, DirCache.Entry> known = force || parentSnap.isEmpty() ? null
                : DirCache.load(repo, parentSnap.get().requireId(), cacheSettings).orElse(null);
        DirCache.Recorder recorder = repo.cacheDir().isPresent() ? new DirCache.Recorder() : null;

        long blobs0 = repo.stats().blobsAdded();
        long added0 = repo.stats().bytesAdded();
        long stored0 = repo.stats().bytesStored();
        PathFilter genericExcludes = PathFilter.of(excludes);
        Scan scan = new Scan(paths, lo);
        try (Archiver a = new Archiver(repo, workers, genericExcludes, PathFilter.of(includes), force, listener,
                readLimit, known, recorder)) {
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "backup-status");
                t.setDaemon(true);
                return t;
            });
            if (listener != BackupListener.NONE) {
                scan.start(); // totals are only for progress; without a listener the second walk is wasted work
            }
            ticker.scheduleAtFixedRate(() -> listener.onStatus(status(a, scan, start)), 1, 1, TimeUnit.SECONDS);
            Id rootTree;
            try {
                Optional<Node> parentRoot = parentSnap.map(ps -> Node.builder("", NodeType.DIR).subtree(ps.tree())
                        .build());
                rootTree = saveVirtual(a, root, parentRoot, snapTime).join()
                        .orElseThrow(() -> new IllegalStateException("root tree missing"));
            } catch (CompletionException e) {
                throw unwrap(a.fatal().orElse(e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("backup interrupted");
            } finally {
                ticker.shutdownNow();
                scan.stop();
            }
            if (a.fatal().isPresent()) {
                throw unwrap(a.fatal().get());
            }
            lock.confirm();
            repo.flush();
            List<BackupResult.BackupError> errs = new ArrayList<>(missingPaths);
            errs.addAll(a.errors);
            Snapshot snap = new Snapshot(Optional.empty(), snapTime, rootTree,
                    parentSnap.map(Snapshot::requireId), snapshotPaths, hostname, repo.username(), 0, 0,
                    List.copyOf(tags), mergedExcludes(lo), Optional.empty(), errs.size());
            snap = repo.saveSnapshot(snap);
            if (recorder != null) {
                List<Id> keep = new ArrayList<>();
                for (Snapshot s : existing) {
                    if (parentSnap.isEmpty() || !s.requireId().equals(parentSnap.get().requireId())) {
                        keep.add(s.requireId());
                    }
                }
                DirCache.save(repo, snap.requireId(), cacheSettings, recorder.entries(), keep);
            }
            listener.onStatus(status(a, scan, start));
            Duration d = Duration.between(start, repo.clock().instant());
            LOG.info("snapshot {} saved: {} files ({} unchanged), {} bytes read, {} errors",
                    snap.requireId().shortString(), a.filesDone.get(), a.filesUnmodified.get(), a.bytesRead.get(),
                    errs.size());
            return new BackupResult(snap, a.filesNew.get(), a.filesChanged.get(), a.filesUnmodified.get(),
                    a.dirsNew.get(), a.dirsChanged.get(), a.dirsUnmodified.get(), a.others.get(), a.bytesRead.get(),
                    a.bytesProcessed.get(), repo.stats().blobsAdded() - blobs0, repo.stats().bytesAdded() - added0,
                    repo.stats().bytesStored() - stored0, d, errs);
        }
    }

    private static List<String> mergedExcludes(LocalSourceOptions lo) {
        return lo.excludes().patterns();
    }

    private static IOException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) {
            t = t.getCause();
        }
        return dev.backup4j.core.common.Futures.asIOException(t);
    }

    private BackupStatus status(Archiver a, Scan scan, Instant start) {
        return new BackupStatus(a.filesDone.get(), a.bytesProcessed.get(), scan.files.get(), scan.bytes.get(),
                scan.done.get(), List.copyOf(a.current), missingPaths.size() + a.errors.size(),
                Duration.between(start, repo.clock().instant()));
    }

    /** What decides which entries the walk keeps and how they are read, for the directory cache. */
    private String cacheSettings(LocalSourceOptions lo, List<SnapshotSource> all) {
        StringBuilder b = new StringBuilder("excludes=").append(excludes).append("\nincludes=").append(includes)
                .append("\nlocal=").append(lo.excludes().patterns()).append(lo.excludeIfPresent())
                .append(lo.excludeCaches()).append(lo.oneFileSystem()).append(lo.followSymlinks());
        for (SnapshotSource s : all) {
            b.append("\nsource=").append(s.getClass().getName()).append(' ').append(s.path());
        }
        return b.toString();
    }

    private Optional<Snapshot> findParent(List<Snapshot> existing, String hostname, List<String> snapshotPaths)
            throws IOException {
        if (force) {
            return Optional.empty();
        }
        if (parent != null) {
            List<Snapshot> match = existing.stream().filter(s -> s.requireId().equals(parent)).toList();
            if (match.isEmpty()) {
                throw new NoSuchSnapshotException("parent snapshot " + parent.shortString() + " not found");
            }
            return Optional.of(match.get(0));
        }
        Set<String> want = new java.util.TreeSet<>(snapshotPaths);
        Snapshot best = null;
        for (Snapshot s : existing) {
            if (s.hostname().equals(hostname) && new java.util.TreeSet<>(s.paths()).equals(want)
                    && (best == null || !s.instant().isBefore(best.instant()))) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Directories above the sources' roots, made of path elements. */
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

    private CompletableFuture<Optional<Id>> saveVirtual(Archiver a, VirtualDir d, Optional<Node> parentDir,
            OffsetDateTime snapTime) throws InterruptedException {
        // with the directory cache, the sources' roots find their parent trees there: the index (still loading in
        // the background) is not needed to look them up
        Map<String, Node> old = a.usesCache() ? Map.of() : a.parentEntries(parentDir);
        List<CompletableFuture<Optional<Node>>> children = new ArrayList<>();
        for (VirtualDir sub : d.dirs.values()) {
            Node meta = sub.anySource.ancestor(sub.path, sub.name)
                    .filter(n -> n.type() == NodeType.DIR)
                    .orElseGet(() -> Node.builder(sub.name, NodeType.DIR).unixMode(0755).mtime(snapTime)
                            .atime(snapTime).ctime(snapTime).build());
            children.add(saveVirtual(a, sub, Optional.ofNullable(old.get(sub.name)), snapTime)
                    .thenApply(id -> Optional.of(meta.toBuilder().subtree(id.orElseThrow()).size(0)
                            .content(List.of()).build())));
        }
        for (Map.Entry<String, SnapshotSource> e : d.leaves.entrySet()) {
            String p = d.path + "/" + e.getKey();
            SourceEntry rootEntry;
            try {
                rootEntry = e.getValue().root();
            } catch (dev.backup4j.core.snapshot.SourceFailedException ex) {
                return CompletableFuture.failedFuture(ex);
            } catch (IOException ex) {
                a.error(p, ex);
                continue;
            }
            children.add(a.archive(rootEntry, p, e.getKey(), a.usesCache() ? a.cachedParent(p, e.getKey())
                    : Optional.ofNullable(old.get(e.getKey()))));
        }
        return CompletableFuture.allOf(children.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Node> nodes = new ArrayList<>();
            for (CompletableFuture<Optional<Node>> f : children) {
                f.join().ifPresent(nodes::add);
            }
            try {
                return Optional.of(repo.saveTree(new Tree(nodes)));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    /** Counts what local paths hold, in the background, so progress can show totals and an ETA. */
    private static final class Scan {
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicBoolean done = new AtomicBoolean();
        private final List<Path> paths;
        private final LocalSourceOptions options;
        private volatile boolean stopped;
        private Thread thread;

        Scan(List<Path> paths, LocalSourceOptions options) {
            this.paths = paths;
            this.options = options;
        }

        void start() {
            thread = new Thread(this::scan, "backup-scan");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            stopped = true;
        }

        private void scan() {
            for (Path root : paths) {
                try {
                    Files.walkFileTree(root.toAbsolutePath().normalize(), new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (stopped) {
                                return FileVisitResult.TERMINATE;
                            }
                            return options.excludes().matches(dir.toString()) ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && !options.excludes().matches(file.toString())) {
                                files.incrementAndGet();
                                bytes.addAndGet(attrs.size());
                            }
                            return stopped ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
                } catch (IOException ignored) {
                    // the backup itself reports unreadable entries
                }
            }
            done.set(true);
        }
    }

}
