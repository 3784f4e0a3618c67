package dev.backup4j.core;

import dev.backup4j.core.chunker.ChunkStream;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.repository.BlobStats;
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

    private final Repository repo;
    private final PathFilter excludes;
    private final PathFilter includes;
    private final boolean force;
    private final BackupListener listener;
    private final com.google.common.util.concurrent.RateLimiter readLimit;
    private final ExecutorService readers;
    private final ExecutorService blobs;
    private final ExecutorService prefetcher;
    private final Semaphore fileSlots;
    private final Semaphore chunkSlots;

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
    private volatile Throwable fatal;
    private volatile boolean cancelled;
    /**
     * Completed at the first failure that ends the backup ({@link #fatal()}) or by {@link #cancel()}, so that a wait
     * for the walk's result ends at once instead of when the files being read are done.
     */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** The sources' streams being read, so that a cancel can close one whose read blocks. */
    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
    /**
     * Directories with an entry that was stored although an error was reported for it (content of another size
     * than declared, extended attributes unreadable): such a directory gets no directory-cache fingerprint, so the
     * entry is looked at again next time.
     */
    private final Set<String> storedWithError = ConcurrentHashMap.newKeySet();
    // One read buffer per reader thread: allocating (and zeroing) 1 MiB per file dominated a backup of many small files.
    private final ThreadLocal<byte[]> readBuffer = new ThreadLocal<>();
    /** Parent trees being loaded ahead of the walk, by tree id. */
    private final Map<Id, CompletableFuture<ParentDir>> prefetched = new ConcurrentHashMap<>();
    private static final int PREFETCH = 4;
    /** The parent snapshot's directory cache by path, or null if there is none to use. */
    private final Map<String, DirCache.Entry> known;
    /** What this backup saw of each directory, for the next one; null if there is no cache directory. */
    private final DirCache.Recorder recorder;

    Archiver(Repository repo, int workers, PathFilter excludes, PathFilter includes, boolean force,
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
                ? com.google.common.util.concurrent.RateLimiter.create(readBytesPerSecond) : null;
        this.readers = Executors.newFixedThreadPool(workers, daemon("backup-read"));
        this.blobs = Executors.newFixedThreadPool(workers, daemon("backup-blob"));
        // its own thread: queued behind blob work, a prefetched tree would arrive later than the walk loads it
        this.prefetcher = Executors.newSingleThreadExecutor(daemon("backup-prefetch"));
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

    private void fail(Throwable t) {
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
        for (CompletableFuture<ParentDir> f : prefetched.values()) {
            f.complete(ParentDir.NONE); // a walk waiting for a tree that will never load goes on and stops
        }
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
    private void errorStored(String path, String msg) {
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
    private boolean wholeSource(Src src, String path, IOException e) {
        return e instanceof SourceFailedException || path.equals(src.path());
    }

    private CompletableFuture<Optional<Node>> failedNow() {
        return CompletableFuture.failedFuture(fatal);
    }

    /** A parent directory's tree: its id, its nodes, and the nodes by name. */
    private record ParentDir(Id id, List<Node> nodes, Map<String, Node> byName) {
        static final ParentDir NONE = new ParentDir(null, List.of(), Map.of());
    }

    /** Loads a parent directory's tree; none if there is no parent or its tree cannot be read. */
    private ParentDir parentDir(Optional<Node> parentDir) {
        Id id = subtreeOf(parentDir.orElse(null));
        if (id == null) {
            return ParentDir.NONE;
        }
        CompletableFuture<ParentDir> ahead = prefetched.remove(id);
        return ahead != null ? ahead.join() : loadParentDir(id);
    }

    private static Id subtreeOf(Node n) {
        return n == null || n.type() != NodeType.DIR ? null : n.subtree().orElse(null);
    }

    private ParentDir loadParentDir(Id id) {
        try {
            List<Node> nodes = repo.loadTree(id).nodes();
            Map<String, Node> m = new HashMap<>(nodes.size() * 4 / 3 + 1);
            for (Node n : nodes) {
                m.put(n.name(), n);
            }
            return new ParentDir(id, nodes, m);
        } catch (IOException | RuntimeException e) {
            if (!cancelled) {
                LOG.info("parent tree unreadable, backing up without it: {}", e.getMessage());
            }
            return ParentDir.NONE;
        }
    }

    /**
     * Starts loading the parent trees of the next {@link #PREFETCH} subdirectories after {@code from}, so that the
     * walk (one thread, depth first) finds them decoded when it gets there. At most that many per directory on the
     * walk's path are held, whatever the size of the tree.
     */
    private void prefetch(List<SourceEntry> entries, Map<String, Node> old, int from, String path) {
        if (old.isEmpty()) {
            return;
        }
        int started = 0;
        for (int i = from; i < entries.size() && started < PREFETCH; i++) {
            SourceEntry c = entries.get(i);
            if (c.metadata().type() != NodeType.DIR) {
                continue;
            }
            started++;
            Id id = subtreeOf(old.get(c.metadata().name()));
            if (id != null && excludes.matches(path + "/" + c.metadata().name())) {
                continue;
            }
            if (id != null && !prefetched.containsKey(id)) {
                prefetchTree(id);
            }
        }
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
        return parentDir(parentDir).byName();
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
                yield archiveFile(e, path, meta, parent, src);
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
        ParentDir parentTree = parentDir(parent);
        Map<String, Node> old = parentTree.byName();
        List<CompletableFuture<Optional<Node>>> children = new ArrayList<>(entries.size());
        List<Node> inputs = new ArrayList<>(entries.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            SourceEntry c = entries.get(i);
            if (c.metadata().type() == NodeType.DIR) {
                prefetch(entries, old, i, path);
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
                Id id = c.metadata().type() == NodeType.DIR ? subtreeOf(old.get(c.metadata().name())) : null;
                if (id != null) {
                    prefetched.remove(id);
                }
            }
        }
        return finishDir(path, dirMeta, parent, parentTree, children, inputs, clean, null);
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
            prefetchTree(was.tree());
        }
        List<CompletableFuture<Optional<Node>>> children = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            SourceEntry c = kept.get(i);
            if (c.metadata().type() == NodeType.DIR && c.error().isEmpty()) {
                CompletableFuture<Optional<Node>> f = archive(c, paths.get(i), c.metadata().name(),
                        cachedParent(paths.get(i), c.metadata().name()), src);
                if (reusable && (!f.isDone() || f.isCompletedExceptionally())) {
                    reusable = false; // a subdirectory changed: so does this directory's tree
                    prefetchTree(was.tree());
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
                return reuse(path, dirMeta, kept, paths, children, subdirs.size(), local, full, was.tree());
            }
        }
        ParentDir parentTree = parentDir(parent);
        Map<String, Node> old = parentTree.byName();
        for (int i = 0; i < kept.size(); i++) {
            if (children.get(i) == null) {
                SourceEntry c = kept.get(i);
                children.set(i, archive(c, paths.get(i), c.metadata().name(),
                        Optional.ofNullable(old.get(c.metadata().name())), src));
            }
        }
        return finishDir(path, dirMeta, parent, parentTree, children, inputs, clean, local);
    }

    /** Starts loading a parent tree on the prefetch thread, unless it is loading already. */
    private void prefetchTree(Id id) {
        prefetched.computeIfAbsent(id, k -> {
            try {
                return CompletableFuture.supplyAsync(() -> loadParentDir(k), prefetcher);
            } catch (RejectedExecutionException e) {
                return CompletableFuture.completedFuture(ParentDir.NONE); // cancelled: the walk stops anyway
            }
        });
    }

    /** A directory reused from the cache: its entries are counted as unchanged and the recorded tree is its tree. */
    private CompletableFuture<Optional<Node>> reuse(String path, Node dirMeta, List<SourceEntry> kept,
            List<String> paths, List<CompletableFuture<Optional<Node>>> children, int subdirs, byte[] local,
            byte[] full, Id tree) {
        int nonDirs = 0;
        for (int i = 0; i < kept.size(); i++) {
            if (children.get(i) == null) {
                Node n = kept.get(i).metadata();
                if (n.type() == NodeType.FILE) {
                    filesUnmodified.incrementAndGet();
                    filesDone.incrementAndGet();
                    bytesProcessed.addAndGet(n.size());
                    listener.onFileDone(paths.get(i), n.size(), true);
                } else {
                    others.incrementAndGet();
                }
                nonDirs++;
            }
        }
        if (nonDirs + subdirs == 0 && !includes.isEmpty() && !includes.matchesOrUnder(path)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        dirsUnmodified.incrementAndGet();
        recorder.put(path, local, full, tree);
        return CompletableFuture.completedFuture(Optional.of(
                dirMeta.toBuilder().subtree(tree).size(0).content(List.of()).build()));
    }

    /**
     * Once a directory's children are done: its tree (the parent's, if nothing changed), its node for the tree above,
     * and its entry for the next backup's directory cache. {@code inputs} holds each child's metadata as listed;
     * {@code local} is their fingerprint if already computed, else null.
     */
    private CompletableFuture<Optional<Node>> finishDir(String path, Node dirMeta, Optional<Node> parent,
            ParentDir parentTree, List<CompletableFuture<Optional<Node>>> children, List<Node> inputs,
            boolean cleanSoFar, byte[] local) {
        return CompletableFuture.allOf(children.toArray(CompletableFuture[]::new)).thenApplyAsync(v -> {
            List<Node> nodes = new ArrayList<>(children.size());
            List<Node> subdirs = new ArrayList<>();
            boolean clean = cleanSoFar;
            for (int i = 0; i < children.size(); i++) {
                Optional<Node> n = children.get(i).join();
                n.ifPresent(nodes::add);
                if (inputs.get(i).type() != NodeType.DIR) {
                    clean &= n.isPresent(); // an entry other than a directory is left out only after an error
                } else {
                    n.ifPresent(subdirs::add);
                }
            }
            clean &= !storedWithError.remove(path);
            if (!includes.isEmpty() && nodes.isEmpty() && !includes.matchesOrUnder(path)) {
                return Optional.<Node>empty();
            }
            Tree tree = new Tree(nodes);
            Id subtree;
            try {
                // an unchanged directory keeps its parent's tree blob: no need to encode and hash it again
                subtree = parentTree.id() != null && tree.nodes().equals(parentTree.nodes())
                        ? parentTree.id() : repo.saveTree(tree, added);
            } catch (IOException ex) {
                fail(ex);
                throw new UncheckedIOException(ex);
            }
            if (recorder != null) {
                if (clean) {
                    byte[] lp = local != null ? local : DirCache.Fingerprint.local(inputs);
                    recorder.put(path, lp, DirCache.Fingerprint.full(lp, subdirs), subtree);
                } else {
                    recorder.put(path, null, null, subtree);
                }
            }
            if (parent.isEmpty()) {
                dirsNew.incrementAndGet();
            } else if (parent.get().subtree().equals(Optional.of(subtree))) {
                dirsUnmodified.incrementAndGet();
            } else {
                dirsChanged.incrementAndGet();
            }
            return Optional.of(dirMeta.toBuilder().subtree(subtree).size(0).content(List.of()).build());
        }, blobs);
    }

    private boolean unchanged(Node now, Node old) {
        if (force || old.type() != NodeType.FILE || now.size() != old.size()
                || !now.mtime().toInstant().equals(old.mtime().toInstant())
                || !now.ctime().toInstant().equals(old.ctime().toInstant())
                || (now.inode() != 0 && old.inode() != 0 && now.inode() != old.inode())) {
            return false;
        }
        for (Id id : old.content()) {
            if (!repo.index().has(BlobType.DATA, id)) {
                return false;
            }
        }
        return true;
    }

    private CompletableFuture<Optional<Node>> archiveFile(SourceEntry e, String path, Node meta, Optional<Node> parent,
            Src src) throws InterruptedException {
        if (parent.isPresent() && unchanged(meta, parent.get())) {
            filesUnmodified.incrementAndGet();
            filesDone.incrementAndGet();
            bytesProcessed.addAndGet(parent.get().size());
            listener.onFileDone(path, parent.get().size(), true);
            // an unchanged status change time means unchanged extended attributes: the parent's are kept
            return CompletableFuture.completedFuture(Optional.of(meta.toBuilder().content(parent.get().content())
                    .size(parent.get().size()).extendedAttributes(parent.get().extendedAttributes()).build()));
        }
        fileSlots.acquire();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return readFile(e, path, meta, parent.isPresent(), src);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(ex);
                } finally {
                    fileSlots.release();
                }
            }, readers);
        } catch (RejectedExecutionException ex) {
            fileSlots.release(); // cancelled meanwhile: the readers take no more work
            return failedNow();
        }
    }

    private Optional<Node> readFile(SourceEntry e, String path, Node meta, boolean hadParent, Src src)
            throws InterruptedException {
        if (fatal != null) {
            throw new CompletionException(fatal);
        }
        current.add(path);
        try {
            InputStream raw;
            try {
                raw = e.open();
            } catch (IOException ex) {
                return readFailed(src, path, ex);
            }
            open.add(raw);
            if (cancelled) {
                closeQuietly(raw); // cancel() may have closed the streams before this one was added
            }
            List<CompletableFuture<Id>> ids = new ArrayList<>();
            long size = 0;
            try (ChunkStream chunks = repo.chunker().split(new SourceInput(raw, readLimit), readBuffer.get())) {
                readBuffer.set(chunks.buffer());
                for (int n; (n = chunks.next()) >= 0; ) {
                    readBuffer.set(chunks.buffer()); // it may have grown for a large chunk
                    chunkSlots.acquire();
                    // an exact copy: under a fixed heap, live memory (chunks in flight) matters more than garbage
                    byte[] copy = java.util.Arrays.copyOf(chunks.buffer(), n);
                    final int len = n;
                    try {
                        ids.add(CompletableFuture.supplyAsync(() -> {
                            try {
                                return repo.saveBlob(BlobType.DATA, copy, 0, len, added);
                            } catch (IOException ex) {
                                fail(ex);
                                throw new UncheckedIOException(ex);
                            } finally {
                                chunkSlots.release();
                            }
                        }, blobs));
                    } catch (RejectedExecutionException ex) {
                        chunkSlots.release(); // the backup ended (cancelled or failed): store nothing more
                        throw new CompletionException(fatal != null ? fatal : ex);
                    }
                    size += n;
                    bytesRead.addAndGet(n);
                    bytesProcessed.addAndGet(n);
                }
            } catch (SourceReadException ex) {
                waitQuietly(ids);
                return readFailed(src, path, (IOException) ex.getCause());
            } catch (IOException ex) {
                // a SourceFailedException (a command's exit status, at close), an interrupted read, or closing the
                // chunk stream failed in a way that is not the source's: all the source's
                waitQuietly(ids);
                return readFailed(src, path, ex);
            } finally {
                open.remove(raw);
            }
            List<Id> content = new ArrayList<>(ids.size());
            for (CompletableFuture<Id> f : ids) {
                content.add(f.join());
            }
            if (e.declaresSize() && size != meta.size()) {
                errorStored(path, "declared " + meta.size() + " bytes but " + size
                        + " were read (changed while being read?); stored as read");
            }
            Node after = meta.toBuilder().atime(e.metadata().atime()).extendedAttributes(extendedAttributes(e, path))
                    .build();
            (hadParent ? filesChanged : filesNew).incrementAndGet();
            filesDone.incrementAndGet();
            listener.onFileDone(path, size, false);
            return Optional.of(after.toBuilder().content(content).size(size).build());
        } finally {
            current.remove(path);
        }
    }

    /**
     * A file that could not be opened or read to its end: its error, or a failure of its source (see
     * {@link #sourceFailed}), which ends the file's task with the backup's failure.
     */
    private Optional<Node> readFailed(Src src, String path, IOException ex) {
        if (fatal != null) {
            throw new CompletionException(fatal);
        }
        if (wholeSource(src, path, ex)) {
            if (!sourceFailed(src, path, ex)) {
                throw new CompletionException(fatal);
            }
        } else {
            error(path, ex);
        }
        return Optional.empty();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the backup is cancelled; closing only unblocks a read
        }
    }

    private static void waitQuietly(List<CompletableFuture<Id>> ids) {
        for (CompletableFuture<Id> f : ids) {
            try {
                f.join();
            } catch (CompletionException ignored) {
                // the repository failure is recorded as fatal by the task itself
            }
        }
    }

    private static Node renamed(Node n, String name) {
        return Node.builder(name, n.type()).mode(n.mode()).mtime(n.mtime()).atime(n.atime()).ctime(n.ctime())
                .owner(n.uid(), n.gid()).ownerNames(n.user(), n.group()).inode(n.inode(), n.deviceId(), n.links())
                .size(n.size()).linkTarget(n.linkTarget()).device(n.device())
                .extendedAttributes(n.extendedAttributes()).unknownFields(n.unknownFields()).build();
    }

    /** The entry's extended attributes; an error reading them is reported and the entry stored without them. */
    private List<dev.backup4j.core.snapshot.ExtendedAttribute> extendedAttributes(SourceEntry e, String path) {
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

    /** A failure of the source while reading, as opposed to one of the repository. */
    static final class SourceReadException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Tags the source's read failures and applies the read rate limit. */
    private static final class SourceInput extends FilterInputStream {
        private final com.google.common.util.concurrent.RateLimiter limit;

        SourceInput(InputStream in, com.google.common.util.concurrent.RateLimiter limit) {
            super(in);
            this.limit = limit;
        }

        private IOException tag(IOException e) {
            if (e instanceof SourceFailedException || e instanceof InterruptedIOException) {
                return e;
            }
            return new SourceReadException(e);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                if (b >= 0 && limit != null) {
                    limit.acquire(1);
                }
                return b;
            } catch (IOException e) {
                throw tag(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                int n = super.read(b, off, limit != null ? Math.min(len, 64 * 1024) : len);
                if (n > 0 && limit != null) {
                    limit.acquire(n);
                }
                return n;
            } catch (IOException e) {
                throw tag(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException e) {
                throw tag(e);
            }
        }
    }
}
