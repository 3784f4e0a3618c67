package dev.backup4j.core.maintenance;

import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.index.IndexFile;
import dev.backup4j.core.maintenance.CheckResult.AffectedSnapshot;
import dev.backup4j.core.maintenance.CheckResult.DamagedPack;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a repository as {@code restic check} does, and says what any damage costs.
 *
 * <pre>{@code
 * CheckResult r = Check.on(repo).readDataSubset("1/5").run();
 * r.damagedPacks().forEach(p -> System.out.println(p.pack() + ": " + p.affected()));
 * }</pre>
 *
 * <p>Structure (always): every file's name is the SHA-256 of its content (keys, index, snapshots); every index entry
 * lies inside an existing pack whose size matches the index; no pack is listed by two index files with different
 * content; every snapshot's trees are readable and every blob they reference is indexed. Data ({@link #readData()}
 * or a subset): every selected pack is read whole, its hash and header compared with the index, and every blob
 * decrypted and verified. Hold at least a shared lock while checking.
 *
 * <p>Not thread-safe: configure and run it on one thread; use one per operation. Checks may run beside
 * backups and restores of the same {@link dev.backup4j.core.Repository} (all take shared locks).
 */
public final class Check {
    /** The default number of packs read at once by {@code --read-data}, at most (and at most one per core). */
    private static final int READ_THREADS_MAX = 4;
    /** Packs up to this size are read into a reused buffer; larger ones (not written by restic or us) into their own. */
    private static final long SCRATCH_MAX = 64L * 1024 * 1024;
    private static final Pattern BUCKET = Pattern.compile("(\\d+)/(\\d+)");
    private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)%");

    private final OpenRepository repo;
    private boolean readAll;
    private int bucket;
    private int buckets;
    private double percent;
    private Random random;
    private boolean dataOptionSet;
    private int readThreads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), READ_THREADS_MAX));

    private RepositoryLock held;
    private boolean noLock;

    private Check(OpenRepository repo) {
        this.repo = repo;
    }

    /** Runs under a lock the caller holds (shared or exclusive) instead of taking a shared one. */
    public Check lock(RepositoryLock lock) {
        if (held != null || noLock) {
            throw new IllegalStateException("lock or withoutLock was already set");
        }
        held = Objects.requireNonNull(lock, "lock");
        return this;
    }

    /**
     * Runs without a lock (restic's {@code --no-lock}): a prune running meanwhile can make the check report packs
     * as missing that were only being removed.
     */
    public Check withoutLock() {
        if (held != null || noLock) {
            throw new IllegalStateException("lock or withoutLock was already set");
        }
        noLock = true;
        return this;
    }

    /** A structure-only check of {@code repo}. */
    public static Check on(OpenRepository repo) {
        return new Check(Objects.requireNonNull(repo, "repo"));
    }

    /** Also reads and verifies every pack ({@code --read-data}). */
    public Check readData() {
        dataOption();
        readAll = true;
        return this;
    }

    /**
     * Also reads a subset of the packs ({@code --read-data-subset}): {@code "n/t"} reads group n of t (packs whose
     * first id byte modulo t is n-1, as restic), {@code "x%"} a random x percent (at least one pack).
     *
     * @throws IllegalArgumentException for another form, n or t out of 1..256 or n &gt; t, x outside (0, 100]
     */
    public Check readDataSubset(String spec) {
        Objects.requireNonNull(spec, "spec");
        dataOption();
        Matcher m = BUCKET.matcher(spec);
        Matcher p = PERCENT.matcher(spec);
        if (m.matches()) {
            bucket = Integer.parseInt(m.group(1));
            buckets = Integer.parseInt(m.group(2));
            if (bucket < 1 || buckets < 1 || bucket > buckets || buckets > 256) {
                throw new IllegalArgumentException("--read-data-subset n/t needs 1 <= n <= t <= 256, got " + spec);
            }
        } else if (p.matches()) {
            percent = Double.parseDouble(p.group(1));
            if (percent <= 0 || percent > 100) {
                throw new IllegalArgumentException("--read-data-subset x% needs 0 < x <= 100, got " + spec);
            }
        } else {
            throw new IllegalArgumentException("--read-data-subset takes n/t (e.g. 1/5) or x% (e.g. 10%), got '"
                    + spec + "'");
        }
        return this;
    }

    /**
     * How many packs are read and verified at once (default: one per core, at most {@value #READ_THREADS_MAX}).
     * Each holds a pack (16 MiB as we and restic write them) and a blob's plaintext (at most 8 MiB) in memory.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public Check readThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("readThreads must be at least 1, got " + threads);
        }
        readThreads = threads;
        return this;
    }

    /** The random source for {@code x%} subsets (default: a fresh {@link Random}). */
    public Check random(Random r) {
        if (random != null) {
            throw new IllegalStateException("random was already set");
        }
        random = Objects.requireNonNull(r, "r");
        return this;
    }

    private void dataOption() {
        if (dataOptionSet) {
            throw new IllegalStateException("--read-data and --read-data-subset cannot be used together");
        }
        dataOptionSet = true;
    }

    /**
     * Runs the check under a shared lock. Damage is reported in the result; only failures to talk to the storage are
     * thrown.
     *
     * @throws dev.backup4j.core.common.RepositoryLockedException if a prune or forget holds the repository
     *     exclusively, before or while the check starts, and still does after the repository's lock wait
     */
    public CheckResult run() throws IOException {
        try (OperationLock lock = noLock ? OperationLock.none() : OperationLock.shared(repo,
                java.util.Optional.ofNullable(held))) {
            CheckResult r = new Run().run();
            lock.confirm(); // an exclusive lock that raced with ours makes what was read unreliable
            return r;
        }
    }

    private final class Run {
        final List<String> errors = new ArrayList<>();
        final List<String> hints = new ArrayList<>();
        /** pack -> blobs as the first index file that lists it says. */
        final Map<Id, List<PackedBlob>> packs = new LinkedHashMap<>();
        final Map<BlobKey, Id> blobPack = new HashMap<>();
        /** damaged pack -> problem; damaged blob -> its pack. */
        final Map<Id, String> damaged = new TreeMap<>();
        final Map<Id, Set<Id>> damagedBlobs = new TreeMap<>();
        int trees;
        int snapshotCount;
        int packsRead;

        record BlobKey(BlobType type, Id id) {
        }

        /** What reading one pack found: error lines, and damage records for {@link #damage}. */
        record PackReport(Id pack, List<String> errors, List<PackDamage> damages) {
        }

        record PackDamage(String problem, List<PackedBlob> blobs) {
        }

        /** A reading thread's buffers: the pack's bytes and a blob's plaintext. */
        static final class Scratch {
            byte[] pack = new byte[0];
            byte[] plain = new byte[0];
        }

        /** Buffers of finished pack reads, for the next (at most one set per reading thread). */
        final java.util.concurrent.ConcurrentLinkedQueue<Scratch> scratch =
                new java.util.concurrent.ConcurrentLinkedQueue<>();

        CheckResult run() throws IOException {
            checkKeys();
            loadIndexes();
            Map<Id, Long> sizes = new HashMap<>();
            for (FileInfo f : repo.backend().list(FileType.PACK)) {
                if (Id.isValid(f.name())) {
                    sizes.put(Id.parse(f.name()), f.size());
                } else {
                    hints.add("unexpected file in data/: " + f.name());
                }
            }
            checkPacks(sizes);
            List<Snapshot> snapshots = loadSnapshots();
            walkAll(snapshots);
            readPacks(sizes);
            List<DamagedPack> report = damageReport(snapshots);
            return new CheckResult(errors, hints, report, snapshotCount, trees, packs.size(), packsRead);
        }

        void checkKeys() throws IOException {
            for (FileInfo f : repo.backend().list(FileType.KEY)) {
                Handle h = new Handle(FileType.KEY, f.name());
                byte[] data = repo.backend().readAll(h);
                if (!Id.isValid(f.name()) || !Id.hash(data).toString().equals(f.name())) {
                    errors.add(h + ": content does not match its name (damaged key file)");
                }
            }
        }

        void loadIndexes() throws IOException {
            Map<Id, Id> listedBy = new HashMap<>();
            for (FileInfo f : repo.backend().list(FileType.INDEX)) {
                Handle h = new Handle(FileType.INDEX, f.name());
                IndexFile file;
                try {
                    file = IndexFile.parse(repo.loadJson(h), h.toString());
                } catch (dev.backup4j.core.common.CorruptDataException e) {
                    errors.add(e.getMessage());
                    continue;
                }
                Id indexId = Id.isValid(f.name()) ? Id.parse(f.name()) : null;
                for (Map.Entry<Id, List<PackedBlob>> e : file.packs().entrySet()) {
                    List<PackedBlob> before = packs.putIfAbsent(e.getKey(), e.getValue());
                    if (before == null) {
                        listedBy.put(e.getKey(), indexId);
                        for (PackedBlob b : e.getValue()) {
                            blobPack.putIfAbsent(new BlobKey(b.type(), b.id()), e.getKey());
                        }
                    } else if (new HashSet<>(before).equals(new HashSet<>(e.getValue()))) {
                        hints.add("pack " + e.getKey().shortString() + " contained in several indexes: "
                                + shortOf(listedBy.get(e.getKey())) + ", " + shortOf(indexId));
                    } else {
                        errors.add("pack " + e.getKey().shortString() + " is listed inconsistently by index "
                                + shortOf(listedBy.get(e.getKey())) + " and index " + shortOf(indexId));
                        damage(e.getKey(), "listed inconsistently by two index files", e.getValue());
                    }
                }
            }
        }

        void checkPacks(Map<Id, Long> sizes) {
            for (Map.Entry<Id, List<PackedBlob>> e : packs.entrySet()) {
                Id pack = e.getKey();
                Long size = sizes.get(pack);
                if (size == null) {
                    errors.add("pack " + pack.shortString() + ": does not exist");
                    damage(pack, "missing", e.getValue());
                    continue;
                }
                long expected = expectedSize(e.getValue());
                long dataEnd = expected - headerSize(e.getValue());
                if (expected != size) {
                    errors.add("pack " + pack.shortString() + ": unexpected file size: got " + size + ", expected "
                            + expected);
                    damage(pack, "size " + size + " instead of " + expected + " (truncated or damaged)",
                            e.getValue());
                }
                List<PackedBlob> sorted = new ArrayList<>(e.getValue());
                sorted.sort((a, b) -> Long.compare(a.offset(), b.offset()));
                long end = 0;
                for (PackedBlob b : sorted) {
                    if (b.offset() < end || b.offset() + b.length() > dataEnd) {
                        errors.add("pack " + pack.shortString() + ": blob " + b.id().shortString()
                                + " has an invalid offset " + b.offset() + " (length " + b.length() + ")");
                        damage(pack, "index entries overlap or lie outside the pack", List.of(b));
                    }
                    end = Math.max(end, b.offset() + b.length());
                }
            }
            for (Id pack : new TreeSet<>(sizes.keySet())) {
                if (!packs.containsKey(pack)) {
                    hints.add("pack " + pack.shortString() + ": not referenced in any index");
                }
            }
        }

        List<Snapshot> loadSnapshots() throws IOException {
            List<Snapshot> out = new ArrayList<>();
            for (FileInfo f : repo.backend().list(FileType.SNAPSHOT)) {
                Handle h = new Handle(FileType.SNAPSHOT, f.name());
                try {
                    if (!Id.isValid(f.name())) {
                        throw new dev.backup4j.core.common.CorruptDataException(h + ": not a valid snapshot name");
                    }
                    out.add(Snapshot.parse(repo.loadJson(h), Id.parse(f.name()), h.toString()));
                } catch (dev.backup4j.core.common.CorruptDataException e) {
                    errors.add(e.getMessage());
                }
            }
            out.sort((a, b) -> a.requireId().compareTo(b.requireId()));
            return out;
        }

        void walkAll(List<Snapshot> snapshots) throws IOException {
            Set<Id> seen = new HashSet<>();
            for (Snapshot s : snapshots) {
                snapshotCount++;
                List<Id> todo = new ArrayList<>(List.of(s.tree()));
                while (!todo.isEmpty()) {
                    Id tree = todo.remove(todo.size() - 1);
                    if (!seen.add(tree)) {
                        continue;
                    }
                    Optional<Tree> t = loadTree(tree);
                    if (t.isEmpty()) {
                        continue;
                    }
                    trees++;
                    for (Node n : t.get().nodes()) {
                        if (n.type() == NodeType.DIR) {
                            if (n.subtree().isEmpty()) {
                                errors.add("tree " + tree.shortString() + ": dir " + n.name() + " has no subtree");
                            } else {
                                todo.add(n.subtree().get());
                            }
                        } else if (n.type() == NodeType.FILE) {
                            for (Id blob : n.content()) {
                                if (!blobPack.containsKey(new BlobKey(BlobType.DATA, blob))) {
                                    errors.add("tree " + tree.shortString() + ": file " + n.name() + " blob "
                                            + blob.shortString() + " not found in index");
                                }
                            }
                        }
                    }
                }
            }
        }

        /** Loads a tree through this check's view of the index; records an error and returns empty if it fails. */
        Optional<Tree> loadTree(Id tree) throws IOException {
            Id pack = blobPack.get(new BlobKey(BlobType.TREE, tree));
            if (pack == null) {
                errors.add("tree " + tree.shortString() + ": not found in index");
                return Optional.empty();
            }
            PackedBlob b = packs.get(pack).stream().filter(x -> x.type() == BlobType.TREE && x.id().equals(tree))
                    .findFirst().orElseThrow();
            Handle h = Handle.of(FileType.PACK, pack);
            try {
                byte[] sealed = repo.backend().read(h, b.offset(), b.length());
                return Optional.of(Tree.parse(repo.decodeBlob(sealed, 0, b, h), "tree " + tree.shortString()));
            } catch (dev.backup4j.core.common.CorruptDataException | java.io.EOFException
                    | java.nio.file.NoSuchFileException e) {
                errors.add("tree " + tree.shortString() + ": cannot be read: " + e.getMessage());
                damage(pack, "tree " + tree.shortString() + " cannot be read", List.of(b));
                return Optional.empty();
            }
        }

        void readPacks(Map<Id, Long> sizes) throws IOException {
            if (!dataOptionSet) {
                return;
            }
            List<Id> selected = new ArrayList<>();
            List<Id> all = new ArrayList<>(packs.keySet());
            Collections.sort(all);
            if (readAll) {
                selected.addAll(all);
            } else if (buckets > 0) {
                for (Id p : all) {
                    if ((p.toBytes()[0] & 0xff) % buckets == bucket - 1) {
                        selected.add(p);
                    }
                }
            } else {
                int n = Math.max(all.isEmpty() ? 0 : 1, (int) (all.size() * (percent / 100.0)));
                List<Id> shuffled = new ArrayList<>(all);
                Collections.shuffle(shuffled, random != null ? random : new Random());
                selected.addAll(shuffled.subList(0, n));
                Collections.sort(selected);
            }
            List<Id> toRead = new ArrayList<>();
            for (Id pack : selected) {
                if (sizes.containsKey(pack)) {
                    toRead.add(pack);
                }
            }
            packsRead += toRead.size();
            // Packs are read and verified on up to one thread per core (at most that many packs in memory at once);
            // their findings are applied in pack order, so the report is the same as from one thread.
            int threads = readThreads;
            if (threads == 1 || toRead.size() < 2) {
                for (Id pack : toRead) {
                    apply(readPack(pack, sizes.get(pack)));
                }
                return;
            }
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads,
                    r -> {
                        Thread t = new Thread(r, "backup-check-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            try {
                java.util.ArrayDeque<java.util.concurrent.Future<PackReport>> window = new java.util.ArrayDeque<>();
                for (Id pack : toRead) {
                    long size = sizes.get(pack);
                    window.add(pool.submit(() -> readPack(pack, size)));
                    if (window.size() > threads) {
                        apply(dev.backup4j.core.common.Futures.await(window.poll(), "checking packs"));
                    }
                }
                while (!window.isEmpty()) {
                    apply(dev.backup4j.core.common.Futures.await(window.poll(), "checking packs"));
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private void apply(PackReport r) {
            errors.addAll(r.errors());
            for (PackDamage d : r.damages()) {
                damage(r.pack(), d.problem(), d.blobs());
            }
        }

        /**
         * Reads one pack (listed with {@code size} bytes) and checks it; touches no shared state but the scratch
         * buffers, taken from and returned to {@link #scratch}, so it may run on any thread.
         */
        PackReport readPack(Id pack, long size) throws IOException {
            Scratch buffers = scratch.poll();
            if (buffers == null) {
                buffers = new Scratch();
            }
            try {
                return readPack(pack, size, buffers);
            } finally {
                scratch.offer(buffers);
            }
        }

        private PackReport readPack(Id pack, long size, Scratch buffers) throws IOException {
            Handle h = Handle.of(FileType.PACK, pack);
            byte[] data;
            int len;
            if (size > 0 && size <= SCRATCH_MAX) {
                // one buffer per reading thread, reused: a new array per pack made the heap grow to ~190 MiB
                if (buffers.pack.length < size) {
                    buffers.pack = new byte[(int) size];
                }
                data = buffers.pack;
                len = (int) size;
                try {
                    repo.backend().readInto(h, 0, data, len);
                } catch (java.io.EOFException e) {
                    data = repo.backend().readAll(h); // shorter than listed: check what is there
                    len = data.length;
                }
            } else {
                data = repo.backend().readAll(h);
                len = data.length;
            }
            String p = "pack " + pack.shortString();
            List<String> errs = new ArrayList<>();
            List<PackDamage> damages = new ArrayList<>();
            if (!Id.hash(data, 0, len).equals(pack)) {
                errs.add(p + ": content does not match its name (damaged)");
                damages.add(new PackDamage("content does not match its name", List.of()));
            }
            List<PackedBlob> indexed = packs.get(pack);
            try {
                List<PackedBlob> header = repo.readPackHeader(pack, len);
                if (!new HashSet<>(header).equals(new HashSet<>(indexed))) {
                    errs.add(p + ": header does not match the index");
                    damages.add(new PackDamage("header does not match the index", List.of()));
                }
            } catch (dev.backup4j.core.common.CorruptDataException e) {
                errs.add(p + ": " + e.getMessage());
                damages.add(new PackDamage("damaged header", List.of()));
            }
            for (PackedBlob b : indexed) {
                if (b.offset() + b.length() > len) {
                    errs.add(p + ": blob " + b.id().shortString() + " lies past the end of the pack");
                    damages.add(new PackDamage("truncated", List.of(b)));
                    continue;
                }
                try {
                    // in place: the pack's bytes are not needed again once its hash and header are checked; the
                    // plaintext only needs its hash checked, so one buffer serves the whole pack
                    int need = Math.max(0, b.plaintextLength());
                    if (buffers.plain.length < need) {
                        buffers.plain = new byte[need];
                    }
                    repo.decodeBlobInto(data, (int) b.offset(), b, h, buffers.plain);
                } catch (dev.backup4j.core.common.CorruptDataException e) {
                    errs.add(p + ": " + b.type().json() + " blob " + b.id().shortString()
                            + " is damaged: " + e.getMessage());
                    damages.add(new PackDamage("damaged blobs", List.of(b)));
                }
            }
            return new PackReport(pack, errs, damages);
        }

        void damage(Id pack, String problem, List<PackedBlob> blobs) {
            damaged.merge(pack, problem, (a, b) -> a.contains(b) ? a : a + "; " + b);
            Set<Id> set = damagedBlobs.computeIfAbsent(pack, k -> new TreeSet<>());
            blobs.forEach(b -> set.add(b.id()));
        }

        /** For each damaged pack: the snapshots and paths that need one of its damaged blobs. */
        List<DamagedPack> damageReport(List<Snapshot> snapshots) throws IOException {
            if (damaged.isEmpty()) {
                return List.of();
            }
            Map<Id, Id> blobToPack = new HashMap<>();
            damagedBlobs.forEach((pack, blobs) -> blobs.forEach(b -> blobToPack.put(b, pack)));
            // pack -> snapshot -> paths
            Map<Id, Map<Id, Set<String>>> hits = new HashMap<>();
            Set<Id> clean = new HashSet<>();
            for (Snapshot s : snapshots) {
                walkForDamage(s.requireId(), s.tree(), "", blobToPack, hits, clean, new HashSet<>());
            }
            List<DamagedPack> out = new ArrayList<>();
            for (Map.Entry<Id, String> e : damaged.entrySet()) {
                List<AffectedSnapshot> affected = new ArrayList<>();
                new TreeMap<>(hits.getOrDefault(e.getKey(), Map.of())).forEach((snap, paths) ->
                        affected.add(new AffectedSnapshot(snap, new ArrayList<>(new TreeSet<>(paths)))));
                out.add(new DamagedPack(e.getKey(), e.getValue(), new ArrayList<>(damagedBlobs.get(e.getKey())),
                        affected));
            }
            return out;
        }

        /** Returns true if something below {@code tree} is damaged; records the affected paths. */
        boolean walkForDamage(Id snap, Id tree, String path, Map<Id, Id> blobToPack,
                Map<Id, Map<Id, Set<String>>> hits, Set<Id> clean, Set<Id> onPath) throws IOException {
            if (clean.contains(tree) || !onPath.add(tree)) {
                return false;
            }
            Id treePack = blobToPack.get(tree);
            Optional<Tree> t = treePack != null ? Optional.empty() : loadTreeQuietly(tree);
            if (t.isEmpty()) {
                Id pack = treePack != null ? treePack : blobPack.get(new BlobKey(BlobType.TREE, tree));
                if (pack != null && damaged.containsKey(pack)) {
                    hit(hits, pack, snap, path.isEmpty() ? "/" : path);
                }
                onPath.remove(tree);
                return true;
            }
            boolean any = false;
            for (Node n : t.get().nodes()) {
                String child = path + "/" + n.name();
                if (n.type() == NodeType.DIR && n.subtree().isPresent()) {
                    any |= walkForDamage(snap, n.subtree().get(), child, blobToPack, hits, clean, onPath);
                } else if (n.type() == NodeType.FILE) {
                    for (Id blob : n.content()) {
                        Id pack = blobToPack.get(blob);
                        if (pack != null) {
                            hit(hits, pack, snap, child);
                            any = true;
                        }
                    }
                }
            }
            onPath.remove(tree);
            if (!any) {
                clean.add(tree);
            }
            return any;
        }

        Optional<Tree> loadTreeQuietly(Id tree) throws IOException {
            int before = errors.size();
            Optional<Tree> t = loadTree(tree);
            while (errors.size() > before) {
                errors.remove(errors.size() - 1); // already reported during the walk
            }
            return t;
        }

        void hit(Map<Id, Map<Id, Set<String>>> hits, Id pack, Id snap, String path) {
            hits.computeIfAbsent(pack, k -> new HashMap<>()).computeIfAbsent(snap, k -> new HashSet<>()).add(path);
        }

        String shortOf(Id id) {
            return id == null ? "?" : id.shortString();
        }
    }

    /** The size a pack with these blobs has: the blobs, the sealed header, and the 4-byte header length. */
    static long expectedSize(List<PackedBlob> blobs) {
        long sum = 0;
        for (PackedBlob b : blobs) {
            sum += b.length();
        }
        return sum + headerSize(blobs);
    }

    /** The sealed header plus its length field. */
    static long headerSize(List<PackedBlob> blobs) {
        long h = dev.backup4j.core.crypto.MasterKey.OVERHEAD + 4;
        for (PackedBlob b : blobs) {
            h += 1 + 4 + 32 + (b.compressed() ? 4 : 0);
        }
        return h;
    }
}
