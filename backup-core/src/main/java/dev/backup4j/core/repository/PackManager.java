package dev.backup4j.core.repository;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.backend.StagingBackend;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.compress.Zstd;
import dev.backup4j.core.crypto.MasterKey;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.index.IndexFile;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackWriter;
import dev.backup4j.core.pack.PackedBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saving blobs: compressing and sealing each, the open packs they land in (one per blob type, shared by all
 * operations), rotating a pack when it is full, uploading it, and writing an index file every few packs and at
 * {@link #flush()}. Thread-safe: the pack state is guarded by {@link #lock}; compressing and sealing run outside it.
 */
final class PackManager {
    private static final Logger LOG = LoggerFactory.getLogger(PackManager.class);

    private final Backend backend;
    private final MasterKey key;
    private final RepositoryConfig config;
    private final RepositorySettings settings;
    private final IndexLoader indexes;
    private final BlobCodec codec;
    private final BlobStats stats;

    /** Guards the open packs, the blobs in them and the packs not yet indexed. */
    final Object lock = new Object();
    private final Map<BlobType, OpenPack> openPacks = new EnumMap<>(BlobType.class);
    final Set<Index.BlobKey> inOpenPacks = new HashSet<>();
    final Map<Id, List<PackedBlob>> unindexed = new LinkedHashMap<>();
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);
    private final ConcurrentLinkedQueue<byte[]> packBuffers = new ConcurrentLinkedQueue<>();

    PackManager(Backend backend, MasterKey key, RepositoryConfig config, RepositorySettings settings,
            IndexLoader indexes, BlobCodec codec, BlobStats stats) {
        this.backend = backend;
        this.key = key;
        this.config = config;
        this.settings = settings;
        this.indexes = indexes;
        this.codec = codec;
        this.stats = stats;
    }

    /**
     * Stores a blob unless the repository already has it; returns its id (SHA-256 of the plaintext).
     * The blob lands in an open pack; it is durable after {@link #flush()}.
     */
    Id saveBlob(BlobType type, byte[] data, int off, int len) throws IOException {
        return saveBlob(type, data, off, len, null);
    }

    /** As {@link #saveBlob(BlobType, byte[], int, int)}, also counting a new blob in {@code also} (if not null). */
    Id saveBlob(BlobType type, byte[] data, int off, int len, BlobStats also) throws IOException {
        Id id = Id.hash(data, off, len);
        saveBlob(type, id, data, off, len, also);
        return id;
    }

    /** Stores a blob whose id the caller computed; returns true if it was new. */
    boolean saveBlob(BlobType type, Id id, byte[] data, int off, int len) throws IOException {
        return saveBlob(type, id, data, off, len, null);
    }

    boolean saveBlob(BlobType type, Id id, byte[] data, int off, int len, BlobStats also) throws IOException {
        Index.BlobKey k = new Index.BlobKey(type, id);
        Index index = indexes.loaded();
        synchronized (lock) {
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
                    && (type == BlobType.TREE || settings.compressData());
            byte[] sealed = buffers.get().seal((compress ? Math.max(len, Zstd.bound(len)) : len) + MasterKey.OVERHEAD);
            if (compress) {
                int zlen = Zstd.compressInto(data, off, len, sealed, MasterKey.IV,
                        type == BlobType.DATA ? settings.dataLevel() : settings.treeLevel());
                if (zlen < len) {
                    plen = zlen;
                    uncompressed = len;
                }
            }
            if (uncompressed == 0) {
                System.arraycopy(data, off, sealed, MasterKey.IV, len);
            }
            sealedLen = key.sealInPlace(sealed, 0, plen);
            synchronized (lock) {
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
                if (w.size() >= settings.packSize()) {
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
                synchronized (lock) {
                    inOpenPacks.remove(k);
                }
            }
        }
        stats.add(type, len, sealedLen);
        if (also != null) {
            also.add(type, len, sealedLen);
        }
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
        return settings.packSize() + 1024 * 1024;
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
        if (backend instanceof StagingBackend staging) {
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
                Files.deleteIfExists(f.staged());
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
                synchronized (lock) {
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
                ((StagingBackend) backend).commitStaged(pack.staged(), h);
            }
        } catch (IOException | RuntimeException | Error e) {
            // the pack is lost: its blobs must be stored again by a later call, not deduplicated against it
            synchronized (lock) {
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
        synchronized (lock) {
            indexes.index().addPack(pack.id(), pack.blobs());
            unindexed.put(pack.id(), pack.blobs());
            for (PackedBlob b : pack.blobs()) {
                inOpenPacks.remove(new Index.BlobKey(b.type(), b.id()));
            }
            if (unindexed.size() >= settings.indexEveryPacks()) {
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
            indexes.written(codec.saveJson(FileType.INDEX, new IndexFile(packs, List.of()).toJson()));
        } catch (IOException e) {
            synchronized (lock) {
                unindexed.putAll(packs); // try again at the next flush
            }
            throw e;
        }
    }

    /**
     * Writes the open packs, then one index file listing every pack written since the last flush. After it returns,
     * every saved blob is durable and findable by restic.
     */
    void flush() throws IOException {
        List<OpenPack.Finished> toUpload = new ArrayList<>();
        synchronized (lock) {
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
        synchronized (lock) {
            if (unindexed.isEmpty()) {
                return;
            }
            packs = new LinkedHashMap<>(unindexed);
            unindexed.clear();
        }
        writeIndex(packs);
    }

    /** A fresh pack writer sealed with the repository's key (see {@link OpenRepository#newPackWriter}). */
    PackWriter newPackWriter() {
        return new PackWriter(key, settings.packSize() + 1024 * 1024);
    }
}
