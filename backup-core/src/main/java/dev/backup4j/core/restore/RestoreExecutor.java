package dev.backup4j.core.restore;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.maintenance.OperationLock;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link RestorePlan} exactly: deletions, then directories and symlinks (parents first), then file
 * content, then directory metadata (children first).
 *
 * <p>File content: blobs are grouped by pack and each pack is read once, in the plan's ranges, by a pool of threads;
 * every blob is decrypted and its SHA-256 checked before it is written at its offset in the file, so a file spread
 * over many packs is never buffered whole. A file appears under its final name only once all its blobs are written.
 * A damaged or missing blob, or a failed read, fails only the files that use it: they are reported with their paths
 * and nothing is left under their final names. An interrupted restore removes its partial files; running the same
 * restore again (with {@link OverwritePolicy#IF_CHANGED}) keeps what is already complete and finishes the rest.
 *
 * <pre>{@code
 * RestoreReport r = RestoreExecutor.of(repo).threads(4).listener(progress).execute(plan, target);
 * }</pre>
 *
 * <p>Not thread-safe: configure it and call {@link #execute} on one thread; use one executor per thread (its
 * own pack-reading threads, and the listener's calls from them, are internal to one execution).
 */
public final class RestoreExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreExecutor.class);

    private final OpenRepository repo;
    /** Readers asked for; 0: {@link #defaultThreads}. */
    private int threads;
    private RestoreListener listener = RestoreListener.NONE;
    private RepositoryLock held;
    private boolean noLock;
    private final Set<String> set = new HashSet<>();

    private RestoreExecutor(OpenRepository repo) {
        this.repo = repo;
    }

    /** An executor reading from {@code repo}. */
    public static RestoreExecutor of(OpenRepository repo) {
        return new RestoreExecutor(Objects.requireNonNull(repo, "repo"));
    }

    private void once(String option) {
        if (!set.add(option)) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /**
     * The default number of pack readers: twice the processors, 2 to 8, but no more than a third of the maximum heap
     * holds buffers for. Each reader keeps a range buffer and a blob buffer, each up to the largest range the planner
     * makes plus the 1 MiB it rounds up to ({@code 2 * 9 MiB}): with four readers a 128 MiB heap ran out in a restore
     * of the 61,000-file bench set (the plan itself took ~50 MiB), with two it completes.
     */
    static int defaultThreads(long maxHeap, int processors) {
        int byCpu = Math.max(2, Math.min(8, processors * 2));
        long perReader = 2L * (RestorePlanner.MAX_RANGE + (1 << 20));
        int byHeap = (int) Math.max(1, Math.min(64, maxHeap / 3 / perReader));
        return Math.min(byCpu, byHeap);
    }

    /**
     * Packs read in parallel (default: twice the processors, 2 to 8, fewer where the heap is small: at most one
     * reader per 54 MiB of maximum heap, since each holds up to 18 MiB of buffers).
     *
     * @throws IllegalArgumentException unless 1 to 64
     */
    public RestoreExecutor threads(int n) {
        once("threads");
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("threads must be 1 to 64, got " + n);
        }
        this.threads = n;
        return this;
    }

    /**
     * Receives progress (default: none). Whatever the listener throws is caught (the first time logged as a warning,
     * later ones ignored): the restore goes on and reports as without it.
     */
    public RestoreExecutor listener(RestoreListener l) {
        once("listener");
        this.listener = SafeRestoreListener.of(Objects.requireNonNull(l, "listener"));
        return this;
    }

    /** Executes under a lock the caller holds instead of taking a shared one (see {@link OperationLock}). */
    public RestoreExecutor lock(RepositoryLock lock) {
        once("lock");
        this.held = Objects.requireNonNull(lock, "lock");
        return this;
    }

    /** Executes without a lock (restic's {@code --no-lock}): a prune running meanwhile may remove packs it reads. */
    public RestoreExecutor withoutLock() {
        once("withoutLock");
        this.noLock = true;
        return this;
    }

    /**
     * Executes the plan against the target it was made for, under a shared lock.
     *
     * @return what was done, with one error per entry that could not be restored
     * @throws InterruptedIOException if the thread was interrupted; partial files are removed, and running the same
     *     restore again resumes it
     * @throws IOException if the target cannot be written at all
     */
    public RestoreReport execute(RestorePlan plan, RestoreTarget target) throws IOException {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(target, "target");
        if (held != null && noLock) {
            throw new IllegalStateException("lock and withoutLock exclude each other");
        }
        try (OperationLock lock = noLock ? OperationLock.none()
                : OperationLock.shared(repo, java.util.Optional.ofNullable(held))) {
            return new Run(plan, target, lock).run();
        }
    }

    /** A file being restored: its sink opens on first use, and it finishes when its last blob is accounted for. */
    private final class FileJob {
        final RestoreAction action;
        final Node node;
        final AtomicInteger remaining;
        volatile String error;
        /** What of its metadata could not be applied, once committed. */
        volatile String warning;
        private RestoreTarget.FileSink sink;
        private boolean finished;

        FileJob(RestoreAction action, int blobs) {
            this.action = action;
            this.node = action.node().orElseThrow();
            this.remaining = new AtomicInteger(blobs);
        }

        synchronized RestoreTarget.FileSink sink(RestoreTarget target) throws IOException {
            if (sink == null) {
                sink = target.openFile(action.path(), node);
            }
            return sink;
        }

        void fail(String message) {
            if (error == null) {
                error = message;
            }
        }

        /** Commits or aborts once; returns the error, or null on success. */
        synchronized String finish(RestoreTarget target) {
            if (finished) {
                return "finished twice";
            }
            finished = true;
            if (error == null) {
                try {
                    sink(target).commit();
                    return null;
                } catch (RestoreTarget.MetadataNotRestoredException e) {
                    warning = e.getMessage();
                    return null;
                } catch (IOException e) {
                    error = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            }
            if (sink != null) {
                sink.abort();
            }
            return error;
        }

        synchronized void abortIfOpen() {
            if (!finished && sink != null) {
                finished = true;
                sink.abort();
            }
        }
    }

    private record Use(FileJob job, long offset) {
    }

    private final class Run {
        final RestorePlan plan;
        final RestoreTarget target;
        final Backend backend = repo.backend();
        final Instant start = repo.clock().instant();
        final ConcurrentLinkedQueue<RestoreReport.Error> errors = new ConcurrentLinkedQueue<>();
        final AtomicLong files = new AtomicLong();
        final AtomicLong bytesWritten = new AtomicLong();
        final AtomicLong bytesRead = new AtomicLong();
        long dirs;
        long symlinks;
        long specials;
        long hardLinks;
        long kept;
        final ConcurrentLinkedQueue<RestoreReport.Error> warnings = new ConcurrentLinkedQueue<>();
        /** Paths reported as not restored, so that hard links to them are not attempted. */
        final Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        long deleted;
        final Map<Id, List<Use>> uses = new HashMap<>();
        final ThreadLocal<byte[]> readBuffer = new ThreadLocal<>();
        final ThreadLocal<byte[]> plainBuffer = new ThreadLocal<>();
        final List<FileJob> jobs = new ArrayList<>();

        final OperationLock lock;

        Run(RestorePlan plan, RestoreTarget target, OperationLock lock) {
            this.plan = plan;
            this.target = target;
            this.lock = lock;
        }

        void error(String path, String message) {
            LOG.debug("cannot restore {}: {}", path, message); // reported in the report and to the listener
            failed.add(path);
            errors.add(new RestoreReport.Error(path, message));
            listener.failed(path, message);
        }

        void warning(String path, String message) {
            LOG.debug("restored {} without some metadata: {}", path, message);
            warnings.add(new RestoreReport.Error(path, message));
        }

        RestoreReport run() throws IOException {
            listener.started(plan);
            Set<String> blocked = new HashSet<>();
            for (RestoreProblem p : plan.problems()) {
                if (p.kind() == RestoreProblem.Kind.IN_THE_WAY) {
                    error(p.path(), p.message());
                    blocked.add(p.path());
                }
            }
            for (RestoreAction a : plan.actions()) {
                if (a.kind() == RestoreAction.Kind.DELETE) {
                    try {
                        target.delete(a.path());
                        deleted++;
                        listener.done(a);
                    } catch (IOException e) {
                        error(a.path(), "cannot delete: " + e.getMessage());
                    }
                }
            }
            Set<String> failedDirs = new HashSet<>();
            for (RestoreAction a : plan.actions()) {
                if (a.kind() == RestoreAction.Kind.KEEP) {
                    kept++;
                }
                if ((a.kind() == RestoreAction.Kind.CREATE || a.kind() == RestoreAction.Kind.OVERWRITE)
                        && a.type() != NodeType.FILE) {
                    if (failedDirs.contains(Names.parent(a.path()))) {
                        failedDirs.add(a.path());
                        continue;
                    }
                    try {
                        try {
                            target.create(a.path(), a.node().orElseThrow());
                        } catch (RestoreTarget.MetadataNotRestoredException e) {
                            warning(a.path(), e.getMessage());
                        }
                        if (a.type() == NodeType.DIR) {
                            dirs++;
                        } else if (a.type() == NodeType.SYMLINK) {
                            symlinks++;
                        } else {
                            specials++;
                        }
                        listener.done(a);
                    } catch (IOException e) {
                        failedDirs.add(a.path());
                        error(a.path(), e.getMessage());
                    }
                }
            }
            Map<Id, PackedBlob> blobs = new HashMap<>();
            for (PackRead r : plan.packReads()) {
                for (PackRead.Range range : r.ranges()) {
                    for (PackedBlob b : range.blobs()) {
                        blobs.put(b.id(), b);
                    }
                }
            }
            for (RestoreAction a : plan.actions()) {
                if (a.writesContent()) {
                    if (failedDirs.contains(Names.parent(a.path()))) {
                        error(a.path(), "its directory could not be created");
                        continue;
                    }
                    prepare(a, blobs);
                }
            }
            lock.confirm(); // before the packs are read; the pause overlapped the directories' creation
            readPacks();
            for (FileJob j : jobs) {
                if (j.remaining.get() > 0) {
                    j.abortIfOpen();
                    error(j.action.path(), j.error != null ? j.error : "not all of its blobs were read");
                }
            }
            for (RestoreAction a : plan.actions()) {
                if (a.isHardLink()) {
                    link(a, failedDirs);
                }
            }

            List<RestoreAction> reversed = new ArrayList<>(plan.actions());
            java.util.Collections.reverse(reversed);
            for (RestoreAction a : reversed) {
                if (a.type() == NodeType.DIR && a.kind() != RestoreAction.Kind.DELETE
                        && a.kind() != RestoreAction.Kind.SKIP && !failedDirs.contains(a.path())) {
                    try {
                        target.finishDirectory(a.path(), a.node().orElseThrow());
                    } catch (RestoreTarget.MetadataNotRestoredException e) {
                        warning(a.path(), e.getMessage());
                    } catch (IOException e) {
                        error(a.path(), "cannot set metadata: " + e.getMessage());
                    }
                }
            }
            // last, as restic restores extended attributes after the rest of an entry's metadata
            try {
                target.finishEntries().forEach(this::warning);
            } catch (IOException e) {
                warning("/", "metadata not applied: " + e.getMessage());
            }
            List<RestoreReport.Error> errs = new ArrayList<>(errors);
            errs.sort(java.util.Comparator.comparing(RestoreReport.Error::path));
            List<RestoreReport.Error> warns = new ArrayList<>(warnings);
            warns.sort(java.util.Comparator.comparing(RestoreReport.Error::path));
            return new RestoreReport(plan, files.get(), dirs, symlinks, specials, hardLinks, kept, deleted,
                    bytesWritten.get(), bytesRead.get(), Duration.between(start, repo.clock().instant()), errs,
                    warns);
        }

        /** A further hard link, once the file it links to is in place. */
        void link(RestoreAction a, Set<String> failedDirs) {
            if (failedDirs.contains(Names.parent(a.path()))) {
                error(a.path(), "its directory could not be created");
                return;
            }
            if (failed.contains(a.hardLinkTo())) {
                error(a.path(), "it is a hard link to " + a.hardLinkTo() + ", which could not be restored");
                return;
            }
            try {
                try {
                    target.hardLink(a.path(), a.hardLinkTo(), a.node().orElseThrow());
                } catch (RestoreTarget.MetadataNotRestoredException e) {
                    warning(a.path(), e.getMessage());
                }
                hardLinks++;
                listener.done(a);
            } catch (IOException e) {
                error(a.path(), "cannot create hard link to " + a.hardLinkTo() + ": " + e.getMessage());
            }
        }

        void prepare(RestoreAction a, Map<Id, PackedBlob> blobs) {
            Node n = a.node().orElseThrow();
            List<Id> content = n.content();
            long offset = 0;
            List<Use> mine = new ArrayList<>();
            FileJob job = new FileJob(a, content.size());
            for (Id id : content) {
                PackedBlob b = blobs.get(id);
                if (b == null) {
                    error(a.path(), "data blob " + id.shortString() + " is not in the index");
                    return;
                }
                mine.add(new Use(job, offset));
                offset += b.plaintextLength();
            }
            if (offset != n.size()) {
                error(a.path(), "its blobs hold " + offset + " bytes but the snapshot says " + n.size());
                return;
            }
            if (content.isEmpty()) {
                finish(job);
                return;
            }
            jobs.add(job);
            for (int i = 0; i < content.size(); i++) {
                uses.computeIfAbsent(content.get(i), k -> new ArrayList<>()).add(mine.get(i));
            }
        }

        void finish(FileJob job) {
            String err = job.finish(target);
            if (err != null) {
                error(job.action.path(), err);
            } else {
                if (job.warning != null) {
                    warning(job.action.path(), job.warning);
                }
                files.incrementAndGet();
                listener.done(job.action);
            }
        }

        void readPacks() throws IOException {
            if (plan.packReads().isEmpty()) {
                return;
            }
            int readers = threads > 0 ? threads
                    : defaultThreads(Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
            ExecutorService pool = Executors.newFixedThreadPool(readers, r -> {
                Thread t = new Thread(r, "restore-reader");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (PackRead r : plan.packReads()) {
                    futures.add(pool.submit(() -> {
                        readPack(r);
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        Throwable c = e.getCause();
                        if (c instanceof InterruptedIOException ie) {
                            throw ie;
                        }
                        LOG.error("pack reader failed", c);
                    }
                }
            } catch (InterruptedException | InterruptedIOException e) {
                pool.shutdownNow();
                awaitQuietly(pool);
                for (FileJob j : jobs) {
                    j.abortIfOpen();
                }
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("restore interrupted; partial files were removed, run the same "
                        + "restore again to resume");
            } finally {
                pool.shutdownNow();
            }
        }

        /**
         * Waits until the readers have stopped, even if this thread is interrupted (which is usually why they are
         * stopping): partial files can only be removed once no reader writes to them any more. Before, a set
         * interrupt flag made the wait return at once, and a reader could leave a temporary file behind.
         */
        private void awaitQuietly(ExecutorService pool) {
            boolean interrupted = Thread.interrupted();
            try {
                while (true) {
                    try {
                        if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                            LOG.warn("pack readers did not stop within a minute");
                        }
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void readPack(PackRead r) throws IOException {
            Handle h = Handle.of(FileType.PACK, r.pack());
            for (PackRead.Range range : r.ranges()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted");
                }
                byte[] data = buffer(readBuffer, range.length());
                try {
                    read(h, range, data);
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("interrupted");
                    }
                    String msg = h + ": " + describe(e);
                    for (PackedBlob b : range.blobs()) {
                        failUses(b.id(), "cannot read blob " + b.id().shortString() + ": " + msg);
                    }
                    continue;
                }
                bytesRead.addAndGet(range.length());
                for (PackedBlob b : range.blobs()) {
                    byte[] plain = buffer(plainBuffer, b.plaintextLength());
                    int n;
                    try {
                        int off = (int) (b.offset() - range.offset());
                        n = repo.decodeBlobInto(data, off, b, h, plain);
                    } catch (CorruptDataException e) {
                        failUses(b.id(), e.getMessage());
                        continue;
                    }
                    for (Use u : uses.getOrDefault(b.id(), List.of())) {
                        FileJob j = u.job();
                        if (j.error == null) {
                            try {
                                j.sink(target).write(u.offset(), plain, 0, n);
                                bytesWritten.addAndGet(n);
                                listener.bytesWritten(n);
                            } catch (IOException e) {
                                if (Thread.currentThread().isInterrupted()) {
                                    throw new InterruptedIOException("interrupted");
                                }
                                j.fail("cannot write: " + describe(e));
                            }
                        }
                        if (j.remaining.decrementAndGet() == 0) {
                            finish(j);
                        }
                    }
                }
            }
        }

        private void read(Handle h, PackRead.Range range, byte[] into) throws IOException {
            try {
                backend.readInto(h, range.offset(), into, range.length());
            } catch (IOException e) {
                if (backend.isPermanent(e) || e instanceof InterruptedIOException) {
                    throw e;
                }
                LOG.info("retrying read of {} after: {}", h, e.getMessage());
                backend.readInto(h, range.offset(), into, range.length());
            }
        }

        /**
         * This thread's buffer of at least {@code n} bytes. Each reader thread reuses one buffer for the ranges it
         * reads and one for the blobs it decodes: fresh arrays for each (16 MiB ranges, megabyte blobs) made ~1.4 s
         * of stop-the-world collections in a 10 s restore of the bench data, and a 500 MiB heap. A buffer grows to
         * the next MiB above what is asked, not to twice its size: doubling made 33 MiB buffers for 17 MiB ranges,
         * ~50 MiB per thread.
         */
        private byte[] buffer(ThreadLocal<byte[]> cache, int n) {
            byte[] b = cache.get();
            if (b == null || b.length < n) {
                long mib = 1024 * 1024;
                b = new byte[(int) Math.max(n, Math.min(Integer.MAX_VALUE - 8, (n + mib - 1) / mib * mib))];
                cache.set(b);
            }
            return b;
        }

        private String describe(IOException e) {
            if (e instanceof java.io.EOFException) {
                return "pack is truncated";
            }
            if (e instanceof java.nio.file.NoSuchFileException) {
                return "pack is missing";
            }
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }

        void failUses(Id blob, String message) {
            for (Use u : uses.getOrDefault(blob, List.of())) {
                u.job().fail(message);
                if (u.job().remaining.decrementAndGet() == 0) {
                    finish(u.job());
                }
            }
        }
    }
}
