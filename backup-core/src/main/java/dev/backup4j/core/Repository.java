package dev.backup4j.core;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.backup.RunningBackup;
import dev.backup4j.core.chunker.Chunker;
import dev.backup4j.core.chunker.Polynomial;
import dev.backup4j.core.common.AppendOnlyRepositoryException;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.RepositoryExistsException;
import dev.backup4j.core.common.RepositoryNotFoundException;
import dev.backup4j.core.common.UnsupportedFormatException;
import dev.backup4j.core.common.WrongPasswordException;
import dev.backup4j.core.compress.Zstd;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.crypto.KeyFile;
import dev.backup4j.core.crypto.MasterKey;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.OperationLock;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackWriter;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.repository.BlobStats;
import dev.backup4j.core.repository.KeyFiles;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.repository.RepositoryConfig;
import dev.backup4j.core.repository.RepositorySettings;
import dev.backup4j.core.repository.RepositoryStore;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 * lists).
 *
 * <p>Thread-safe: one instance may be shared by the threads of an application for as long as it runs, and its
 * operations may run at the same time (several backups, restores, listings, a check). Each operation takes its own
 * lock, as separate processes would: shared ones (backup, restore, check, copy) run side by side, while an exclusive
 * one (forget, prune, removing a key) waits for the others or fails with
 * {@link dev.backup4j.core.common.RepositoryLockedException}, even on this same instance. Underneath, blobs are
 * saved into packs shared by all operations under one lock ({@link #saveBlob}, {@link #flush()}), the index is a
 * concurrent map, snapshots are cached under a lock of their own ({@link #snapshots()}), and reading blobs and trees
 * needs no lock. Each operation's builder ({@link BackupCommand}, {@link RestoreCommand}, ...) is not thread-safe:
 * use one per operation, on one thread. Two methods are the exceptions: {@link #close()}, which must come after
 * every operation has ended, and {@link #reloadIndex()}, which empties the index while it reloads and so must not
 * run beside other operations.
 */
public final class Repository implements OpenRepository, Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Repository.class);
    /** restic's default target pack size. */
    public static final int DEFAULT_PACK_SIZE = 16 * 1024 * 1024;

    private final RepositoryStore store;
    private final MasterKey key;
    private final Id keyId;
    private final Opener options;

    private Repository(RepositoryStore store, MasterKey key, Id keyId, Opener options) {
        this.store = store;
        this.key = key;
        this.keyId = keyId;
        this.options = options;
    }

    /** Starts opening or creating the repository stored in {@code backend}. */
    public static Opener at(Backend backend) {
        return new Opener(Objects.requireNonNull(backend, "backend"));
    }

    /**
     * Options for opening or creating a repository. Set each option once; then {@link #open()} or {@link #init()}.
     * Not thread-safe: configure and use it on one thread (the repository it opens is thread-safe).
     */
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
        private boolean appendOnly;
        private Duration lockWait = Duration.ZERO;
        private Duration lockCheckDelay = Locks.DEFAULT_CHECK_DELAY;
        private boolean ignoreSighup;
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
         * Opens the repository append-only: the library deletes or overwrites nothing but its own lock files, so
         * forget, prune and removing a key fail with {@link dev.backup4j.core.common.AppendOnlyRepositoryException}
         * before touching anything, and backups, restores and checks work as usual. Use it with storage that refuses
         * deletes anyway (an append-only REST server, object-store credentials without delete), so that the library
         * never starts a prune it cannot finish. A repository not opened so becomes append-only for the rest of its
         * life in this process when the storage first refuses a delete.
         */
        public Opener appendOnly() {
            once("appendOnly");
            this.appendOnly = true;
            return this;
        }

        /**
         * How long an operation waits for a conflicting lock held by another process, retrying, before it fails with
         * {@link dev.backup4j.core.common.RepositoryLockedException} (restic 0.16's {@code --retry-lock}). Default
         * zero: fail at once, as restic does by default.
         *
         * @throws IllegalArgumentException if negative
         */
        public Opener lockWait(Duration wait) {
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
        public Opener lockCheckDelay(Duration delay) {
            once("lockCheckDelay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("lockCheckDelay must not be negative: " + delay);
            }
            this.lockCheckDelay = delay;
            return this;
        }

        /**
         * Whether this process ignores SIGHUP once it takes a lock (default false: the JVM's handling is left alone).
         *
         * <p>Why it matters: restic tells whether the process of a lock on the same host is alive by sending it
         * SIGHUP ({@code restic unlock}, which removes stale locks, does so for every lock of this host), and restic
         * itself ignores SIGHUP for that reason. The JVM's own reaction to SIGHUP is to run its shutdown hooks and
         * exit, so a {@code restic unlock} on this host while this JVM holds a lock stops the JVM. A command-line
         * tool that people run beside restic should turn this on (the reference CLI does). An application that
         * embeds the library owns its signal handling and decides: on, the first lock taken installs a handler that
         * ignores SIGHUP for the rest of the JVM's life (other repositories and the application included); off, a
         * {@code restic unlock} on the same host while a lock is held ends the JVM as a {@code kill -HUP} would.
         *
         * <p>The handler is installed through {@code sun.misc.Signal} (module {@code jdk.unsupported}). Where that
         * is not available (a named module that does not read {@code jdk.unsupported}, a JVM started with
         * {@code -Xrs}), a warning is logged once and locks work as they do without this option.
         */
        public Opener ignoreSighup(boolean ignore) {
            once("ignoreSighup");
            this.ignoreSighup = ignore;
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

        /** The settings the store works with; the compression mode as zstd levels. */
        private RepositorySettings settings() {
            boolean max = compression == Compression.MAX;
            return new RepositorySettings(clock, kdf, packSize, indexEveryPacks, compression != Compression.OFF,
                    max ? 19 : Zstd.DATA_LEVEL, max ? 19 : Zstd.DEFAULT_LEVEL, hostname, username,
                    Optional.ofNullable(cacheDir), appendOnly, lockWait, lockCheckDelay, ignoreSighup);
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
            Id keyId = KeyFiles.write(backend, master, password, kdf, OffsetDateTime.now(clock), username, hostname);
            backend.write(Handle.CONFIG, master.seal(config.toJson()));
            LOG.info("created repository {} at {}", config.id().substring(0, 10), backend.location());
            return new Repository(RepositoryStore.of(backend, master, config, settings()), master, keyId, this);
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
            KeyFiles.Opened key = KeyFiles.open(backend, password);
            MasterKey master = key.key();
            byte[] sealedConfig = backend.readAll(Handle.CONFIG);
            byte[] configJson;
            try {
                configJson = master.open(sealedConfig);
            } catch (CorruptDataException e) {
                throw new CorruptDataException("config: " + e.getMessage(), e);
            }
            RepositoryConfig config = RepositoryConfig.parse(configJson);
            RepositoryStore store = RepositoryStore.of(backend, master, config, settings());
            if (indexInBackground) {
                store.loadIndexInBackground();
            } else {
                store.loadIndex();
            }
            return new Repository(store, master, key.keyId(), this);
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


    // ---- the open repository (see OpenRepository; the work is done by RepositoryStore)

    /** The implementation this façade hands to the operations it starts. */
    RepositoryStore store() {
        return store;
    }

    @Override
    public Backend backend() {
        return store.backend();
    }

    @Override
    public RepositoryConfig config() {
        return store.config();
    }

    @Override
    public Optional<Path> cacheDir() {
        return store.cacheDir();
    }

    @Override
    public Clock clock() {
        return store.clock();
    }

    @Override
    public Chunker chunker() {
        return store.chunker();
    }

    @Override
    public String hostname() {
        return store.hostname();
    }

    @Override
    public String username() {
        return store.username();
    }

    @Override
    public int packSize() {
        return store.packSize();
    }

    @Override
    public BlobStats stats() {
        return store.stats();
    }

    @Override
    public Duration lockWait() {
        return store.lockWait();
    }

    @Override
    public Duration lockCheckDelay() {
        return store.lockCheckDelay();
    }

    @Override
    public boolean ignoreSighup() {
        return store.ignoreSighup();
    }

    @Override
    public boolean isAppendOnly() {
        return store.isAppendOnly();
    }

    @Override
    public void requireDeletable(String operation) throws AppendOnlyRepositoryException {
        store.requireDeletable(operation);
    }

    @Override
    public AppendOnlyRepositoryException refusedDelete(String operation, AccessDeniedException refusal) {
        return store.refusedDelete(operation, refusal);
    }

    @Override
    public Id saveJson(FileType type, byte[] json) throws IOException {
        return store.saveJson(type, json);
    }

    @Override
    public byte[] loadJson(Handle h) throws IOException {
        return store.loadJson(h);
    }

    @Override
    public Id saveBlob(BlobType type, byte[] data, int off, int len) throws IOException {
        return store.saveBlob(type, data, off, len);
    }

    @Override
    public boolean saveBlob(BlobType type, Id id, byte[] data, int off, int len) throws IOException {
        return store.saveBlob(type, id, data, off, len);
    }

    @Override
    public void flush() throws IOException {
        store.flush();
    }

    @Override
    public byte[] loadBlob(BlobType type, Id id) throws IOException {
        return store.loadBlob(type, id);
    }

    @Override
    public byte[] decodeBlob(byte[] sealed, PackedBlob b, Handle h) throws CorruptDataException {
        return store.decodeBlob(sealed, b, h);
    }

    @Override
    public byte[] decodeBlob(byte[] data, int offset, PackedBlob b, Handle h) throws CorruptDataException {
        return store.decodeBlob(data, offset, b, h);
    }

    @Override
    public int decodeBlobInto(byte[] data, int offset, PackedBlob b, Handle h, byte[] out) throws CorruptDataException {
        return store.decodeBlobInto(data, offset, b, h, out);
    }

    @Override
    public Tree loadTree(Id id) throws IOException {
        return store.loadTree(id);
    }

    @Override
    public Id saveTree(Tree tree) throws IOException {
        return store.saveTree(tree);
    }

    @Override
    public Snapshot saveSnapshot(Snapshot s) throws IOException {
        return store.saveSnapshot(s);
    }

    @Override
    public List<Snapshot> snapshots() throws IOException {
        return store.snapshots();
    }

    @Override
    public Snapshot snapshot(String selector) throws IOException {
        return store.snapshot(selector);
    }

    @Override
    public Index index() {
        return store.index();
    }

    @Override
    public void refreshIndex() throws IOException {
        store.refreshIndex();
    }

    @Override
    public void reloadIndex() throws IOException {
        store.reloadIndex();
    }

    @Override
    public PackWriter newPackWriter() {
        return store.newPackWriter();
    }

    @Override
    public List<PackedBlob> readPackHeader(Id pack, long size) throws IOException {
        return store.readPackHeader(pack, size);
    }

    // ---- keys

    /** The key files, marking the one in use. */
    public List<KeyInfo> keys() throws IOException {
        List<KeyInfo> out = new ArrayList<>();
        for (FileInfo f : backend().list(FileType.KEY)) {
            Handle h = new Handle(FileType.KEY, f.name());
            KeyFile kf = KeyFile.parse(backend().readAll(h), h.toString());
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
        try (OperationLock lock = OperationLock.shared(
                this, Optional.empty())) {
            return KeyFiles.write(backend(), key, password, options.kdf, OffsetDateTime.now(clock()), options.username,
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
    public void removeKey(Id id, Optional<RepositoryLock> held) throws IOException {
        try (OperationLock lock = OperationLock.exclusive(
                this, held)) {
            requireDeletable("removing a key");
            removeKeyLocked(id);
        }
    }

    private void removeKeyLocked(Id id) throws IOException {
        if (id.equals(keyId)) {
            throw new IllegalArgumentException("refusing to remove the key in use; open with another key first");
        }
        Handle h = Handle.of(FileType.KEY, id);
        if (!backend().exists(h)) {
            throw new IllegalArgumentException("no key " + id.shortString());
        }
        backend().delete(h);
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
    public Id changePassword(char[] newPassword, Optional<RepositoryLock> held)
            throws IOException {
        requireNonEmpty(Objects.requireNonNull(newPassword, "newPassword"));
        try (OperationLock lock = OperationLock.exclusive(
                this, held)) {
            requireDeletable("changing the password");
            Id id = KeyFiles.write(backend(), key, newPassword, options.kdf, OffsetDateTime.now(clock()),
                    options.username, options.hostname);
            backend().delete(Handle.of(FileType.KEY, keyId));
            return id;
        }
    }

    /** The id of the key file this repository was opened with. */
    public Id currentKey() {
        return keyId;
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

    /**
     * Flushes what is pending and closes the backend. Call it once every operation on this instance has ended (a
     * backup started in the background included: {@link RunningBackup#await()} it, or cancel it first).
     */
    @Override
    public void close() throws IOException {
        try {
            store.close();
        } finally {
            Arrays.fill(options.password, '\0');
        }
    }

    @Override
    public String toString() {
        return "Repository[" + store.backend().location() + ", version " + store.config().version() + "]";
    }

}
