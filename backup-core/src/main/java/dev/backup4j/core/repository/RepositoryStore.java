package dev.backup4j.core.repository;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.chunker.Chunker;
import dev.backup4j.core.common.AppendOnlyRepositoryException;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.MasterKey;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackReader;
import dev.backup4j.core.pack.PackWriter;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The implementation of {@link OpenRepository}: one open repository's storage, key, config and settings, with the
 * parts that do the work: the index and its loading ({@code IndexLoader}), the open packs ({@code PackManager}),
 * sealing and opening ({@code BlobCodec}) and the snapshots read so far ({@code SnapshotCache}). Made by
 * {@code Repository.Opener}; applications use {@code Repository}. Thread-safe.
 */
public final class RepositoryStore implements OpenRepository, Closeable {
    private final Backend backend;
    private final MasterKey key;
    private final RepositoryConfig config;
    private final RepositorySettings settings;
    private final Chunker chunker;
    private final BlobStats stats = new BlobStats();
    private final BlobCodec codec;
    private final IndexLoader indexes;
    private final PackManager packs;
    private final SnapshotCache snapshots;
    private volatile boolean appendOnly;

    private RepositoryStore(Backend backend, MasterKey key, RepositoryConfig config, RepositorySettings settings) {
        this.backend = backend;
        this.key = key;
        this.config = config;
        this.settings = settings;
        this.chunker = Chunker.of(config.chunkerPolynomial());
        this.appendOnly = settings.appendOnly();
        this.codec = new BlobCodec(backend, key, config);
        this.indexes = new IndexLoader(backend, codec);
        this.packs = new PackManager(backend, key, config, settings, indexes, codec, stats);
        this.snapshots = new SnapshotCache(backend, codec);
    }

    /**
     * The repository in {@code backend} opened with {@code key}, its index not loaded yet: call {@link #loadIndex()}
     * or {@link #loadIndexInBackground()} next (a new, empty repository needs neither).
     */
    public static RepositoryStore of(Backend backend, MasterKey key, RepositoryConfig config,
            RepositorySettings settings) {
        return new RepositoryStore(backend, key, config, settings);
    }

    /** Loads the index files. */
    public void loadIndex() throws IOException {
        indexes.load();
    }

    /** Loads the index on a thread of its own; operations that need it wait for it. */
    public void loadIndexInBackground() {
        indexes.startInBackground();
    }

