package dev.backup4j.core.backup;

import dev.backup4j.core.common.Futures;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.OperationLock;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.repository.RepositoryStore;
import dev.backup4j.core.snapshot.LocalSourceOptions;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.SourceFailedException;
import dev.backup4j.core.snapshot.Tree;
import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup as {@code dev.backup4j.core.BackupCommand} configured it ({@link BackupSpec}): under a shared lock, the
 * walk of the sources through the {@link Archiver}, progress, the snapshot, the directory cache for the next backup,
 * and the cleanup after a failure or a cancel. Made by the command; applications use {@code repo.backup()}. Runs
 * once: {@link #run()}, {@link #start()} or {@link #start(Executor)}.
 */
public final class BackupRun {
    // the command's logger, as before the pipeline had a package of its own
    private static final Logger LOG = LoggerFactory.getLogger("dev.backup4j.core.BackupCommand");

    private final RepositoryStore repo;
    private final BackupSpec spec;
    /** The spec's listener behind a wall: what it throws never changes the backup. */
    private final BackupListener listener;
    /** Local paths, each with the path it is stored under (null: its own); the missing ones are taken out. */
    private final List<BackupSpec.LocalPath> paths;
    /** Local paths that did not exist when the backup started: left out, and reported as errors. */
    private final List<BackupResult.BackupError> missingPaths = new ArrayList<>();

    /** A backup of {@code spec} into {@code repo}; nothing runs yet. */
    public BackupRun(RepositoryStore repo, BackupSpec spec) {
        this.repo = repo;
        this.spec = spec;
        this.listener = SafeBackupListener.of(spec.listener());
        this.paths = new ArrayList<>(spec.paths());
    }

    /** Runs the backup on the calling thread (see {@code BackupCommand.run()}). */
    public BackupResult run() throws IOException {
        RunningBackup control = new RunningBackup(false);
        try {
            BackupResult r = execute(control);
            control.finish(r, null);
            return r;
        } catch (IOException | RuntimeException | Error e) {
            control.finish(null, e);
            throw e;
        }
    }

    /** Starts the backup on a thread of its own (see {@code BackupCommand.start()}). */
    public RunningBackup start() {
        RunningBackup control = new RunningBackup(true);
        Thread t = new Thread(() -> runInBackground(control), "backup4j-backup");
        t.start();
        return control;
    }

    /** Starts the backup as one task on {@code executor} (see {@code BackupCommand.start(Executor)}). */
    public RunningBackup start(Executor executor) {
        RunningBackup control = new RunningBackup(true);
        executor.execute(() -> runInBackground(control));
        return control;
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
        Locks locks = Locks.on(repo);
        try (OperationLock op = OperationLock.shared(repo, Optional.ofNullable(spec.held()))) {
            RepositoryLock lock = op.lock().orElseThrow();
            if (spec.held() == null) {
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
        for (Iterator<BackupSpec.LocalPath> it = paths.iterator(); it.hasNext(); ) {
            Path p = it.next().path();
            try {
                Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                String abs = p.toAbsolutePath().normalize().toString().replace(File.separatorChar, '/');
                LOG.debug("{} does not exist, skipping", abs);
                missingPaths.add(new BackupResult.BackupError(abs, "does not exist"));
                listener.onError(abs, "does not exist");
                it.remove();
            } catch (IOException e) {
                // reported by the walk, as for any unreadable entry
            }
        }
        if (!missingPaths.isEmpty() && paths.isEmpty() && spec.sources().isEmpty()) {
            throw new SourceFailedException("all target directories/files do not exist");
        }
    }

    private BackupResult runLocked(RepositoryLock lock, RunningBackup control)
            throws IOException {
        List<SnapshotSource> all = new ArrayList<>();
        LocalSourceOptions lo = spec.localOptions();
        if (!spec.excludes().isEmpty()) {
            List<String> merged = new ArrayList<>(lo.excludes().patterns());
            merged.addAll(spec.excludes());
            lo = new LocalSourceOptions(PathFilter.of(merged), lo.excludeIfPresent(), lo.excludeCaches(),
                    lo.oneFileSystem(), lo.followSymlinks());
        }
        List<ProgressScan.Root> scanRoots = new ArrayList<>();
        for (BackupSpec.LocalPath p : paths) {
            SnapshotSource s = p.snapshotPath() == null ? SnapshotSources.directory(p.path(), lo)
                    : SnapshotSources.directory(p.path(), p.snapshotPath(), lo);
            all.add(s);
            scanRoots.add(new ProgressScan.Root(p.path().toAbsolutePath().normalize(), p.snapshotPath() == null ? null
                    : s.path()));
        }
        all.addAll(spec.sources());
        Instant start = repo.clock().instant();
        OffsetDateTime snapTime = spec.time() != null ? spec.time()
                : OffsetDateTime.ofInstant(start, repo.clock().getZone());
        String hostname = spec.host() != null ? spec.host() : repo.hostname();
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
        Map<String, DirCache.Entry> known = spec.force() || parentSnap.isEmpty() ? null
                : DirCache.load(repo, parentSnap.get().requireId(), cacheSettings).orElse(null);
        DirCache.Recorder recorder = repo.cacheDir().isPresent() ? new DirCache.Recorder() : null;

        PathFilter genericExcludes = PathFilter.of(spec.excludes());
        ProgressScan scan = new ProgressScan(scanRoots, lo);
        Archiver a = new Archiver(repo, spec.workers(), genericExcludes, PathFilter.of(spec.includes()), spec.force(),
                listener, spec.readLimit(), known, recorder);
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
            long tick = spec.statusInterval().toNanos();
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
                    List.copyOf(spec.tags()), mergedExcludes(lo), Optional.empty(), errs.size());
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
    private void abandon(Throwable e, Archiver a, RepositoryLock lock,
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
        return Futures.asIOException(t);
    }

    private BackupStatus status(Archiver a, ProgressScan scan, Instant start) {
        return new BackupStatus(a.filesDone.get(), a.bytesProcessed.get(), scan.files.get(), scan.bytes.get(),
                scan.done.get(), List.copyOf(a.current), missingPaths.size() + a.errors.size(),
                Duration.between(start, repo.clock().instant()));
    }

    /** What decides which entries the walk keeps and how they are read, for the directory cache. */
    private String cacheSettings(LocalSourceOptions lo, List<SnapshotSource> all) {
        StringBuilder b = new StringBuilder("excludes=").append(spec.excludes()).append("\nincludes=")
                .append(spec.includes())
                .append("\nlocal=").append(lo.excludes().patterns()).append(lo.excludeIfPresent())
                .append(lo.excludeCaches()).append(lo.oneFileSystem()).append(lo.followSymlinks());
        for (SnapshotSource s : all) {
            b.append("\nsource=").append(s.getClass().getName()).append(' ').append(s.path());
        }
        return b.toString();
    }

    private Optional<Snapshot> findParent(List<Snapshot> existing, String hostname, List<String> snapshotPaths)
            throws IOException {
        if (spec.force()) {
            return Optional.empty();
        }
        if (spec.parent() != null) {
            List<Snapshot> match = existing.stream().filter(s -> s.requireId().equals(spec.parent())).toList();
            if (match.isEmpty()) {
                throw new NoSuchSnapshotException("parent snapshot " + spec.parent().shortString()
                        + " not found");
            }
            return Optional.of(match.get(0));
        }
        Set<String> want = new TreeSet<>(snapshotPaths);
        Snapshot best = null;
        for (Snapshot s : existing) {
            if (s.hostname().equals(hostname) && new TreeSet<>(s.paths()).equals(want)
                    && (best == null || !s.instant().isBefore(best.instant()))) {
                best = s;
            }
        }
        return Optional.ofNullable(best);
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
}
