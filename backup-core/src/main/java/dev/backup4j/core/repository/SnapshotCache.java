package dev.backup4j.core.repository;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Futures;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Listing, reading, saving and selecting snapshot files, with the snapshots read so far kept by id. */
final class SnapshotCache {
    private final Backend backend;
    private final BlobCodec codec;
    /**
     * Every snapshot file this instance has read or written, by id. A snapshot file never changes (its name is the
     * hash of its bytes), so only a listing is needed to bring the map up to date: new ids are read, ids no longer
     * listed dropped. Guarded by itself.
     */
    private final Map<Id, Snapshot> snapshotCache = new HashMap<>();

    SnapshotCache(Backend backend, BlobCodec codec) {
        this.backend = backend;
        this.codec = codec;
    }

    /** Stores a snapshot file (after {@link OpenRepository#flush()} made its blobs durable); returns it with its id. */
    Snapshot saveSnapshot(Snapshot s) throws IOException {
        byte[] json = s.toJson();
        Id id = codec.saveJson(FileType.SNAPSHOT, json);
        // kept as any reader of the file gets it
        Snapshot stored = Snapshot.parse(json, id, Handle.of(FileType.SNAPSHOT, id).toString());
        synchronized (snapshotCache) {
            snapshotCache.put(id, stored);
        }
        return s.withId(id);
    }

    /**
     * All snapshots, oldest first, as the repository lists them now.
     *
     * <p>Snapshots are kept in memory by id once read (or saved through this instance): a call lists the snapshot
     * files and reads only those it has not seen, so another process's new snapshots appear and forgotten ones
     * disappear, at the cost of one listing when nothing changed. The first call reads them all, on several threads
     * when there are many. Thread-safe.
     *
     * @throws CorruptDataException if a snapshot file not read before is damaged
     */
    List<Snapshot> snapshots() throws IOException {
        Set<Id> listed = new HashSet<>();
        for (FileInfo f : backend.list(FileType.SNAPSHOT)) {
            if (Id.isValid(f.name())) {
                listed.add(Id.parse(f.name()));
            }
        }
        List<Id> unread = new ArrayList<>();
        List<Snapshot> out = new ArrayList<>(listed.size());
        synchronized (snapshotCache) {
            snapshotCache.keySet().retainAll(listed);
            for (Id id : listed) {
                Snapshot s = snapshotCache.get(id);
                if (s != null) {
                    out.add(s);
                } else {
                    unread.add(id);
                }
            }
        }
        List<Snapshot> read = readSnapshots(unread);
        synchronized (snapshotCache) {
            for (Snapshot s : read) {
                if (s != null) {
                    snapshotCache.put(s.requireId(), s);
                    out.add(s);
                }
            }
        }
        out.sort(Comparator.comparing(Snapshot::instant).thenComparing(s -> s.requireId()));
        return out;
    }

    /** A snapshot file; null if it vanished since it was listed (forgotten meanwhile, by this process or another). */
    private Snapshot readSnapshot(Id id) throws IOException {
        Handle h = Handle.of(FileType.SNAPSHOT, id);
        try {
            return Snapshot.parse(codec.loadJson(h), id, h.toString());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Reads snapshot files (null for one that vanished); decrypting and parsing thousands is worth a few threads, as
     * for index files.
     */
    private List<Snapshot> readSnapshots(List<Id> ids) throws IOException {
        int threads = Math.min(ids.size() / 64, Runtime.getRuntime().availableProcessors());
        List<Snapshot> out = new ArrayList<>(ids.size());
        if (threads < 2) {
            for (Id id : ids) {
                out.add(readSnapshot(id));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "backup4j-snapshots");
            t.setDaemon(true);
            return t;
        });
        try {
            int per = (ids.size() + threads - 1) / threads;
            List<Future<List<Snapshot>>> parts = new ArrayList<>(threads);
            for (int from = 0; from < ids.size(); from += per) {
                List<Id> slice = ids.subList(from, Math.min(ids.size(), from + per));
                parts.add(pool.submit(() -> {
                    List<Snapshot> part = new ArrayList<>(slice.size());
                    for (Id id : slice) {
                        part.add(readSnapshot(id));
                    }
                    return part;
                }));
            }
            for (Future<List<Snapshot>> f : parts) {
                out.addAll(Futures.await(f, "reading snapshots"));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Finds a snapshot by full id, unique id prefix, or {@code latest}.
     *
     * @throws NoSuchSnapshotException if none or several match
     */
    Snapshot snapshot(String selector) throws IOException {
        Objects.requireNonNull(selector, "selector");
        List<Snapshot> all = snapshots();
        if (selector.equals("latest")) {
            if (all.isEmpty()) {
                throw new NoSuchSnapshotException("the repository has no snapshots");
            }
            return all.get(all.size() - 1);
        }
        String s = selector.toLowerCase(Locale.ROOT);
        List<Snapshot> matches = all.stream().filter(x -> x.requireId().toString().startsWith(s)).toList();
        if (matches.isEmpty() || s.isEmpty()) {
            // restic's words (NoIDByPrefixError)
            throw new NoSuchSnapshotException("no matching ID found for prefix \"" + selector + "\"");
        }
        if (matches.size() > 1) {
            throw new NoSuchSnapshotException("'" + selector + "' matches " + matches.size()
                    + " snapshots; give more digits");
        }
        return matches.get(0);
    }
}