    /** The settings this repository was opened with. */
    public RepositorySettings settings() {
        return settings;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public RepositoryConfig config() {
        return config;
    }

    @Override
    public Optional<Path> cacheDir() {
        return settings.cacheDir();
    }

    @Override
    public Clock clock() {
        return settings.clock();
    }

    @Override
    public Chunker chunker() {
        return chunker;
    }

    @Override
    public String hostname() {
        return settings.hostname();
    }

    @Override
    public String username() {
        return settings.username();
    }

    @Override
    public int packSize() {
        return settings.packSize();
    }

    @Override
    public BlobStats stats() {
        return stats;
    }

    @Override
    public Duration lockWait() {
        return settings.lockWait();
    }

    @Override
    public Duration lockCheckDelay() {
        return settings.lockCheckDelay();
    }

    @Override
    public boolean ignoreSighup() {
        return settings.ignoreSighup();
    }

    @Override
    public boolean isAppendOnly() {
        return appendOnly;
    }

    @Override
    public void requireDeletable(String operation) throws AppendOnlyRepositoryException {
        if (appendOnly) {
            throw new AppendOnlyRepositoryException(operation + " cannot run: "
                    + backend.location() + " is append-only" + (settings.appendOnly() ? " (opened with appendOnly)"
                    : " (its storage refused a delete)") + "; nothing was deleted");
        }
    }

    @Override
    public AppendOnlyRepositoryException refusedDelete(String operation, AccessDeniedException refusal) {
        appendOnly = true;
        return new AppendOnlyRepositoryException(operation + " stopped: the storage at "
                + backend.location() + " refused to delete (" + refusal.getMessage() + "); the repository is "
                + "append-only, so forget and prune cannot run on it. It stays valid: what was written before the "
                + "refusal is indexed, and restic check passes", refusal);
    }

    @Override
    public Id saveJson(FileType type, byte[] json) throws IOException {
        return codec.saveJson(type, json);
    }

    @Override
    public byte[] loadJson(Handle h) throws IOException {
        return codec.loadJson(h);
    }

    @Override
    public Id saveBlob(BlobType type, byte[] data, int off, int len) throws IOException {
        return packs.saveBlob(type, data, off, len, null);
    }

    /** As {@link #saveBlob(BlobType, byte[], int, int)}, also counting a new blob in {@code also} (if not null). */
    public Id saveBlob(BlobType type, byte[] data, int off, int len, BlobStats also) throws IOException {
        return packs.saveBlob(type, data, off, len, also);
    }

    @Override
    public boolean saveBlob(BlobType type, Id id, byte[] data, int off, int len) throws IOException {
        return packs.saveBlob(type, id, data, off, len, null);
    }

    @Override
    public void flush() throws IOException {
        packs.flush();
    }

    @Override
    public byte[] loadBlob(BlobType type, Id id) throws IOException {
        Index.Location loc = indexes.loaded().find(type, id).orElseThrow(
                () -> new CorruptDataException(type.json() + " blob " + id + " is not in the index"));
        PackedBlob b = loc.blob();
        Handle h = Handle.of(FileType.PACK, loc.pack());
        byte[] sealed;
        try {
            sealed = backend.read(h, b.offset(), b.length());
        } catch (EOFException e) {
            throw new CorruptDataException(h + ": pack is truncated (blob " + b.id().shortString() + " at "
                    + b.offset() + " is past its end)", e);
        } catch (NoSuchFileException e) {
            throw new CorruptDataException(h + ": pack is missing (blob " + b.id().shortString() + ")", e);
        }
        return codec.decodeBlob(sealed, 0, b, h); // a fresh read: decoded in place
    }

    @Override
    public byte[] decodeBlob(byte[] sealed, PackedBlob b, Handle h) throws CorruptDataException {
        return codec.decodeBlob(sealed.clone(), 0, b, h); // the caller's bytes stay as they are
    }

    @Override
    public byte[] decodeBlob(byte[] data, int offset, PackedBlob b, Handle h) throws CorruptDataException {
        return codec.decodeBlob(data, offset, b, h);
    }

    @Override
    public int decodeBlobInto(byte[] data, int offset, PackedBlob b, Handle h, byte[] out)
            throws CorruptDataException {
        return codec.decodeBlobInto(data, offset, b, h, out);
    }

    @Override
    public Tree loadTree(Id id) throws IOException {
        return Tree.parse(loadBlob(BlobType.TREE, id), "tree " + id.shortString());
    }

    @Override
    public Id saveTree(Tree tree) throws IOException {
        return saveTree(tree, null);
    }

    /** As {@link #saveTree(Tree)}, also counting a new blob in {@code also} (if not null). */
    public Id saveTree(Tree tree, BlobStats also) throws IOException {
        byte[] json = tree.toJson();
        return saveBlob(BlobType.TREE, json, 0, json.length, also);
    }

    @Override
    public Snapshot saveSnapshot(Snapshot s) throws IOException {
        return snapshots.saveSnapshot(s);
    }

    @Override
    public List<Snapshot> snapshots() throws IOException {
        return snapshots.snapshots();
    }

    @Override
    public Snapshot snapshot(String selector) throws IOException {
        return snapshots.snapshot(selector);
    }

    @Override
    public Index index() {
        try {
            return indexes.loaded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index files this process loaded or wrote (a snapshot of the set). */
    public Set<Id> indexFiles() throws IOException {
        return indexes.files();
    }

    @Override
    public void refreshIndex() throws IOException {
        indexes.refresh(packs);
    }

    @Override
    public void reloadIndex() throws IOException {
        indexes.reload(packs);
    }

    @Override
    public PackWriter newPackWriter() {
        return packs.newPackWriter();
    }

    @Override
    public List<PackedBlob> readPackHeader(Id pack, long size) throws IOException {
        return PackReader.readHeader(backend, pack, size, key);
    }

    /** Seals bytes with the repository key, for local caches (the directory cache), never for repository files. */
    public byte[] seal(byte[] plain) {
        return key.seal(plain);
    }

    /**
     * Opens what {@link #seal} sealed.
     *
     * @throws CorruptDataException if the bytes are damaged or were sealed with another key
     */
    public byte[] open(byte[] sealed) throws CorruptDataException {
        return key.open(sealed);
    }

    /** Stops a background index load, flushes what is pending, and closes the backend. */
    @Override
    public void close() throws IOException {
        // nothing needed the index: stop loading it before the backend closes under the loader
        indexes.stop();
        try {
            flush();
        } finally {
            backend.close();
        }
    }
}
