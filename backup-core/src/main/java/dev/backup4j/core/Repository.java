package dev.backup4j.core;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.chunker.Chunker;
import dev.backup4j.core.chunker.Polynomial;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.common.RepositoryExistsException;
import dev.backup4j.core.common.RepositoryNotFoundException;
import dev.backup4j.core.common.UnsupportedFormatException;
import dev.backup4j.core.common.WrongPasswordException;
import dev.backup4j.core.compress.Zstd;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.crypto.KeyFile;
import dev.backup4j.core.crypto.MasterKey;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.index.IndexFile;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackWriter;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open restic repository (format version 1 or 2; new ones are version 2): the entry point for backups, restores
 * and maintenance.
 *
 * <pre>{@code
 * try (Repository repo = Repository.at(Backends.local(Path.of("/srv/repo"))).password(pw).init()) {
 *     BackupResult r = repo.backup().path(Path.of("/var/www/lms")).tag("nightly").run();
 *     repo.restore("latest").target(Path.of("/tmp/restore")).run();
 * }
 * }</pre>
 *
 * <p>Writes follow restic's ordering: packs, then the index file that lists them, then the snapshot that references
 * them, so a crash at any point leaves a repository that {@code restic check} accepts (at worst with packs no index
 * lists). Blob saving is thread-safe.
 */
