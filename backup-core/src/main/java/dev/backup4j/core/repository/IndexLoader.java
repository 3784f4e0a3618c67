package dev.backup4j.core.repository;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Futures;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.index.IndexFile;
import dev.backup4j.core.pack.PackedBlob;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory index of a repository and the index files it was loaded from: loading (at once, or on a thread of
 * its own while the caller goes on), bringing it up to date with files other processes wrote or replaced, and
 * loading it again.
 */
final class IndexLoader {
    private static final Logger LOG = LoggerFactory.getLogger(IndexLoader.class);

    private final Backend backend;
    private final BlobCodec codec;
    private final Index index = new Index();
    private final Set<Id> indexFiles = ConcurrentHashMap.newKeySet();
    /** Done once the index is loaded (at once unless it loads in the background). */
    private volatile CompletableFuture<Void> indexReady = CompletableFuture.completedFuture(null);
    private volatile Thread indexLoader;

    IndexLoader(Backend backend, BlobCodec codec) {
        this.backend = backend;
        this.codec = codec;
    }

    /** Loads the index on a thread of its own; {@link #loaded()} waits for it. */
    void startInBackground() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                load();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "backup4j-index-loader");
        t.setDaemon(true);
        indexLoader = t;
        indexReady = done;
        t.start();
    }

    /** The index, once loaded. */
    Index loaded() throws IOException {
        try {
            indexReady.get();
            return index;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the index");
        } catch (ExecutionException e) {
            // each caller gets an exception with its own stack, the loader's failure as the cause
            Throwable c = e.getCause();
            if (c instanceof CorruptDataException) {
                throw new CorruptDataException(c.getMessage(), c);
            }
            if (c instanceof IOException) {
                throw new IOException(c.getMessage(), c);
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("loading the index failed", c);
        }
    }

    void load() throws IOException {
        List<FileInfo> files = backend.list(FileType.INDEX);
        int threads = Math.min(files.size() / 2, Runtime.getRuntime().availableProcessors());
        if (threads < 2) {
            for (FileInfo f : files) {
                index.addAll(loadIndexFile(f));
            }
            return;
        }
        // Decrypting and parsing index files is most of opening a repository: spread over the cores, added in order.
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "backup4j-index");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<IndexFile>> parsed = new ArrayList<>(files.size());
            for (FileInfo f : files) {
                parsed.add(pool.submit(() -> loadIndexFile(f)));
            }
            for (Future<IndexFile> f : parsed) {
                index.addAll(Futures.await(f, "loading the index"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private IndexFile loadIndexFile(FileInfo f) throws IOException {
        Handle h = new Handle(FileType.INDEX, f.name());
        IndexFile parsed = IndexFile.parse(codec.loadJson(h), h.toString());
        if (Id.isValid(f.name())) {
            indexFiles.add(Id.parse(f.name()));
        }
        return parsed;
    }

    /** The index as it is now, loaded or not. */
    Index index() {
        return index;
    }

    /** Records an index file this process wrote. */
    void written(Id file) {
        indexFiles.add(file);
    }

    /** The index files this process loaded or wrote (a snapshot of the set). */
    Set<Id> files() throws IOException {
        loaded();
        return Set.copyOf(indexFiles);
    }

    /** Brings the index up to date with the index files (see {@link OpenRepository#refreshIndex()}). */
    void refresh(PackManager packs) throws IOException {
        loaded();
        List<FileInfo> files = backend.list(FileType.INDEX);
        Set<Id> listed = new HashSet<>();
        for (FileInfo f : files) {
            if (Id.isValid(f.name())) {
                listed.add(Id.parse(f.name()));
            }
        }
        synchronized (packs.lock) {
            if (listed.equals(indexFiles)) {
                return;
            }
            if (listed.containsAll(indexFiles)) {
                for (FileInfo f : files) {
                    if (Id.isValid(f.name()) && !indexFiles.contains(Id.parse(f.name()))) {
                        index.addAll(loadIndexFile(f));
                    }
                }
                return;
            }
            LOG.info("index files were replaced (a prune?); loading the index again");
            index.clear();
            indexFiles.clear();
            for (FileInfo f : files) {
                index.addAll(loadIndexFile(f));
            }
            for (Map.Entry<Id, List<PackedBlob>> e : packs.unindexed.entrySet()) {
                index.addPack(e.getKey(), e.getValue());
            }
        }
    }

    /** Loads the index again (see {@link OpenRepository#reloadIndex()}). */
    void reload(PackManager packs) throws IOException {
        loaded();
        synchronized (packs.lock) {
            if (!packs.unindexed.isEmpty() || !packs.inOpenPacks.isEmpty()) {
                throw new IllegalStateException("call flush() before reloading the index");
            }
            index.clear();
            indexFiles.clear();
        }
        load();
    }

    /** Stops a background load nothing waited for, before the backend closes under it. */
    void stop() {
        Thread loader = indexLoader;
        if (loader != null && loader.isAlive()) {
            loader.interrupt();
            try {
                loader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
