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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures and runs one backup: sources, exclusions, host, tags, time, parent. Obtained from
 * {@link Repository#backup()}; it runs once, either on the calling thread ({@link #run()}) or in the background
 * ({@link #start()}, {@link #start(Executor)}), which gives a {@link RunningBackup} to wait for, watch or cancel.
 *
 * <p>Incremental by default: the parent is the latest snapshot with the same host and paths (or the one given with
 * {@link #parent(Id)}); a file whose size, modification time, change time and inode match the parent's is reused
 * without being read. {@link #force()} reads everything again. Files are read, chunked, compressed and encrypted by
 * {@link #workers(int)} threads each way, with memory bounded independently of the sources' size.
 *
 * <p>A backup that ends without saving its snapshot (a source failed, the repository could not be written, it was
 * interrupted or cancelled) leaves the repository as follows: no snapshot, and no lock of its own; the data it had
 * packed is uploaded and listed in an index file before its lock is released (unless the lock was lost), so no pack
 * is left unindexed and no staging file of its own remains, and a later backup reuses those blobs instead of storing
 * them again; until then they are unreferenced data, which {@code prune} removes. Only a process killed outright
 * leaves packs without an index, its lock, and a staging file (the next backup or prune removes the staging file,
 * {@code unlock} the lock).
 *
 * <p>Not thread-safe: configure a command on one thread, then run it once. Several commands (on as many threads, or
 * started in the background) may run at the same time on one {@link Repository}.
 *
 * <pre>{@code
 * BackupResult r = repo.backup()
 *         .path(Path.of("/var/www/lms"))
 *         .localOptions(LocalSourceOptions.builder().exclude("*.tmp").excludeCaches().build())
 *         .source(SnapshotSources.command("/db/lms.sql", List.of("pg_dump", "lms"), clock))
 *         .tag("nightly")
 *         .listener(status -> System.err.println(status.bytesDone()))
 *         .run();
 *
 * RunningBackup running = repo.backup().path(Path.of("/var/www/lms")).start();   // in the background
 * // ...
 * running.cancel();                                  // e.g. at shutdown: no snapshot, lock released
 * }</pre>
 */
public final class BackupCommand {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCommand.class);

    private final Repository repo;
    /** Local paths, each with the path it is stored under (null: its own). */
    private final List<LocalPath> paths = new ArrayList<>();
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
    private Duration statusInterval = Duration.ofSeconds(1);
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

    private record LocalPath(Path path, String snapshotPath) {
    }

    /** Adds a local file or directory tree, stored under its absolute path. */
    public BackupCommand path(Path path) {
        paths.add(new LocalPath(Objects.requireNonNull(path, "path"), null));
        return this;
    }

    /**
     * Adds a local file or directory tree, stored under {@code snapshotPath} instead of its own path (e.g.
     * {@code /var/lib/moodledata} as {@code /moodledata}): the snapshot's paths, {@code restic ls} and restores show
     * {@code snapshotPath}, and the next backup finds its parent snapshot by it, wherever the data lies on disk. The
     * local options apply; exclude globs match the stored paths. See
     * {@link SnapshotSources#directory(Path, String, LocalSourceOptions)}.
     *
     * @throws IllegalArgumentException if {@code snapshotPath} is not absolute or has empty, {@code .} or {@code ..}
     *     elements
     */
    public BackupCommand path(Path path, String snapshotPath) {
        paths.add(new LocalPath(Objects.requireNonNull(path, "path"), SnapshotSources.normalize(snapshotPath)));
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

    /**
     * Receives progress and errors while the backup runs. Whatever the listener throws is caught: the first time it
     * is logged as a warning with its stack trace, later ones are ignored, and the backup stores and returns exactly
     * what it would without the listener (a status callback that throws is still called at the next tick).
     */
    public BackupCommand listener(BackupListener listener) {
        once("listener");
        this.listener = SafeBackupListener.of(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * How often {@link BackupListener#onStatus} is called while the backup runs (default 1 second); it is also called
     * once at the end.
     *
     * @throws IllegalArgumentException unless at least 10 ms
     */
    public BackupCommand statusInterval(Duration interval) {
        once("statusInterval");
        if (Objects.requireNonNull(interval, "interval").compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("the status interval must be at least 10 ms, got " + interval);
        }
        this.statusInterval = interval;
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
     * Reads the sources, stores new data, and saves the snapshot after its data and index are durable, on the calling
     * thread (the walk; reading and storing run on the backup's own worker threads).
     *
     * <p>As restic: a local path that does not exist is left out of the snapshot (and of its paths) and reported as
     * an error ({@code "does not exist"}), so the snapshot is saved but marked incomplete; if no path exists and there
     * is no other source, nothing is saved. A source that fails as a whole fails the backup or marks the snapshot
     * incomplete, as its {@link SnapshotSource#failurePolicy()} says. Interrupting the calling thread stops the backup
     * as {@link RunningBackup#cancel()} does, with an {@link InterruptedIOException} (and the interrupt flag set).
     *
     * @throws IllegalStateException if there is no source, or if the command already ran or was started
     * @throws dev.backup4j.core.snapshot.SourceFailedException if a source with
     *     {@link dev.backup4j.core.snapshot.FailurePolicy#FAIL_BACKUP} failed, or none of the local paths exists and
     *     there is no other source (no snapshot is saved)
     * @throws dev.backup4j.core.common.RepositoryLockedException if another process holds an exclusive lock
     * @throws InterruptedIOException if the thread was interrupted (no snapshot is saved)
     * @throws IOException if the repository cannot be written (unreadable source entries are reported instead)
     */
    public BackupResult run() throws IOException {
        RunningBackup control = begin(false);
        try {
            BackupResult r = execute(control);
            control.finish(r, null);
            return r;
        } catch (IOException | RuntimeException | Error e) {
            control.finish(null, e);
            throw e;
        }
    }

    /**
     * Starts the backup on a thread of its own (named {@code backup4j-backup}, not a daemon: the JVM does not exit
     * while it runs, as for any thread an application starts) and returns at once. The returned handle gives the
     * result, the progress, and {@link RunningBackup#cancel()}. Everything {@link #run()} does and throws holds,
     * with the exceptions delivered through the handle.
     *
     * <pre>{@code
     * RunningBackup running = repo.backup().path(dir).start();
     * running.result().thenAccept(r -> log.info("snapshot {}", r.snapshot().requireId().shortString()));
     * }</pre>
     *
     * @throws IllegalStateException if there is no source, or if the command already ran or was started
     */
    public RunningBackup start() {
        RunningBackup control = begin(true);
        Thread t = new Thread(() -> runInBackground(control), "backup4j-backup");
        t.start();
        return control;
    }

    /**
     * Starts the backup as one task on {@code executor} (the walk runs there; reading and storing use the backup's
     * own worker threads) and returns at once. A backup cancelled before the executor runs the task ends then and
     * there, and the task does nothing.
     *
     * @throws IllegalStateException if there is no source, or if the command already ran or was started
     * @throws java.util.concurrent.RejectedExecutionException if the executor does not take the task (the command
     *     is used up)
     */
    public RunningBackup start(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        RunningBackup control = begin(true);
        executor.execute(() -> runInBackground(control));
        return control;
    }

    private RunningBackup begin(boolean background) {
        if (ran) {
            throw new IllegalStateException("a BackupCommand runs once; start another with repo.backup()");
        }
        if (paths.isEmpty() && sources.isEmpty()) {
            throw new IllegalStateException("nothing to back up: add a path(...) or source(...)");
        }
        ran = true;
        return new RunningBackup(background);
    }

    private void runInBackground(RunningBackup control) {
        if (!control.begin(Thread.currentThread())) {
            return; // cancelled before it started
        }
        try {
            control.finish(execute(control), null);
        } catch (Throwable t) {
            control.finish(null, t);
        }
    }

    /** The whole backup, under its lock; {@code control} is how a cancel reaches it. */
    private BackupResult execute(RunningBackup control) throws IOException {
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
            return runLocked(lock, control);
        } catch (IOException | RuntimeException | Error e) {
            Throwable t = control.outcome(e);
            if (t instanceof CancellationException) {
                LOG.info("backup cancelled: no snapshot saved, what was stored is indexed, the lock is released");
            }
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) t;
        }
    }

    /**
     * Moves the paths that do not exist (restic's lstat test: only "no such file" counts, so a path that cannot be
     * examined is still backed up and its error reported there) from {@link #paths} to {@link #missingPaths}.
     */
    private void leaveOutMissingPaths() throws IOException {
        for (java.util.Iterator<LocalPath> it = paths.iterator(); it.hasNext(); ) {
            Path p = it.next().path();
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

    private BackupResult runLocked(dev.backup4j.core.maintenance.RepositoryLock lock, RunningBackup control)
            throws IOException {
        List<SnapshotSource> all = new ArrayList<>();
        LocalSourceOptions lo = localOptions;
        if (!excludes.isEmpty()) {
            List<String> merged = new ArrayList<>(lo.excludes().patterns());
            merged.addAll(excludes);
            lo = new LocalSourceOptions(PathFilter.of(merged), lo.excludeIfPresent(), lo.excludeCaches(),
                    lo.oneFileSystem(), lo.followSymlinks());
        }
        List<Scan.Root> scanRoots = new ArrayList<>();
        for (LocalPath p : paths) {
            SnapshotSource s = p.snapshotPath() == null ? SnapshotSources.directory(p.path(), lo)
                    : SnapshotSources.directory(p.path(), p.snapshotPath(), lo);
            all.add(s);
            scanRoots.add(new Scan.Root(p.path().toAbsolutePath().normalize(), p.snapshotPath() == null ? null
                    : s.path()));
        }
        all.addAll(sources);
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

        PathFilter genericExcludes = PathFilter.of(excludes);
        Scan scan = new Scan(scanRoots, lo);
        Archiver a = new Archiver(repo, workers, genericExcludes, PathFilter.of(includes), force, listener,
                readLimit, known, recorder);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "backup-status");
            t.setDaemon(true);
            return t;
        });
        try {
            control.attach(() -> status(a, scan, start), a);
            if (listener != BackupListener.NONE) {
                scan.start(); // totals are only for progress; without a listener the second walk is wasted work
            }
            long tick = statusInterval.toNanos();
            ticker.scheduleAtFixedRate(() -> listener.onStatus(status(a, scan, start)), tick, tick,
                    TimeUnit.NANOSECONDS);
            Optional<Node> parentRoot = parentSnap.map(ps -> Node.builder("", NodeType.DIR).subtree(ps.tree())
                    .build());
            Id rootTree = walk(a, root, parentRoot, snapTime);
            ticker.shutdownNow();
            scan.stop();
            if (a.fatal().isPresent()) {
                throw unwrap(a.fatal().get());
            }
            control.saving(); // from here on a cancel comes too late: the snapshot is saved
            lock.confirm();
            repo.flush();
            List<BackupResult.BackupError> errs = new ArrayList<>(missingPaths);
            errs.addAll(a.errors);
            Snapshot snap = new Snapshot(Optional.empty(), snapTime, rootTree,
                    parentSnap.map(Snapshot::requireId), snapshotPaths, hostname, repo.username(), 0, 0,
                    List.copyOf(tags), mergedExcludes(lo), Optional.empty(), errs.size());
            snap = repo.saveSnapshot(snap);
            a.close();
            if (recorder != null) {
                List<Id> keep = new ArrayList<>();
                for (Snapshot s : existing) {
                    if (parentSnap.isEmpty() || !s.requireId().equals(parentSnap.get().requireId())) {
                        keep.add(s.requireId());
                    }
                }
                DirCache.save(repo, snap.requireId(), cacheSettings, recorder.entries(), keep);
            }
            BackupStatus last = status(a, scan, start);
            control.detach(last);
            listener.onStatus(last);
            Duration d = Duration.between(start, repo.clock().instant());
            LOG.info("snapshot {} saved: {} files ({} unchanged), {} bytes read, {} errors",
                    snap.requireId().shortString(), a.filesDone.get(), a.filesUnmodified.get(), a.bytesRead.get(),
                    errs.size());
            return new BackupResult(snap, a.filesNew.get(), a.filesChanged.get(), a.filesUnmodified.get(),
                    a.dirsNew.get(), a.dirsChanged.get(), a.dirsUnmodified.get(), a.others.get(), a.bytesRead.get(),
                    a.bytesProcessed.get(), a.added.blobsAdded(), a.added.bytesAdded(), a.added.bytesStored(), d, errs);
        } catch (IOException | RuntimeException | Error e) {
            abandon(e, a, lock, control);
            control.detach(status(a, scan, start));
            throw e;
        } finally {
            ticker.shutdownNow();
            scan.stop();
            a.close();
        }
    }

    /**
     * After a failure (or a cancel, or an interrupt) and before the lock is released: stops the pipeline, waits until
     * none of its threads writes to the repository, and stores what was packed (the open packs uploaded, every pack
     * of this session listed in an index file), so that the backup leaves no unindexed pack and no staging file of
     * its own. Not if the lock was lost: another process may be pruning, and the packs wait in memory for the next
     * flush. A failure here is added to {@code e} as suppressed.
     */
    private void abandon(Throwable e, Archiver a, dev.backup4j.core.maintenance.RepositoryLock lock,
            RunningBackup control) {
        control.ending(); // no interrupt reaches this thread from now on
        boolean interrupted = Thread.interrupted(); // the flush must not be interrupted half-way
        a.cancel();
        a.close();
        if (lock.released()) {
            LOG.warn("the backup lost its lock; what it stored stays unindexed until the next flush");
        } else {
            try {
                repo.flush();
            } catch (IOException | RuntimeException ex) {
                e.addSuppressed(ex);
            }
        }
        if (interrupted && !control.background()) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Walks the sources and waits for the root tree; ends at once when the backup is cancelled or fails (a source
     * under {@code FAIL_BACKUP}, a repository write), without waiting for the files still being read.
     */
    private Id walk(Archiver a, VirtualDir root, Optional<Node> parentRoot, OffsetDateTime snapTime)
            throws IOException {
        try {
            CompletableFuture<Optional<Id>> tree = saveVirtual(a, root, parentRoot, snapTime);
            CompletableFuture.anyOf(tree, a.stopped()).get();
            if (a.cancelled()) {
                throw new CancellationException("backup cancelled");
            }
            if (a.fatal().isPresent()) {
                throw unwrap(a.fatal().get());
            }
            return tree.join().orElseThrow(() -> new IllegalStateException("root tree missing"));
        } catch (ExecutionException | CompletionException e) {
            if (a.cancelled()) {
                throw new CancellationException("backup cancelled");
            }
            throw unwrap(a.fatal().orElse(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("backup interrupted");
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
            OffsetDateTime snapTime) throws InterruptedException, IOException {
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
            Archiver.Src src = new Archiver.Src(p, e.getValue().failurePolicy());
            SourceEntry rootEntry;
            try {
                rootEntry = e.getValue().root();
            } catch (IOException ex) {
                if (!a.sourceFailed(src, p, ex)) {
                    return CompletableFuture.failedFuture(a.fatal().orElse(ex));
                }
                continue;
            }
            children.add(a.archive(rootEntry, p, e.getKey(), a.usesCache() ? a.cachedParent(p, e.getKey())
                    : Optional.ofNullable(old.get(e.getKey())), src));
        }
        // the tree is stored on a blob thread: the walk's thread (the caller's, or the one a cancel interrupts) never
        // writes to the repository
        return a.onBlobThread(CompletableFuture.allOf(children.toArray(CompletableFuture[]::new)), v -> {
            List<Node> nodes = new ArrayList<>();
            for (CompletableFuture<Optional<Node>> f : children) {
                f.join().ifPresent(nodes::add);
            }
            try {
                return Optional.of(repo.saveTree(new Tree(nodes), a.added));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    /** Counts what local paths hold, in the background, so progress can show totals and an ETA. */
    private static final class Scan {
        /** A local path, and the path it is stored under if not its own (excludes match the stored path). */
        record Root(Path path, String snapshotPath) {
            String stored(Path p) {
                if (snapshotPath == null) {
                    return p.toString();
                }
                String rel = path.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                return rel.isEmpty() ? snapshotPath : snapshotPath + "/" + rel;
            }
        }

        final AtomicLong files = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicBoolean done = new AtomicBoolean();
        private final List<Root> roots;
        private final LocalSourceOptions options;
        private volatile boolean stopped;
        private Thread thread;

        Scan(List<Root> roots, LocalSourceOptions options) {
            this.roots = roots;
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
            for (Root root : roots) {
                try {
                    Files.walkFileTree(root.path(), new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                            if (stopped) {
                                return FileVisitResult.TERMINATE;
                            }
                            return options.excludes().matches(root.stored(dir)) ? FileVisitResult.SKIP_SUBTREE
                                    : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (attrs.isRegularFile() && !options.excludes().matches(root.stored(file))) {
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