public final class Repository implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Repository.class);
    /** restic's default target pack size. */
    public static final int DEFAULT_PACK_SIZE = 16 * 1024 * 1024;

    private final Backend backend;
    private final MasterKey key;
    private final Id keyId;
    private final RepositoryConfig config;
    private final Index index;
    private final Clock clock;
    private final Chunker chunker;
    private final Opener options;

    private final Object packLock = new Object();
    private final Map<BlobType, OpenPack> openPacks = new EnumMap<>(BlobType.class);
    private final Set<Index.BlobKey> inOpenPacks = new HashSet<>();
    private final Map<Id, List<PackedBlob>> unindexed = new LinkedHashMap<>();
    private final Set<Id> indexFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Done once the index is loaded (at once unless it loads in the background). */
    private volatile CompletableFuture<Void> indexReady = CompletableFuture.completedFuture(null);
    private volatile Thread indexLoader;
    private final Stats stats = new Stats();
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> packBuffers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private Repository(Backend backend, MasterKey key, Id keyId, RepositoryConfig config, Index index, Opener options) {
        this.backend = backend;
        this.key = key;
        this.keyId = keyId;
        this.config = config;
        this.index = index;
        this.clock = options.clock;
        this.chunker = Chunker.of(config.chunkerPolynomial());
        this.options = options;
    }

    /** Starts opening or creating the repository stored in {@code backend}. */
    public static Opener at(Backend backend) {
        return new Opener(Objects.requireNonNull(backend, "backend"));
    }

    /** Options for opening or creating a repository. Set each option once; then {@link #open()} or {@link #init()}. */
    public static final class Opener {
        private final Backend backend;
        private char[] password;
        private Clock clock = Clock.systemDefaultZone();
        private KdfParams kdf;
        private int packSize = DEFAULT_PACK_SIZE;
        private int indexEveryPacks = 8;
        private Compression compression = Compression.AUTO;
        private String hostname;
        private String username;
        private Path cacheDir;
        private boolean indexInBackground;
        private java.time.Duration lockWait = java.time.Duration.ZERO;
        private java.time.Duration lockCheckDelay = dev.backup4j.core.maintenance.Locks.DEFAULT_CHECK_DELAY;
        private final Set<String> set = new HashSet<>();

        private Opener(Backend backend) {
            this.backend = backend;
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /** The repository password (required). The array is copied. */
        public Opener password(char[] password) {
            once("password");
            this.password = Objects.requireNonNull(password, "password").clone();
            return this;
        }

        /** The repository password (required). */
        public Opener password(String password) {
            return password(Objects.requireNonNull(password, "password").toCharArray());
        }

        /** The clock for snapshot times, key creation times and lock ages (default: the system clock). */
        public Opener clock(Clock clock) {
            once("clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** scrypt parameters for key files this repository writes (default {@link KdfParams#defaults()}). */
        public Opener kdf(KdfParams kdf) {
            once("kdf");
            this.kdf = Objects.requireNonNull(kdf, "kdf");
            return this;
        }

        /**
         * Target pack size in bytes (default 16 MiB, as restic).
         *
         * @throws IllegalArgumentException outside 64 KiB to 128 MiB
         */
        public Opener packSize(int bytes) {
            once("packSize");
            if (bytes < 64 * 1024 || bytes > 128 * 1024 * 1024) {
                throw new IllegalArgumentException("pack size must be between 64 KiB and 128 MiB, got " + bytes);
            }
            this.packSize = bytes;
            return this;
        }

        /**
         * Writes an index file after this many packs (default 8), so an interrupted backup, started again, finds the
         * packs it already uploaded instead of uploading them again.
         *
         * @throws IllegalArgumentException unless at least 1
         */
        public Opener indexEveryPacks(int packs) {
            once("indexEveryPacks");
            if (packs < 1) {
                throw new IllegalArgumentException("indexEveryPacks must be at least 1");
            }
            this.indexEveryPacks = packs;
            return this;
        }

        /** Blob compression (default {@link Compression#AUTO}). */
        public Opener compression(Compression compression) {
            once("compression");
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /** The host name recorded in snapshots and key files (default: this machine's). */
        public Opener hostname(String hostname) {
            once("hostname");
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /** The user name recorded in snapshots and key files (default: the {@code user.name} property). */
        public Opener username(String username) {
            once("username");
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /**
         * A local directory for data that makes later commands faster, as restic's cache does; none by default. A
         * backup keeps there, per repository, what it saw of each directory, sealed with the repository key, so that
         * the next backup of the same paths reuses unchanged directories without reading their parent trees. Safe to
         * delete at any time; shared by any number of repositories and processes.
         */
        public Opener cacheDir(Path dir) {
            once("cacheDir");
            this.cacheDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Lets {@link #open()} return once the key and config are read, with the index loading in the background: the
         * first operation that needs the index waits for it, and fails with {@link CorruptDataException} (or an
         * {@link java.io.UncheckedIOException} around it from {@link Repository#index()}) if an index file is
         * damaged. For short-lived processes: listing snapshots never waits for it, and a backup walks its sources
         * meanwhile. By default {@code open()} loads the index before it returns and fails there.
         */
        public Opener loadIndexInBackground() {
            once("loadIndexInBackground");
            this.indexInBackground = true;
            return this;
        }

        /**
         * How long an operation waits for a conflicting lock held by another process, retrying, before it fails with
         * {@link dev.backup4j.core.common.RepositoryLockedException} (restic 0.16's {@code --retry-lock}). Default
         * zero: fail at once, as restic does by default.
         *
         * @throws IllegalArgumentException if negative
         */
        public Opener lockWait(java.time.Duration wait) {
            once("lockWait");
            if (wait.isNegative()) {
                throw new IllegalArgumentException("lockWait must not be negative: " + wait);
            }
            this.lockWait = wait;
            return this;
        }

        /**
         * The pause between writing a lock file and checking for conflicting ones (default 200 ms, restic's): it
         * gives a lock file written at the same moment by another process time to become visible in listings. A
         * shorter pause is safe where a listing shows a written file at once (a local disk, an SFTP server's disk);
         * on eventually consistent object stores keep the default. Backups and restores overlap the pause with their
         * own work.
         *
         * @throws IllegalArgumentException if negative
         */
        public Opener lockCheckDelay(java.time.Duration delay) {
            once("lockCheckDelay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("lockCheckDelay must not be negative: " + delay);
            }
            this.lockCheckDelay = delay;
            return this;
        }

        private void defaults() {
            if (password == null) {
                throw new IllegalStateException("a password is required: call password(...) first");
            }
            if (kdf == null) {
                kdf = KdfParams.defaults();
            }
            if (hostname == null) {
                hostname = localHostname();
            }
            if (username == null) {
                username = System.getProperty("user.name", "");
            }
        }

        /**
         * Creates a new format-2 repository with one key for the password.
         *
         * @throws IllegalArgumentException if the password is empty (restic refuses to create or open such a
         *     repository); nothing is written then
         * @throws RepositoryExistsException if the location already holds a config file
         */
        public Repository init() throws IOException {
            defaults();
            requireNonEmpty(password);
            if (backend.exists(Handle.CONFIG)) {
                throw new RepositoryExistsException("a repository already exists at " + backend.location());
            }
            Backends.createLayout(backend);
            MasterKey master = MasterKey.random();
            byte[] rid = new byte[32];
            new SecureRandom().nextBytes(rid);
            RepositoryConfig config = new RepositoryConfig(2, HexFormat.of().formatHex(rid),
                    Polynomial.randomIrreducible());
            Id keyId = writeKey(backend, master, password, kdf, OffsetDateTime.now(clock), username, hostname);
            backend.write(Handle.CONFIG, master.seal(config.toJson()));
            LOG.info("created repository {} at {}", config.id().substring(0, 10), backend.location());
            return new Repository(backend, master, keyId, config, new Index(), this);
        }

        /**
         * Opens an existing repository and loads its index.
         *
         * @throws RepositoryNotFoundException if there is no config file
         * @throws WrongPasswordException if no key file opens with the password
         * @throws UnsupportedFormatException if the format version is not 1 or 2
         * @throws CorruptDataException if the config or an index file is damaged
         */
        public Repository open() throws IOException {
            defaults();
            if (!backend.exists(Handle.CONFIG)) {
                throw new RepositoryNotFoundException("no repository at " + backend.location()
                        + " (no config file); create one with init");
            }
            MasterKey master = null;
            Id keyId = null;
            List<FileInfo> keys = backend.list(FileType.KEY);
            keys.sort(Comparator.comparing(FileInfo::name));
            for (FileInfo k : keys) {
                Handle h = new Handle(FileType.KEY, k.name());
                KeyFile kf;
                try {
                    kf = KeyFile.parse(backend.readAll(h), h.toString());
                } catch (CorruptDataException | UnsupportedFormatException e) {
                    LOG.warn("skipping unreadable key file {}: {}", h, e.getMessage());
                    continue;
                }
                try {
                    master = kf.open(password);
                    keyId = Id.parse(k.name());
                    break;
                } catch (WrongPasswordException e) {
                    // try the next key
                }
            }
            if (master == null) {
                throw new WrongPasswordException("wrong password or no key found for " + backend.location());
            }
            byte[] sealedConfig = backend.readAll(Handle.CONFIG);
            byte[] configJson;
            try {
                configJson = master.open(sealedConfig);
            } catch (CorruptDataException e) {
                throw new CorruptDataException("config: " + e.getMessage(), e);
            }
            RepositoryConfig config = RepositoryConfig.parse(configJson);
            Repository repo = new Repository(backend, master, keyId, config, new Index(), this);
            if (indexInBackground) {
                repo.startLoadingIndex();
            } else {
                repo.loadIndex();
            }
            return repo;
        }
    }

    /** The message restic 0.14 gives for an empty password. */
    static final String EMPTY_PASSWORD = "an empty password is not a password";

    /** restic never takes an empty password, so a key for one could only be opened by this library. */
    private static void requireNonEmpty(char[] password) {
        if (password.length == 0) {
            throw new IllegalArgumentException(EMPTY_PASSWORD);
        }
    }

    private static String localHostname() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static Id writeKey(Backend backend, MasterKey master, char[] password, KdfParams kdf,
            OffsetDateTime created, String username, String hostname) throws IOException {
        byte[] json = KeyFile.create(master, password, kdf, created, username, hostname).toJson();
        Id id = Id.hash(json);
        backend.write(Handle.of(FileType.KEY, id), json);
        return id;
    }

    /** Loads the index on a thread of its own; {@link #loadedIndex()} waits for it. */
    private void startLoadingIndex() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                loadIndex();
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
    private Index loadedIndex() throws IOException {
        try {
            indexReady.get();
            return index;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the index");
        } catch (java.util.concurrent.ExecutionException e) {
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

    private void loadIndex() throws IOException {
        List<FileInfo> files = backend.list(FileType.INDEX);
        int threads = Math.min(files.size() / 2, Runtime.getRuntime().availableProcessors());
        if (threads < 2) {
            for (FileInfo f : files) {
                index.addAll(loadIndexFile(f));
            }
            return;
        }
        // Decrypting and parsing index files is most of opening a repository: spread over the cores, added in order.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "backup4j-index");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<IndexFile>> parsed = new ArrayList<>(files.size());
            for (FileInfo f : files) {
                parsed.add(pool.submit(() -> loadIndexFile(f)));
            }
            for (java.util.concurrent.Future<IndexFile> f : parsed) {
                index.addAll(dev.backup4j.core.common.Futures.await(f, "loading the index"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private IndexFile loadIndexFile(FileInfo f) throws IOException {
        Handle h = new Handle(FileType.INDEX, f.name());
        IndexFile parsed = IndexFile.parse(loadJson(h), h.toString());
        if (Id.isValid(f.name())) {
            indexFiles.add(Id.parse(f.name()));
        }
        return parsed;
    }

    // ---- accessors

    /** The storage. */
    public Backend backend() {
        return backend;
    }

    /** The config. */
    public RepositoryConfig config() {
        return config;
    }

    /** The local cache directory given to the opener, if any. */
    public Optional<Path> cacheDir() {
        return Optional.ofNullable(options.cacheDir);
    }

    MasterKey masterKey() {
        return key;
    }

    /** The index files this process loaded or wrote (a snapshot of the set). */
    Set<Id> indexFiles() throws IOException {
        loadedIndex();
        return Set.copyOf(indexFiles);
    }

    /**
     * The index of all blobs (including those written in this session); waits for it if it is loading in the
     * background.
     *
     * @throws java.io.UncheckedIOException if it was loading in the background and an index file is damaged
     */
    public Index index() {
        try {
            return loadedIndex();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How long operations wait for a conflicting lock (see {@link Opener#lockWait}). */
    public java.time.Duration lockWait() {
        return options.lockWait;
    }

    /** The pause before a lock's check for conflicting locks (see {@link Opener#lockCheckDelay}). */
    public java.time.Duration lockCheckDelay() {
        return options.lockCheckDelay;
    }

    /** The clock. */
    public Clock clock() {
        return clock;
    }

    /** The chunker for this repository's polynomial. */
    public Chunker chunker() {
        return chunker;
    }

    /** The host name recorded in new snapshots by default. */
    public String hostname() {
        return options.hostname;
    }

    /** The user name recorded in new snapshots by default. */
    public String username() {
        return options.username;
    }

    /** Counters of what this session stored. */
    public Stats stats() {
        return stats;
    }

    /** Counters of blobs stored by this repository instance. Thread-safe. */
    public static final class Stats {
        private final java.util.concurrent.atomic.AtomicLong blobsAdded = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong bytesAdded = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong bytesStored = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong dataBlobsAdded =
                new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong dataBytesAdded =
                new java.util.concurrent.atomic.AtomicLong();

        private Stats() { // made by each Repository only
        }

        /** Data blobs (file content) that were new to the repository. */
        public long dataBlobsAdded() {
            return dataBlobsAdded.get();
        }

        /** Plaintext bytes of the new data blobs. */
        public long dataBytesAdded() {
            return dataBytesAdded.get();
        }

        /** Blobs that were new to the repository. */
        public long blobsAdded() {
            return blobsAdded.get();
        }

        /** Plaintext bytes of the new blobs. */
        public long bytesAdded() {
            return bytesAdded.get();
        }

        /** Bytes of the new blobs as stored (compressed and sealed). */
        public long bytesStored() {
            return bytesStored.get();
        }
    }

    // ---- metadata files

    /** Seals JSON as restic stores metadata (compressed in format 2) and writes it; returns the file's id. */
    public Id saveJson(FileType type, byte[] json) throws IOException {
        if (type == FileType.CONFIG || type == FileType.KEY || type == FileType.PACK) {
            throw new IllegalArgumentException(type + " files are not written through saveJson");
        }
        byte[] plain = config.version() >= 2 ? Zstd.packUnpacked(json) : json;
        byte[] sealed = key.seal(plain);
        Id id = Id.hash(sealed);
        backend.write(Handle.of(type, id), sealed);
        return id;
    }

    /**
     * Reads, verifies (name = SHA-256 of the content) and decrypts a metadata file; returns its JSON.
     *
     * @throws CorruptDataException if the file is damaged
     */
    public byte[] loadJson(Handle h) throws IOException {
        byte[] sealed = backend.readAll(h);
        if (Id.isValid(h.name()) && !Id.hash(sealed).toString().equals(h.name())) {
            throw new CorruptDataException(h + ": content does not match its name (damaged file)");
        }
        try {
            return Zstd.unpackUnpacked(key.open(sealed));
        } catch (CorruptDataException e) {
            throw new CorruptDataException(h + ": " + e.getMessage(), e);
        }
    }

    // ---- blobs

    /**
     * Stores a blob unless the repository already has it; returns its id (SHA-256 of the plaintext).
     * The blob lands in an open pack; it is durable after {@link #flush()}.
     */
    public Id saveBlob(BlobType type, byte[] data, int off, int len) throws IOException {
        Id id = Id.hash(data, off, len);
        saveBlob(type, id, data, off, len);
        return id;
    }

    /** Stores a blob whose id the caller computed; returns true if it was new. */
    public boolean saveBlob(BlobType type, Id id, byte[] data, int off, int len) throws IOException {
        Index.BlobKey k = new Index.BlobKey(type, id);
        Index index = loadedIndex();
        synchronized (packLock) {
            if (index.has(type, id) || inOpenPacks.contains(k)) {
                return false;
            }
            inOpenPacks.add(k);
        }
        List<OpenPack.Finished> full = null;
        int sealedLen;
        boolean added = false;
        try {
            // Work buffers are per thread and reused, so storing a blob allocates nothing proportional to its size.
            // One per-thread buffer: the blob is compressed (or copied) to where its ciphertext goes, then sealed in
            // place. Storing a blob allocates nothing proportional to its size.
            int plen = len;
            int uncompressed = 0;
            boolean compress = config.version() >= 2
                    && (type == BlobType.TREE || options.compression != Compression.OFF);
            byte[] sealed = buffers.get().seal((compress ? Math.max(len, Zstd.bound(len)) : len) + MasterKey.OVERHEAD);
            if (compress) {
                int zlen = Zstd.compressInto(data, off, len, sealed, MasterKey.IV,
                        options.compression == Compression.MAX ? 19
                                : type == BlobType.DATA ? Zstd.DATA_LEVEL : Zstd.DEFAULT_LEVEL);
                if (zlen < len) {
                    plen = zlen;
                    uncompressed = len;
                }
            }
            if (uncompressed == 0) {
                System.arraycopy(data, off, sealed, MasterKey.IV, len);
            }
            sealedLen = key.sealInPlace(sealed, 0, plen);
            synchronized (packLock) {
                OpenPack w = openPacks.get(type);
                if (w != null && type == BlobType.DATA && w.count() > 0 && !w.fits(sealedLen)) {
                    // an in-memory data pack ends before it outgrows its pooled buffer (pack size + 1 MiB), so
                    // buffers never grow and stay small: such packs end between pack size - 7 MiB and + 1 MiB
                    openPacks.remove(type);
                    full = new ArrayList<>(2);
                    full.add(finishOrDiscard(w));
                    w = null;
                }
                if (w == null) {
                    w = newOpenPack(type);
                    openPacks.put(type, w);
                }
                try {
                    w.add(type, id, sealed, 0, sealedLen, uncompressed);
                } catch (IOException | RuntimeException e) {
                    openPacks.remove(type);
                    discard(w);
                    throw e;
                }
                if (w.size() >= options.packSize) {
                    openPacks.remove(type);
                    if (full == null) {
                        full = new ArrayList<>(1);
                    }
                    full.add(finishOrDiscard(w));
                }
            }
            added = true;
        } finally {
            if (!added) {
                // the blob is not stored: let a later call store it instead of trusting a pending claim
                synchronized (packLock) {
                    inOpenPacks.remove(k);
                }
            }
        }
        stats.blobsAdded.incrementAndGet();
        stats.bytesAdded.addAndGet(len);
        if (type == BlobType.DATA) {
            stats.dataBlobsAdded.incrementAndGet();
            stats.dataBytesAdded.addAndGet(len);
        }
        stats.bytesStored.addAndGet(sealedLen);
        if (full != null) {
            uploadAll(full);
        }
        return true;
    }

    /** Per-thread scratch space for compressing and sealing one blob. */
    private static final class Buffers {
        private byte[] seal = new byte[0];

        byte[] seal(int n) {
            if (seal.length < n) {
                seal = new byte[Math.max(n, 64 * 1024)];
            }
            return seal;
        }
    }

    /** The size of pooled data-pack buffers: the pack size plus 1 MiB for the last blob and the header. */
    private int packBufferSize() {
        return options.packSize + 1024 * 1024;
    }

    private byte[] packBuffer() {
        byte[] b = packBuffers.poll();
        return b != null ? b : new byte[packBufferSize()];
    }

    private void recycle(byte[] buffer) {
        // one spare: a blob thread that starts a pack while another uploads the last one finds it here
        if (buffer.length == packBufferSize() && packBuffers.isEmpty()) {
            packBuffers.offer(buffer);
        }
    }

    /**
     * A new pack for blobs of {@code type}. Data packs stream to a staging file when the backend offers one (the
     * local backend); otherwise they fill a pooled buffer. Tree packs start with a small buffer and grow: trees are
     * a small part of most backups, and a pooled data-pack buffer held by the tree pack for the whole backup was a
     * quarter of the live heap.
     */
    private OpenPack newOpenPack(BlobType type) throws IOException {
        if (type == BlobType.TREE) {
            return new OpenPack.InMemory(key, new byte[1024 * 1024]);
        }
        if (backend instanceof dev.backup4j.core.backend.StagingBackend staging) {
            return new OpenPack.Staged(key, staging.newStagingFile());
        }
        return new OpenPack.InMemory(key, packBuffer());
    }

    /** Finishes a pack; if that fails, the pack is dropped and its blobs released. Call under the pack lock. */
    private OpenPack.Finished finishOrDiscard(OpenPack w) throws IOException {
        try {
            return w.finish();
        } catch (IOException | RuntimeException e) {
            discard(w);
            throw e;
        }
    }

    /** Drops a broken pack and releases its blobs for a later call to store. Call under the pack lock. */
    private void discard(OpenPack w) {
        for (PackedBlob b : w.blobs()) {
            inOpenPacks.remove(new Index.BlobKey(b.type(), b.id()));
        }
        w.discard();
    }

    private static void deleteStaged(OpenPack.Finished f) {
        if (f.staged() != null) {
            try {
                java.nio.file.Files.deleteIfExists(f.staged());
            } catch (IOException ignored) {
                // listings skip staging files
            }
        }
    }

    /** Uploads finished packs in order; if one fails, the blobs of those not uploaded are released too. */
    private void uploadAll(List<OpenPack.Finished> packs) throws IOException {
        for (int i = 0; i < packs.size(); i++) {
            try {
                upload(packs.get(i));
            } catch (IOException | RuntimeException | Error e) {
                synchronized (packLock) {
                    for (OpenPack.Finished rest : packs.subList(i + 1, packs.size())) {
                        for (PackedBlob b : rest.blobs()) {
                            inOpenPacks.remove(new Index.BlobKey(b.type(), b.id()));
                        }
                        deleteStaged(rest);
                    }
                }
                throw e;
            }
        }
    }

    private void upload(OpenPack.Finished pack) throws IOException {
        try {
            Handle h = Handle.of(FileType.PACK, pack.id());
            if (pack.buffer() != null) {
                backend.write(h, pack.buffer(), pack.length());
            } else {
                ((dev.backup4j.core.backend.StagingBackend) backend).commitStaged(pack.staged(), h);
            }
        } catch (IOException | RuntimeException | Error e) {
            // the pack is lost: its blobs must be stored again by a later call, not deduplicated against it
            synchronized (packLock) {
                for (PackedBlob b : pack.blobs()) {
                    inOpenPacks.remove(new Index.BlobKey(b.type(), b.id()));
                }
            }
            throw e;
        }
        if (pack.buffer() != null) {
            recycle(pack.buffer());
        }
        Map<Id, List<PackedBlob>> toIndex = null;
        synchronized (packLock) {
            index.addPack(pack.id(), pack.blobs());
            unindexed.put(pack.id(), pack.blobs());
            for (PackedBlob b : pack.blobs()) {
                inOpenPacks.remove(new Index.BlobKey(b.type(), b.id()));
            }
            if (unindexed.size() >= options.indexEveryPacks) {
                toIndex = new LinkedHashMap<>(unindexed);
                unindexed.clear();
            }
        }
        LOG.debug("uploaded pack {} ({} blobs, {} bytes)", pack.id().shortString(), pack.blobs().size(),
                pack.length());
        if (toIndex != null) {
            writeIndex(toIndex);
        }
    }

    private void writeIndex(Map<Id, List<PackedBlob>> packs) throws IOException {
        try {
            indexFiles.add(saveJson(FileType.INDEX, new IndexFile(packs, List.of()).toJson()));
        } catch (IOException e) {
            synchronized (packLock) {
                unindexed.putAll(packs); // try again at the next flush
            }
            throw e;
        }
    }

    /**
     * Writes the open packs, then one index file listing every pack written since the last flush. After it returns,
     * every saved blob is durable and findable by restic.
     */
    public void flush() throws IOException {
        List<OpenPack.Finished> toUpload = new ArrayList<>();
        synchronized (packLock) {
            List<OpenPack> open = new ArrayList<>(openPacks.values());
            openPacks.clear();
            for (int i = 0; i < open.size(); i++) {
                OpenPack w = open.get(i);
                try {
                    if (w.count() > 0) {
                        toUpload.add(finishOrDiscard(w));
                    } else {
                        w.discard();
                    }
                } catch (IOException | RuntimeException e) {
                    // nothing is stored: the other packs are dropped too, and all their blobs released
                    for (OpenPack rest : open.subList(i + 1, open.size())) {
                        discard(rest);
                    }
                    for (OpenPack.Finished f : toUpload) {
                        for (PackedBlob b : f.blobs()) {
                            inOpenPacks.remove(new Index.BlobKey(b.type(), b.id()));
                        }
                        deleteStaged(f);
                    }
                    throw e;
                }
            }
        }
        uploadAll(toUpload);
        Map<Id, List<PackedBlob>> packs;
        synchronized (packLock) {
            if (unindexed.isEmpty()) {
                return;
            }
            packs = new LinkedHashMap<>(unindexed);
            unindexed.clear();
        }
        writeIndex(packs);
    }

    /**
     * Loads a blob's plaintext and checks its hash.
     *
     * @throws CorruptDataException if the blob is not indexed, or its pack is damaged
     */
    public byte[] loadBlob(BlobType type, Id id) throws IOException {
        Index.Location loc = loadedIndex().find(type, id).orElseThrow(
                () -> new CorruptDataException(type.json() + " blob " + id + " is not in the index"));
        PackedBlob b = loc.blob();
        Handle h = Handle.of(FileType.PACK, loc.pack());
        byte[] sealed;
        try {
            sealed = backend.read(h, b.offset(), b.length());
        } catch (java.io.EOFException e) {
            throw new CorruptDataException(h + ": pack is truncated (blob " + b.id().shortString() + " at "
                    + b.offset() + " is past its end)", e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CorruptDataException(h + ": pack is missing (blob " + b.id().shortString() + ")", e);
        }
        return decodeBlob(sealed, 0, b, h); // a fresh read: decoded in place
    }

    /** Decrypts, decompresses and verifies one sealed blob read from pack {@code h}. */
    public byte[] decodeBlob(byte[] sealed, PackedBlob b, Handle h) throws CorruptDataException {
        return decodeBlob(sealed.clone(), 0, b, h); // the caller's bytes stay as they are
    }

    /**
     * As {@link #decodeBlob(byte[], PackedBlob, Handle)}, for a blob at {@code offset} in a larger read (its
     * {@code b.length()} bytes). Decrypts in place: the blob's bytes in {@code data} are overwritten.
     */
    public byte[] decodeBlob(byte[] data, int offset, PackedBlob b, Handle h) throws CorruptDataException {
        if (b.length() < MasterKey.OVERHEAD) {
            throw new CorruptDataException(h + ": blob " + b.id().shortString() + ": ciphertext too short ("
                    + b.length() + " bytes)");
        }
        byte[] out = new byte[b.plaintextLength()];
        decodeBlobInto(data, offset, b, h, out);
        return out;
    }

    /**
     * As {@link #decodeBlob(byte[], int, PackedBlob, Handle)}, but into {@code out} (at least
     * {@code b.plaintextLength()} bytes), so a caller can reuse one buffer for many blobs. Returns the plaintext's
     * length.
     */
    public int decodeBlobInto(byte[] data, int offset, PackedBlob b, Handle h, byte[] out)
            throws CorruptDataException {
        int n;
        try {
            int ct = key.openInPlace(data, offset, b.length());
            int from = offset + MasterKey.IV;
            if (b.compressed()) {
                n = b.uncompressedLength();
                Zstd.decompressInto(data, from, ct, out, n);
            } else {
                n = ct;
                System.arraycopy(data, from, out, 0, n);
            }
        } catch (CorruptDataException e) {
            throw new CorruptDataException(h + ": blob " + b.id().shortString() + ": " + e.getMessage(), e);
        }
        if (!Id.hash(out, 0, n).equals(b.id())) {
            throw new CorruptDataException(h + ": blob " + b.id().shortString() + " does not match its hash");
        }
        return n;
    }

    /** Loads and parses a tree blob. */
    public Tree loadTree(Id id) throws IOException {
        return Tree.parse(loadBlob(BlobType.TREE, id), "tree " + id.shortString());
    }

    /** Stores a tree blob; returns its id. */
    public Id saveTree(Tree tree) throws IOException {
        byte[] json = tree.toJson();
        return saveBlob(BlobType.TREE, json, 0, json.length);
    }

    // ---- snapshots

    /** Stores a snapshot file (after {@link #flush()} has made its blobs durable); returns it with its id. */
    public Snapshot saveSnapshot(Snapshot s) throws IOException {
        return s.withId(saveJson(FileType.SNAPSHOT, s.toJson()));
    }

    /** All snapshots, oldest first. */
    public List<Snapshot> snapshots() throws IOException {
        List<Snapshot> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.SNAPSHOT)) {
            Handle h = new Handle(FileType.SNAPSHOT, f.name());
            out.add(Snapshot.parse(loadJson(h), Id.parse(f.name()), h.toString()));
        }
        out.sort(Comparator.comparing(Snapshot::instant).thenComparing(s -> s.requireId()));
        return out;
    }

    /**
     * Finds a snapshot by full id, unique id prefix, or {@code latest}.
     *
     * @throws NoSuchSnapshotException if none or several match
     */
    public Snapshot snapshot(String selector) throws IOException {
        Objects.requireNonNull(selector, "selector");
        List<Snapshot> all = snapshots();
        if (selector.equals("latest")) {
            if (all.isEmpty()) {
                throw new NoSuchSnapshotException("the repository has no snapshots");
            }
            return all.get(all.size() - 1);
        }
        String s = selector.toLowerCase(java.util.Locale.ROOT);
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

    // ---- keys

    /** The key files, marking the one in use. */
    public List<KeyInfo> keys() throws IOException {
        List<KeyInfo> out = new ArrayList<>();
        for (FileInfo f : backend.list(FileType.KEY)) {
            Handle h = new Handle(FileType.KEY, f.name());
            KeyFile kf = KeyFile.parse(backend.readAll(h), h.toString());
            Id id = Id.parse(f.name());
            out.add(new KeyInfo(id, id.equals(keyId), kf.username(), kf.hostname(), kf.created()));
        }
        out.sort(Comparator.comparing(KeyInfo::created).thenComparing(KeyInfo::id));
        return out;
    }

    /**
     * Adds a key file for another password, under a shared lock (as restic's key add); returns its id.
     *
     * @throws IllegalArgumentException if the password is empty (restic could not open the key)
     */
    public Id addKey(char[] password) throws IOException {
        requireNonEmpty(Objects.requireNonNull(password, "password"));
        // a shared lock, as restic's key add takes: it only adds a file
        try (dev.backup4j.core.maintenance.OperationLock lock = dev.backup4j.core.maintenance.OperationLock.shared(
                this, Optional.empty())) {
            return writeKey(backend, key, password, options.kdf, OffsetDateTime.now(clock), options.username,
                    options.hostname);
        }
    }

    /**
     * Removes a key file, under an exclusive lock (as restic's key remove).
     *
     * @throws IllegalArgumentException for the key in use (change the password instead) or an unknown key
     */
    public void removeKey(Id id) throws IOException {
        removeKey(id, Optional.empty());
    }

    /**
     * As {@link #removeKey(Id)}, under the caller's exclusive lock if given, else under one taken here.
     *
     * @throws IllegalArgumentException for the key in use, an unknown key, or a shared lock
     */
    public void removeKey(Id id, Optional<dev.backup4j.core.maintenance.RepositoryLock> held) throws IOException {
        try (dev.backup4j.core.maintenance.OperationLock lock = dev.backup4j.core.maintenance.OperationLock.exclusive(
                this, held)) {
            removeKeyLocked(id);
        }
    }

    private void removeKeyLocked(Id id) throws IOException {
        if (id.equals(keyId)) {
            throw new IllegalArgumentException("refusing to remove the key in use; open with another key first");
        }
        Handle h = Handle.of(FileType.KEY, id);
        if (!backend.exists(h)) {
            throw new IllegalArgumentException("no key " + id.shortString());
        }
        backend.delete(h);
    }

    /**
     * Writes a key file for the new password, then removes the one in use, under an exclusive lock (as restic's key
     * passwd); returns the new key's id.
     *
     * @throws IllegalArgumentException if the new password is empty (nothing is changed then)
     */
    public Id changePassword(char[] newPassword) throws IOException {
        return changePassword(newPassword, Optional.empty());
    }

    /**
     * As {@link #changePassword(char[])}, under the caller's exclusive lock if given, else under one taken here.
     *
     * @throws IllegalArgumentException if the new password is empty or the lock is shared
     */
    public Id changePassword(char[] newPassword, Optional<dev.backup4j.core.maintenance.RepositoryLock> held)
            throws IOException {
        requireNonEmpty(Objects.requireNonNull(newPassword, "newPassword"));
        try (dev.backup4j.core.maintenance.OperationLock lock = dev.backup4j.core.maintenance.OperationLock.exclusive(
                this, held)) {
            Id id = writeKey(backend, key, newPassword, options.kdf, OffsetDateTime.now(clock), options.username,
                    options.hostname);
            backend.delete(Handle.of(FileType.KEY, keyId));
            return id;
        }
    }

    /** The id of the key file this repository was opened with. */
    public Id currentKey() {
        return keyId;
    }

    // ---- maintenance support
    // Used by dev.backup4j.core.maintenance (check, prune, copy, locks); they expose no key material.

    /** The target pack size in bytes this repository writes; prune repacks to it. */
    public int packSize() {
        return options.packSize;
    }

    /**
     * A fresh pack writer whose header is sealed with this repository's key. Blobs added must be sealed with the
     * same key (e.g. bytes read from one of this repository's packs). The caller uploads the finished pack and lists
     * it in an index file; used by prune to repack blobs without decrypting them.
     */
    public PackWriter newPackWriter() {
        return new PackWriter(key, options.packSize + 1024 * 1024);
    }

    /**
     * Reads, authenticates and parses the header of pack {@code pack}, which is {@code size} bytes long.
     *
     * @throws CorruptDataException if the header is damaged or lists blobs outside the pack
     */
    public List<PackedBlob> readPackHeader(Id pack, long size) throws IOException {
        return dev.backup4j.core.pack.PackReader.readHeader(backend, pack, size, key);
    }

    /**
     * Brings the in-memory index up to date with the repository's index files, as they are after another process
     * (or another {@code Repository} instance) wrote or replaced some: new files are loaded; if some this instance
     * knew are gone (a prune replaced them), the index is loaded again, keeping the packs this instance uploaded and
     * not yet indexed. One listing when nothing changed. Every library operation calls it once it holds its lock, so
     * a long-lived instance never works from an index that a prune made stale.
     */
    public void refreshIndex() throws IOException {
        loadedIndex();
        List<FileInfo> files = backend.list(FileType.INDEX);
        Set<Id> listed = new HashSet<>();
        for (FileInfo f : files) {
            if (Id.isValid(f.name())) {
                listed.add(Id.parse(f.name()));
            }
        }
        synchronized (packLock) {
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
            for (Map.Entry<Id, List<PackedBlob>> e : unindexed.entrySet()) {
                index.addPack(e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Forgets the in-memory index and loads the repository's index files again, e.g. after prune replaced them.
     *
     * @throws IllegalStateException if blobs saved in this session are not flushed yet
     */
    public void reloadIndex() throws IOException {
        loadedIndex();
        synchronized (packLock) {
            if (!unindexed.isEmpty() || !inOpenPacks.isEmpty()) {
                throw new IllegalStateException("call flush() before reloading the index");
            }
            index.clear();
            indexFiles.clear();
        }
        loadIndex();
    }

    // ---- operations

    /** Starts a backup into this repository. */
    public BackupCommand backup() {
        return new BackupCommand(this);
    }

    /** Starts a restore of the snapshot chosen by {@code selector} (id, unique prefix, or {@code latest}). */
    public RestoreCommand restore(String selector) {
        return new RestoreCommand(this, Objects.requireNonNull(selector, "selector"));
    }

    /** Flushes what is pending and closes the backend. */
    @Override
    public void close() throws IOException {
        Thread loader = indexLoader;
        if (loader != null && loader.isAlive()) {
            // nothing needed the index: stop loading it before the backend closes under the loader
            loader.interrupt();
            try {
                loader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            flush();
        } finally {
            Arrays.fill(options.password, '\0');
            backend.close();
        }
    }

    @Override
    public String toString() {
        return "Repository[" + backend.location() + ", version " + config.version() + "]";
    }

}
