package dev.backup4j.core.maintenance;

import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.RepositoryException;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.index.IndexFile;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackWriter;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes data no snapshot references, as {@code restic prune}: deletes packs nothing uses, rewrites partly used
 * packs while more than {@code --max-unused} of the repository would stay unused, writes the new index, then deletes
 * the old index files and packs.
 *
 * <pre>{@code
 * try (RepositoryLock lock = Locks.on(repo).acquire(true)) {                  // or let run() take it
 *     PruneResult r = Prune.on(repo).maxUnused("5%").run();
 *     System.out.println(r.bytesFreed() + " bytes freed");
 * }
 * }</pre>
 *
 * <p>Crash safety: every step leaves a repository that {@code restic check} accepts and that restores every
 * snapshot. (1) Packs no index lists are deleted (nothing refers to them). (2) Kept blobs of partly used packs are
 * copied, still sealed, into new packs. (3) One new index file lists the kept and the new packs and supersedes the
 * old index files. (4) The old index files are deleted. (5) The unused and repacked packs are deleted: by now no
 * index lists them. Memory is bounded by the index: the plan holds ids and sizes, and repacking holds one source
 * pack and one pack being written at a time. {@link #run()} holds an exclusive lock ({@link OperationLock}).
 *
 * <p>Not thread-safe: configure and run it on one thread; use one per operation.
 */
public final class Prune {
    private static final Logger LOG = LoggerFactory.getLogger(Prune.class);

    private final OpenRepository repo;
    private double maxUnusedPercent = 5;
    private long maxUnusedBytes = -1;
    private boolean dryRun;
    private RepositoryLock held;
    private final Set<String> set = new HashSet<>();

    private Prune(OpenRepository repo) {
        this.repo = repo;
    }

    /** A prune of {@code repo} with restic's defaults ({@code --max-unused 5%}). */
    public static Prune on(OpenRepository repo) {
        return new Prune(Objects.requireNonNull(repo, "repo"));
    }

    private void once(String option) {
        if (!set.add(option)) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /**
     * restic's {@code --max-unused}: {@code "5%"} (of the used size after pruning), {@code "unlimited"} (only delete
     * wholly unused packs), or a size ({@code "200M"}, suffixes k, m, g, t, powers of 1024).
     *
     * @throws IllegalArgumentException for another form, or a percentage outside [0, 100)
     */
    public Prune maxUnused(String limit) {
        once("maxUnused");
        String s = Objects.requireNonNull(limit, "limit").trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("unlimited")) {
                maxUnusedBytes = Long.MAX_VALUE;
            } else if (s.endsWith("%")) {
                double p = Double.parseDouble(s.substring(0, s.length() - 1));
                if (p < 0 || p >= 100) {
                    throw new IllegalArgumentException("--max-unused percentage must be in [0, 100), got " + limit);
                }
                maxUnusedPercent = p;
            } else {
                maxUnusedBytes = parseSize(s);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-unused takes x%, a size like 200M, or unlimited; got '"
                    + limit + "'", e);
        }
        return this;
    }

    /** Only plans; {@link #run()} changes nothing. */
    public Prune dryRun(boolean dry) {
        once("dryRun");
        this.dryRun = dry;
        return this;
    }

    /**
     * Runs under a lock the caller holds instead of taking one: exclusive for {@link #run()} (unless a dry run),
     * any for {@link #plan()}.
     */
    public Prune lock(RepositoryLock lock) {
        once("lock");
        this.held = Objects.requireNonNull(lock, "lock");
        return this;
    }

    static long parseSize(String s) {
        long mult = 1;
        char last = s.charAt(s.length() - 1);
        int exp = "kmgt".indexOf(last) + 1;
        if (exp > 0) {
            s = s.substring(0, s.length() - 1);
            mult = 1L << (10 * exp);
        }
        long v = Long.parseLong(s);
        if (v < 0) {
            throw new IllegalArgumentException("size must not be negative: " + s);
        }
        return Math.multiplyExact(v, mult);
    }

    /**
     * Decides what to remove and repack, reading only snapshots, trees and the index, under a shared lock.
     *
     * @throws RepositoryException if a snapshot needs a blob that is missing (nothing is deleted then)
     */
    public PrunePlan plan() throws IOException {
        try (OperationLock lock = OperationLock.shared(repo, Optional.ofNullable(held))) {
            PrunePlan p = planLocked();
            lock.confirm();
            return p;
        }
    }

    private PrunePlan planLocked() throws IOException {
        repo.flush();
        Index index = repo.index();
        Set<Index.BlobKey> used = usedBlobs();
        Map<Id, Long> sizes = new HashMap<>();
        for (FileInfo f : repo.backend().list(FileType.PACK)) {
            if (Id.isValid(f.name())) {
                sizes.put(Id.parse(f.name()), f.size());
            }
        }
        Map<Id, Long> unindexed = new TreeMap<>();
        Set<Id> indexed = index.packs();
        long unindexedBytes = 0;
        long totalBytes = 0;
        for (Map.Entry<Id, Long> e : sizes.entrySet()) {
            totalBytes += e.getValue();
            if (!indexed.contains(e.getKey())) {
                unindexed.put(e.getKey(), e.getValue());
                unindexedBytes += e.getValue();
            }
        }
        record PackUse(Id id, boolean tree, long usedBytes, long unusedBytes, Set<Id> keep, int unusedCount) {
        }
        List<PackUse> candidates = new ArrayList<>();
        Set<Id> remove = new TreeSet<>();
        Set<Id> keep = new TreeSet<>();
        Set<Id> forgetMissing = new TreeSet<>();
        List<String> missingUsed = new ArrayList<>();
        long usedBlobs = 0;
        long usedBytes = 0;
        long unusedBlobs = 0;
        long unusedBytes = 0;
        long removeBytes = 0;
        for (Id pack : new TreeSet<>(indexed)) {
            List<PackedBlob> blobs = index.blobsOf(pack);
            Set<Id> keepBlobs = new HashSet<>();
            long u = 0;
            long nu = 0;
            int nuCount = 0;
            boolean tree = false;
            for (PackedBlob b : blobs) {
                tree |= b.type() == BlobType.TREE;
                Index.BlobKey k = new Index.BlobKey(b.type(), b.id());
                boolean isUsed = used.contains(k)
                        && index.find(b.type(), b.id()).map(l -> l.pack().equals(pack)).orElse(false);
                if (isUsed) {
                    keepBlobs.add(b.id());
                    u += b.length();
                } else {
                    nu += b.length();
                    nuCount++;
                }
            }
            usedBlobs += keepBlobs.size();
            usedBytes += u;
            unusedBlobs += nuCount;
            unusedBytes += nu;
            if (!sizes.containsKey(pack)) {
                if (keepBlobs.isEmpty()) {
                    forgetMissing.add(pack);
                } else {
                    missingUsed.add(pack.shortString());
                }
                continue;
            }
            if (keepBlobs.isEmpty()) {
                remove.add(pack);
                removeBytes += nu;
            } else if (nuCount == 0) {
                keep.add(pack);
            } else {
                candidates.add(new PackUse(pack, tree, u, nu, keepBlobs, nuCount));
            }
        }
        if (!missingUsed.isEmpty()) {
            throw new RepositoryException("the index lists " + missingUsed.size() + " needed packs that are missing ("
                    + String.join(", ", missingUsed) + "); nothing was pruned: run check");
        }
        // restic's order: tree packs first, then by unused/used ratio, highest first
        candidates.sort((a, b) -> {
            if (a.tree() != b.tree()) {
                return a.tree() ? -1 : 1;
            }
            return Double.compare((double) b.unusedBytes() / Math.max(1, b.usedBytes()),
                    (double) a.unusedBytes() / Math.max(1, a.usedBytes()));
        });
        long limit = maxUnusedBytes >= 0 ? maxUnusedBytes
                : (long) (maxUnusedPercent / (100.0 - maxUnusedPercent) * usedBytes);
        Map<Id, Set<Id>> repack = new LinkedHashMap<>();
        long repackBytes = 0;
        long repackUnused = 0;
        long unusedLeft = unusedBytes - removeBytes;
        for (PackUse p : candidates) {
            if (!p.tree() && unusedLeft - repackUnused <= limit) {
                keep.add(p.id());
            } else {
                repack.put(p.id(), Set.copyOf(p.keep()));
                repackBytes += sizes.get(p.id());
                repackUnused += p.unusedBytes();
            }
        }
        long unusedAfter = unusedLeft - repackUnused;
        List<Id> oldIndex = new ArrayList<>();
        for (FileInfo f : repo.backend().list(FileType.INDEX)) {
            if (Id.isValid(f.name())) {
                oldIndex.add(Id.parse(f.name()));
            }
        }
        oldIndex.sort(null);
        return new PrunePlan(unindexed, remove, repack, forgetMissing, keep, oldIndex,
                new PrunePlan.Stats(usedBlobs, usedBytes, unusedBlobs, unusedBytes, unindexedBytes, removeBytes,
                        repackBytes, repackUnused, unusedAfter, totalBytes));
    }

    private Set<Index.BlobKey> usedBlobs() throws IOException {
        Set<Index.BlobKey> used = new HashSet<>();
        for (Snapshot s : repo.snapshots()) {
            List<Id> todo = new ArrayList<>(List.of(s.tree()));
            while (!todo.isEmpty()) {
                Id id = todo.remove(todo.size() - 1);
                if (!used.add(new Index.BlobKey(BlobType.TREE, id))) {
                    continue;
                }
                Tree t;
                try {
                    t = repo.loadTree(id);
                } catch (CorruptDataException e) {
                    throw new RepositoryException("snapshot " + s.requireId().shortString() + " needs tree "
                            + id.shortString() + " that cannot be read (" + e.getMessage() + "); nothing was pruned: "
                            + "run check", e);
                }
                for (Node n : t.nodes()) {
                    if (n.type() == NodeType.DIR) {
                        n.subtree().ifPresent(todo::add);
                    } else if (n.type() == NodeType.FILE) {
                        for (Id c : n.content()) {
                            used.add(new Index.BlobKey(BlobType.DATA, c));
                        }
                    }
                }
            }
        }
        return used;
    }

    /**
     * Plans and, unless this is a dry run, carries out the plan, holding an exclusive lock throughout (a shared one
     * for a dry run): no backup, restore or check of another process or {@code Repository} instance runs meanwhile,
     * so nothing it writes or reads is deleted. Also removes the staging files that backups killed mid-run left
     * behind ({@link Locks#removeAbandonedStagingFiles()}).
     *
     * @throws IllegalArgumentException if the caller's lock is shared and this is not a dry run
     * @throws dev.backup4j.core.common.AppendOnlyRepositoryException if there is something to delete and the
     *     repository is append-only (opened so: nothing is written; found by the storage's refusal: the packs and
     *     index written before it are valid, nothing was deleted)
     * @throws dev.backup4j.core.common.RepositoryLockedException if another process holds a lock and still does
     *     after the repository's lock wait (nothing is deleted then)
     */
    public PruneResult run() throws IOException {
        try (OperationLock lock = dryRun ? OperationLock.shared(repo, Optional.ofNullable(held))
                : OperationLock.exclusive(repo, Optional.ofNullable(held))) {
            PrunePlan plan = planLocked();
            if (dryRun) {
                lock.confirm();
                return new PruneResult(plan, true, 0, 0, 0, 0, 0);
            }
            if (!plan.nothingToDo()) {
                repo.requireDeletable("prune");
            }
            Locks.on(repo).removeAbandonedStagingFiles();
            try {
                return execute(plan, lock.lock().orElseThrow());
            } catch (java.nio.file.AccessDeniedException e) {
                throw repo.refusedDelete("prune", e);
            }
        }
    }

    /** True if the file may not be deleted yet (its retention date is still ahead). */
    private boolean locked(Handle h) throws IOException {
        if (!(repo.backend() instanceof dev.backup4j.core.backend.RetentionLocked rl)) {
            return false;
        }
        java.util.Optional<java.time.Instant> until = rl.retainedUntil(h);
        return until.isPresent() && until.get().isAfter(repo.clock().instant());
    }

    private PruneResult execute(PrunePlan plan, RepositoryLock held) throws IOException {
        var backend = repo.backend();
        Index index = repo.index();
        int deleted = 0;
        long bytesDeleted = 0;
        int stillLocked = 0;
        // (1) packs no index lists
        for (Map.Entry<Id, Long> e : plan.removeUnindexed().entrySet()) {
            Handle h = Handle.of(FileType.PACK, e.getKey());
            if (locked(h)) {
                stillLocked++;
                continue;
            }
            backend.delete(h);
            deleted++;
            bytesDeleted += e.getValue();
        }
        // (2) repack: copy the kept blobs, still sealed, into new packs
        Map<Id, List<PackedBlob>> written = new LinkedHashMap<>();
        Map<BlobType, PackWriter> writers = new EnumMap<>(BlobType.class);
        Set<Index.BlobKey> copied = new HashSet<>();
        long bytesWritten = 0;
        for (Map.Entry<Id, Set<Id>> e : new TreeMap<>(plan.repackPacks()).entrySet()) {
            Handle h = Handle.of(FileType.PACK, e.getKey());
            byte[] data = backend.readAll(h);
            for (PackedBlob b : index.blobsOf(e.getKey())) {
                if (!e.getValue().contains(b.id()) || !copied.add(new Index.BlobKey(b.type(), b.id()))) {
                    continue;
                }
                if (b.offset() + b.length() > data.length) {
                    throw new CorruptDataException(h + ": blob " + b.id().shortString() + " lies past the end");
                }
                byte[] sealed = Arrays.copyOfRange(data, (int) b.offset(), (int) b.offset() + b.length());
                repo.decodeBlob(sealed, b, h); // never copy damage into a new pack
                PackWriter w = writers.computeIfAbsent(b.type(), t -> repo.newPackWriter());
                w.add(b.type(), b.id(), sealed, b.uncompressedLength());
                if (w.size() >= repo.packSize()) {
                    bytesWritten += upload(writers.remove(b.type()), written);
                }
            }
        }
        for (PackWriter w : writers.values()) {
            if (w.count() > 0) {
                bytesWritten += upload(w, written);
            }
        }
        // (3) one index for everything that stays, superseding the old ones
        Map<Id, List<PackedBlob>> packs = new LinkedHashMap<>();
        for (Id p : new TreeSet<>(plan.keptPacks())) {
            packs.put(p, index.blobsOf(p));
        }
        packs.putAll(written);
        boolean indexChanged = !plan.removePacks().isEmpty() || !plan.repackPacks().isEmpty()
                || !plan.forgetMissing().isEmpty();
        int indexDeleted = 0;
        Set<Id> keptByLockedIndex = new HashSet<>();
        if (indexChanged) {
            repo.saveJson(FileType.INDEX, new IndexFile(packs, plan.oldIndexFiles()).toJson());
            // (4) the old index files (one still under retention stays, and so do the packs it lists)
            for (Id old : plan.oldIndexFiles()) {
                Handle h = Handle.of(FileType.INDEX, old);
                if (locked(h)) {
                    stillLocked++;
                    for (Map.Entry<Id, List<PackedBlob>> e : IndexFile.parse(repo.loadJson(h), h.toString()).packs()
                            .entrySet()) {
                        keptByLockedIndex.add(e.getKey());
                    }
                    continue;
                }
                backend.delete(h);
                indexDeleted++;
            }
        }
        // (5) packs no index lists any more
        Map<Id, Long> sizes = new HashMap<>();
        for (FileInfo f : backend.list(FileType.PACK)) {
            if (Id.isValid(f.name())) {
                sizes.put(Id.parse(f.name()), f.size());
            }
        }
        for (Id p : new TreeSet<>(unionOf(plan.removePacks(), plan.repackPacks().keySet()))) {
            Handle h = Handle.of(FileType.PACK, p);
            if (keptByLockedIndex.contains(p) || locked(h)) {
                stillLocked++;
                continue;
            }
            backend.delete(h);
            deleted++;
            bytesDeleted += sizes.getOrDefault(p, 0L);
        }
        repo.reloadIndex();
        if (stillLocked > 0) {
            LOG.info("prune: {} files are under retention and were left for a later prune", stillLocked);
        }
        if (backend instanceof dev.backup4j.core.backend.RetentionLocked) {
            RetentionExtension.of(repo).lock(held).snapshots(java.util.List.of()).run();
        }
        LOG.info("prune: deleted {} packs ({} bytes), wrote {} packs ({} bytes)", deleted, bytesDeleted,
                written.size(), bytesWritten);
        return new PruneResult(plan, false, deleted, written.size(), indexDeleted, bytesDeleted, bytesWritten,
                stillLocked);
    }

    private long upload(PackWriter w, Map<Id, List<PackedBlob>> written) throws IOException {
        PackWriter.Pack p = w.finish();
        repo.backend().write(Handle.of(FileType.PACK, p.id()), p.bytes());
        written.put(p.id(), p.blobs());
        return p.bytes().length;
    }

    private static Set<Id> unionOf(Set<Id> a, Set<Id> b) {
        Set<Id> s = new HashSet<>(a);
        s.addAll(b);
        return s;
    }
}
