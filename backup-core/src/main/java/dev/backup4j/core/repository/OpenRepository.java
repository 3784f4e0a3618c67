package dev.backup4j.core.repository;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.chunker.Chunker;
import dev.backup4j.core.common.AppendOnlyRepositoryException;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackWriter;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What backup, restore, browsing and maintenance need of an open repository: its storage and settings, blobs and
 * trees, metadata files, snapshots, the index, and what locks and prune need. {@code dev.backup4j.core.Repository}
 * implements it, so any operation's entry point ({@code Forget.on(repo)}, {@code RestorePlanner.of(repo, ..)})
 * takes a {@code Repository}; the packages below the root depend on this interface, never on the façade.
 *
 * <p>Implementations are thread-safe, as {@link RepositoryStore} is.
 */
public interface OpenRepository {
    // ---- storage and settings

    /** The storage. */
    Backend backend();

    /** The config. */
    RepositoryConfig config();

    /** The local cache directory given to the opener, if any. */
    Optional<Path> cacheDir();

    /** The clock. */
    Clock clock();

    /** The chunker for this repository's polynomial. */
    Chunker chunker();

    /** The host name recorded in new snapshots by default. */
    String hostname();

    /** The user name recorded in new snapshots by default. */
    String username();

    /** The target pack size in bytes this repository writes; prune repacks to it. */
    int packSize();

    /** Counters of what this session stored, all operations together. */
    BlobStats stats();

    // ---- locks and append-only storage

    /** How long operations wait for a conflicting lock. */
    Duration lockWait();

    /** The pause before a lock's check for conflicting locks. */
    Duration lockCheckDelay();

    /** Whether taking a lock makes this process ignore SIGHUP. */
    boolean ignoreSighup();

    /** True if the repository is append-only: opened so, or its storage refused a delete. */
    boolean isAppendOnly();

    /**
     * Fails if the repository is append-only; for operations that delete, before they change anything.
     *
     * @throws AppendOnlyRepositoryException if it is
     */
    void requireDeletable(String operation) throws AppendOnlyRepositoryException;

    /**
     * Notes that the storage refused a delete: from now on the repository is append-only in this process. Returns
     * the exception to throw, naming the operation.
     */
    AppendOnlyRepositoryException refusedDelete(String operation, AccessDeniedException refusal);

    // ---- metadata files

    /** Seals JSON as restic stores metadata (compressed in format 2) and writes it; returns the file's id. */
    Id saveJson(FileType type, byte[] json) throws IOException;

    /**
     * Reads, verifies (name = SHA-256 of the content) and decrypts a metadata file; returns its JSON.
     *
     * @throws CorruptDataException if the file is damaged
     */
    byte[] loadJson(Handle h) throws IOException;

    // ---- blobs and trees

    /**
     * Stores a blob unless the repository already has it; returns its id (SHA-256 of the plaintext).
     * The blob lands in an open pack; it is durable after {@link #flush()}.
     */
    Id saveBlob(BlobType type, byte[] data, int off, int len) throws IOException;

    /** Stores a blob whose id the caller computed; returns true if it was new. */
    boolean saveBlob(BlobType type, Id id, byte[] data, int off, int len) throws IOException;

    /**
     * Writes the open packs, then one index file listing every pack written since the last flush. After it returns,
     * every saved blob is durable and findable by restic.
     */
    void flush() throws IOException;

    /**
     * Loads a blob's plaintext and checks its hash.
     *
     * @throws CorruptDataException if the blob is not indexed, or its pack is damaged
     */
    byte[] loadBlob(BlobType type, Id id) throws IOException;

    /** Decrypts, decompresses and verifies one sealed blob read from pack {@code h}. */
    byte[] decodeBlob(byte[] sealed, PackedBlob b, Handle h) throws CorruptDataException;

    /**
     * As {@link #decodeBlob(byte[], PackedBlob, Handle)}, for a blob at {@code offset} in a larger read (its
     * {@code b.length()} bytes). Decrypts in place: the blob's bytes in {@code data} are overwritten.
     */
    byte[] decodeBlob(byte[] data, int offset, PackedBlob b, Handle h) throws CorruptDataException;

    /**
     * As {@link #decodeBlob(byte[], int, PackedBlob, Handle)}, but into {@code out} (at least
     * {@code b.plaintextLength()} bytes), so a caller can reuse one buffer for many blobs. Returns the plaintext's
     * length.
     */
    int decodeBlobInto(byte[] data, int offset, PackedBlob b, Handle h, byte[] out) throws CorruptDataException;

    /** Loads and parses a tree blob. */
    Tree loadTree(Id id) throws IOException;

    /** Stores a tree blob; returns its id. */
    Id saveTree(Tree tree) throws IOException;

    // ---- snapshots

    /** Stores a snapshot file (after {@link #flush()} has made its blobs durable); returns it with its id. */
    Snapshot saveSnapshot(Snapshot s) throws IOException;

    /**
     * All snapshots, oldest first, as the repository lists them now (kept in memory by id once read).
     *
     * @throws CorruptDataException if a snapshot file not read before is damaged
     */
    List<Snapshot> snapshots() throws IOException;

    /**
     * Finds a snapshot by full id, unique id prefix, or {@code latest}.
     *
     * @throws NoSuchSnapshotException if none or several match
     */
    Snapshot snapshot(String selector) throws IOException;

    // ---- the index and packs

    /**
     * The index of all blobs (including those written in this session); waits for it if it is loading in the
     * background.
     *
     * @throws java.io.UncheckedIOException if it was loading in the background and an index file is damaged
     */
    Index index();

    /**
     * Brings the in-memory index up to date with the repository's index files, as they are after another process
     * wrote or replaced some. Every library operation calls it once it holds its lock.
     */
    void refreshIndex() throws IOException;

    /**
     * Forgets the in-memory index and loads the repository's index files again. Not while other operations run on
     * this instance.
     *
     * @throws IllegalStateException if blobs saved in this session are not flushed yet
     */
    void reloadIndex() throws IOException;

    /**
     * A fresh pack writer whose header is sealed with this repository's key. Blobs added must be sealed with the
     * same key (e.g. bytes read from one of this repository's packs); used by prune to repack blobs without
     * decrypting them.
     */
    PackWriter newPackWriter();

    /**
     * Reads, authenticates and parses the header of pack {@code pack}, which is {@code size} bytes long.
     *
     * @throws CorruptDataException if the header is damaged or lists blobs outside the pack
     */
    List<PackedBlob> readPackHeader(Id pack, long size) throws IOException;
}
