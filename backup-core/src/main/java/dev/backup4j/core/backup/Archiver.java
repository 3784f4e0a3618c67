package dev.backup4j.core.backup;

import com.google.common.util.concurrent.RateLimiter;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.repository.BlobStats;
import dev.backup4j.core.repository.RepositoryStore;
import dev.backup4j.core.snapshot.ExtendedAttribute;
import dev.backup4j.core.snapshot.FailurePolicy;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.SourceFailedException;
import dev.backup4j.core.snapshot.Tree;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup pipeline. The calling thread walks the sources; reader threads read and chunk files (one file each);
 * blob threads hash, compress, encrypt and pack chunks and save trees once their children are done. Memory is
 * bounded by permits: at most {@code 4 * workers} files open and {@code 2 * workers + 2} chunks (8 MiB at most each)
 * in flight, whatever the size of the sources.
 *
 * <p>Failures: an entry that cannot be read is an error of that entry ({@link #errors}); a failure of a whole source
 * (see {@link FailurePolicy}) fails the backup or is such an error, as the source's policy says; a repository write
 * that fails, or {@link #cancel()}, fails the backup ({@link #fatal()}). {@link #close()} returns once no thread of
 * the pipeline writes to the repository any more.
 */
final class Archiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);

    final RepositoryStore repo;
    private final PathFilter excludes;
    final PathFilter includes;
    final boolean force;
    final BackupListener listener;
    final RateLimiter readLimit;
    final ExecutorService readers;
    final ExecutorService blobs;
    private final ExecutorService prefetcher;
    final Semaphore fileSlots;
    final Semaphore chunkSlots;

    final AtomicLong filesNew = new AtomicLong();
    final AtomicLong filesChanged = new AtomicLong();
    final AtomicLong filesUnmodified = new AtomicLong();
    final AtomicLong dirsNew = new AtomicLong();
    final AtomicLong dirsChanged = new AtomicLong();
    final AtomicLong dirsUnmodified = new AtomicLong();
    final AtomicLong others = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong bytesProcessed = new AtomicLong();
    final AtomicLong filesDone = new AtomicLong();
    /** What this backup added to the repository (other operations on the same instance count in theirs). */
    final BlobStats added = new BlobStats();
    final ConcurrentLinkedQueue<BackupResult.BackupError> errors = new ConcurrentLinkedQueue<>();
    final Set<String> current = ConcurrentHashMap.newKeySet();
    volatile Throwable fatal;
    volatile boolean cancelled;
    /**
     * Completed at the first failure that ends the backup ({@link #fatal()}) or by {@link #cancel()}, so that a wait
     * for the walk's result ends at once instead of when the files being read are done.
     */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** The sources' streams being read, so that a cancel can close one whose read blocks. */
    final Set<InputStream> open = ConcurrentHashMap.newKeySet();
    /**
     * Directories with an entry that was stored although an error was reported for it (content of another size
     * than declared, extended attributes unreadable): such a directory gets no directory-cache fingerprint, so the
     * entry is looked at again next time.
     */
    final Set<String> storedWithError = ConcurrentHashMap.newKeySet();
    // One read buffer per reader thread: allocating (and zeroing) 1 MiB per file dominated a backup of many small files.
    final ThreadLocal<byte[]> readBuffer = new ThreadLocal<>();
    private final ParentTrees parents;
    private final FileSaver files = new FileSaver(this);
    private final TreeSaver trees = new TreeSaver(this);
    /** The parent snapshot's directory cache by path, or null if there is none to use. */
    final Map<String, DirCache.Entry> known;
    /** What this backup saw of each directory, for the next one; null if there is no cache directory. */
    final DirCache.Recorder recorder;

    Archiver(RepositoryStore repo, int workers, PathFilter excludes, PathFilter includes, boolean force,
            BackupListener listener, long readBytesPerSecond, Map<String, DirCache.Entry> known,
            DirCache.Recorder recorder) {
        this.repo = repo;
        this.known = known;
        this.recorder = recorder;
        this.excludes = excludes;
        this.includes = includes;
        this.force = force;
        this.listener = listener;
        this.readLimit = readBytesPerSecond > 0
                ? RateLimiter.create(readBytesPerSecond) : null;
        this.readers = Executors.newFixedThreadPool(workers, daemon("backup-read"));
        this.blobs = Executors.newFixedThreadPool(workers, daemon("backup-blob"));
        // its own thread: queued behind blob work, a prefetched tree would arrive later than the walk loads it
        this.prefetcher = Executors.newSingleThreadExecutor(daemon("backup-prefetch"));
        this.parents = new ParentTrees(repo, prefetcher, excludes, () -> cancelled);
        this.fileSlots = new Semaphore(4 * workers);
        this.chunkSlots = new Semaphore(2 * workers + 2);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The first failure that must abort the backup (repository write, whole-source failure), if any. */
    Optional<Throwable> fatal() {
        return Optional.ofNullable(fatal);
    }

    void fail(Throwable t) {
        synchronized (this) {
            if (fatal != null) {
                return;
            }
            fatal = t;
        }
        stopped.complete(null);
    }

    /**
     * Stops the backup: no entry is started any more, reads in progress are interrupted and their streams closed
     * (a read blocked on a pipe or a socket returns), and {@link #fatal()} becomes a {@link CancellationException}.
     * Blobs being stored are stored; {@link #close()} waits for them.
     */
    void cancel() {
        cancelled = true;
        fail(new CancellationException("backup cancelled"));
        // drained tasks never run: release the file slots they hold, so a walk waiting for one goes on and stops
        fileSlots.release(readers.shutdownNow().size());
        prefetcher.shutdownNow();
        parents.cancel();
        for (InputStream in : open) {
            try {
                in.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing a source's stream on cancel: {}", e.toString());
            }
        }
    }

    /** True once {@link #cancel()} was called. */
    boolean cancelled() {
        return cancelled;
    }

    /** Completes when the backup fails ({@link #fatal()} is set) or is cancelled. */
    CompletableFuture<Void> stopped() {
        return stopped;
    }

    /** Runs {@code f} on a blob thread, where the repository is written (never on the walk's thread). */
    <T, R> CompletableFuture<R> onBlobThread(CompletableFuture<T> after, java.util.function.Function<T, R> f) {
        return after.thenApplyAsync(f, blobs);
    }

    private static String message(Throwable e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file (vanished during the backup?)";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    void error(String path, Throwable e) {
        error(path, message(e));
    }

    private void error(String path, String msg) {
        if (cancelled) {
            return; // what fails after a cancel fails because of it
        }
        LOG.debug("cannot back up {}: {}", path, msg); // reported in the result and to the listener
        errors.add(new BackupResult.BackupError(path, msg));
        listener.onError(path, msg);
    }

    /** An error of an entry that is stored all the same; its directory gets no cache fingerprint. */
    void errorStored(String path, String msg) {
        int slash = path.lastIndexOf('/');
        storedWithError.add(slash > 0 ? path.substring(0, slash) : "");
        error(path, msg);
    }

    /** A source of the snapshot: its path, and what its failure as a whole does. */
    record Src(String path, FailurePolicy policy) {
    }

    /**
     * A failure of a whole source (see {@link FailurePolicy}) at {@code path}: under {@link FailurePolicy#FAIL_BACKUP}
     * it becomes {@link #fatal()} (a {@link SourceFailedException} naming the path) and false is returned; under
     * {@link FailurePolicy#MARK_INCOMPLETE} it is an error of {@code path} and true is returned (the backup goes on
     * without the source's content).
     */
    boolean sourceFailed(Src src, String path, IOException e) {
        if (cancelled) {
            return false;
        }
        if (src.policy() == FailurePolicy.MARK_INCOMPLETE) {
            error(path, e);
            return true;
        }
        fail(e instanceof SourceFailedException ? e : new SourceFailedException(path + ": " + message(e), e));
        return false;
    }

    /** A failure at {@code path} of the source {@code src}: of the whole source at its root or if it says so. */
    boolean wholeSource(Src src, String path, IOException e) {
        return e instanceof SourceFailedException || path.equals(src.path());
    }

    CompletableFuture<Optional<Node>> failedNow() {
        return CompletableFuture.failedFuture(fatal);
    }

    /** True if the parent snapshot's directory cache is in use. */
    boolean usesCache() {
        return known != null;
    }

    /** The parent snapshot's directory at {@code path} as the cache knows it (a node with its tree id), if any. */
    Optional<Node> cachedParent(String path, String name) {
        DirCache.Entry was = known.get(path);
        return was == null ? Optional.empty() : Optional.of(Node.builder(name, NodeType.DIR).subtree(was.tree()).build());
    }

    /** Loads a parent directory's entries by name; empty if the parent tree cannot be read. */
    Map<String, Node> parentEntries(Optional<Node> parentDir) {
        return parents.parentDir(parentDir).byName();
    }

    /**
     * Archives one entry; the future yields the node to put in the parent's tree, or empty if the entry is left out.
     */
    CompletableFuture<Optional<Node>> archive(SourceEntry e, String path, String name, Optional<Node> parent, Src src)
            throws InterruptedException {
        if (fatal != null) {
            return failedNow();
        }
        if (e.error().isPresent()) {
            IOException err = e.error().get();
            if (!path.equals(src.path())) {
                error(path, err);
            } else if (!sourceFailed(src, path, err)) {
                return failedNow();
            }
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Node meta = e.metadata();
        if (!meta.name().equals(name)) {
            meta = renamed(meta, name);
        }
        return switch (meta.type()) {
            case DIR -> archiveDir(e, path, meta, parent, src);
            case FILE -> {
                if (!includes.isEmpty() && !includes.matchesOrUnder(path)) {
                    yield CompletableFuture.completedFuture(Optional.empty());
                }
                yield files.archiveFile(e, path, meta, parent, src);
            }
            default -> {
                if (!includes.isEmpty() && !includes.matchesOrUnder(path)) {
                    yield CompletableFuture.completedFuture(Optional.empty());
                }
                others.incrementAndGet();
                yield CompletableFuture.completedFuture(Optional.of(meta.toBuilder().content(List.of())
                        .extendedAttributes(extendedAttributes(e, path)).build()));
            }
        };
    }

    private CompletableFuture<Optional<Node>> archiveDir(SourceEntry e, String path, Node meta, Optional<Node> parent,
            Src src) throws InterruptedException {
        List<SourceEntry> entries;
        boolean clean = true;
        try {
            entries = e.children();
        } catch (IOException ex) {
            if (wholeSource(src, path, ex)) {
                if (!sourceFailed(src, path, ex)) {
                    return failedNow();
                }
            } else {
                error(path, ex);
            }
            entries = List.of();
            clean = false;
        }
        final Node dirMeta = meta.toBuilder().atime(e.metadata().atime()).extendedAttributes(extendedAttributes(e, path))
                .build();
        if (known != null) {
            return archiveDirCached(entries, clean, path, dirMeta, parent, src);
        }
        ParentTrees.ParentDir parentTree = parents.parentDir(parent);
        Map<String, Node> old = parentTree.byName();
        List<CompletableFuture<Optional<Node>>> children = new ArrayList<>(entries.size());
        List<Node> inputs = new ArrayList<>(entries.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            SourceEntry c = entries.get(i);
            if (c.metadata().type() == NodeType.DIR) {
                parents.prefetch(entries, old, i, path);
            }
            String cn = c.metadata().name();
            String cp = path + "/" + cn;
            int k = keep(c, cp, seen);
            if (k != KEEP) {
                clean &= k != INVALID;
                continue;
            }
            clean &= c.error().isEmpty(); // reported by archive(...)
            inputs.add(c.metadata());
            children.add(archive(c, cp, cn, Optional.ofNullable(old.get(cn)), src));
        }
        if (!old.isEmpty()) {
            // parent trees loaded ahead for entries that were left out (excluded, unsafe, no longer directories)
            for (SourceEntry c : entries) {
                Id id = c.metadata().type() == NodeType.DIR ? ParentTrees.subtreeOf(old.get(c.metadata().name())) : null;
                if (id != null) {
                    parents.forget(id);
                }
            }
        }
        return trees.finishDir(path, dirMeta, parent, parentTree, children, inputs, clean, null);
    }

    private static final int KEEP = 0;
    private static final int EXCLUDED = 1;
    private static final int INVALID = 2;

    /**
     * Whether a child is archived: {@link #KEEP} if its name is safe and new in its directory, it is not excluded, and
     * (unless it is a directory, which may hold included entries) it matches the includes; {@link #INVALID} (reported)
     * for an unsafe or repeated name; {@link #EXCLUDED} otherwise.
     */
    private int keep(SourceEntry c, String cp, Set<String> seen) {
        String cn = c.metadata().name();
        if (!Node.isSafeName(cn) || !seen.add(cn)) {
            error(cp, new IOException("invalid or duplicate entry name"));
            return INVALID;
        }
        if (excludes.matches(cp)) {
            return EXCLUDED;
        }
        return c.metadata().type() == NodeType.DIR || includes.isEmpty() || includes.matchesOrUnder(cp)
                ? KEEP : EXCLUDED;
    }

    /**
     * A directory's walk when the parent snapshot's directory cache is usable: subdirectories first, then, if every
     * subdirectory's tree is known and the fingerprint of the entries matches the cache, the cached tree as is;
     * otherwise the parent's tree for this directory is loaded and the entries are compared one by one. The parent's
     * tree is loaded ahead (on the prefetch thread, while the subdirectories are walked) as soon as a miss is certain:
     * the entries as listed differ from the recorded ones, or a subdirectory came out changed.
     */
    private CompletableFuture<Optional<Node>> archiveDirCached(List<SourceEntry> entries, boolean cleanListing,
            String path, Node dirMeta, Optional<Node> parent, Src src) throws InterruptedException {
        boolean clean = cleanListing;
        List<SourceEntry> kept = new ArrayList<>(entries.size());
        List<String> paths = new ArrayList<>(entries.size());
        List<Node> inputs = new ArrayList<>(entries.size());
        Set<String> seen = new HashSet<>();
        for (SourceEntry c : entries) {
            String cp = path + "/" + c.metadata().name();
            int k = keep(c, cp, seen);
            if (k != KEEP) {
                clean &= k != INVALID;
                continue;
            }
            clean &= c.error().isEmpty();
            kept.add(c);
            paths.add(cp);
            inputs.add(c.metadata());
        }
        DirCache.Entry was = known.get(path);
        byte[] local = DirCache.Fingerprint.local(inputs);
        boolean reusable = clean && was != null && was.matchesLocal(local);
        if (!reusable && was != null) {
            parents.prefetchTree(was.tree());
        }
        List<CompletableFuture<Optional<Node>>> children = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            SourceEntry c = kept.get(i);
            if (c.metadata().type() == NodeType.DIR && c.error().isEmpty()) {
                CompletableFuture<Optional<Node>> f = archive(c, paths.get(i), c.metadata().name(),
                        cachedParent(paths.get(i), c.metadata().name()), src);
                if (reusable && (!f.isDone() || f.isCompletedExceptionally())) {
                    reusable = false; // a subdirectory changed: so does this directory's tree
                    parents.prefetchTree(was.tree());
                }
                children.add(f);
            } else {
                children.add(null);
            }
        }
        if (reusable) {
            List<Node> subdirs = new ArrayList<>();
            for (CompletableFuture<Optional<Node>> f : children) {
                if (f != null) {
                    f.join().ifPresent(subdirs::add);
                }
            }
            byte[] full = DirCache.Fingerprint.full(local, subdirs);
            if (was.matches(full)) {
                return trees.reuse(path, dirMeta, kept, paths, children, subdirs.size(), local, full, was.tree());
            }
        }
        ParentTrees.ParentDir parentTree = parents.parentDir(parent);
        Map<String, Node> old = parentTree.byName();
        for (int i = 0; i < kept.size(); i++) {
            if (children.get(i) == null) {
                SourceEntry c = kept.get(i);
                children.set(i, archive(c, paths.get(i), c.metadata().name(),
                        Optional.ofNullable(old.get(c.metadata().name())), src));
            }
        }
        return trees.finishDir(path, dirMeta, parent, parentTree, children, inputs, clean, local);
    }

    private static Node renamed(Node n, String name) {
        return Node.builder(name, n.type()).mode(n.mode()).mtime(n.mtime()).atime(n.atime()).ctime(n.ctime())
                .owner(n.uid(), n.gid()).ownerNames(n.user(), n.group()).inode(n.inode(), n.deviceId(), n.links())
                .size(n.size()).linkTarget(n.linkTarget()).device(n.device())
                .extendedAttributes(n.extendedAttributes()).unknownFields(n.unknownFields()).build();
    }

    /** The entry's extended attributes; an error reading them is reported and the entry stored without them. */
    List<ExtendedAttribute> extendedAttributes(SourceEntry e, String path) {
        try {
            return e.extendedAttributes();
        } catch (IOException ex) {
            errorStored(path, "cannot read extended attributes: " + message(ex));
            return List.of();
        }
    }

    /**
     * Stops the pipeline and returns once no blob thread runs any more: from then on nothing of this backup writes to
     * the repository (a reader blocked in a source's read may still be running; it stores nothing). Blobs already
     * handed to the blob threads are stored, so that nothing a finished file or directory refers to is lost; the
     * blob threads are never interrupted, since a pack may be shared with another backup of the same repository
     * instance. Idempotent.
     */
    @Override
    public void close() {
        fileSlots.release(readers.shutdownNow().size());
        prefetcher.shutdownNow();
        blobs.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (blobs.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
                LOG.info("waiting for the blobs being stored before the backup ends");
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }


}
