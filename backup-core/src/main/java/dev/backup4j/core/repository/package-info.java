/**
 * The repository layer: what the operations need of an open repository, and its implementation. Start with
 * {@link dev.backup4j.core.repository.OpenRepository}, the interface that backup, restore, browsing and maintenance
 * take ({@code dev.backup4j.core.Repository} implements it). {@link dev.backup4j.core.repository.RepositoryStore}
 * implements it from package-private parts: the index and its loading ({@code IndexLoader}), saving blobs into packs
 * ({@code PackManager}, {@code OpenPack}), sealing and opening ({@code BlobCodec}), and the snapshots read so far
 * ({@code SnapshotCache}); {@link dev.backup4j.core.repository.KeyFiles} reads and writes key files.
 *
 * <p>This package depends only on the lower layers (backend, crypto, compress, pack, index, chunker, snapshot,
 * common), never on the packages that use it nor on the root.
 */
package dev.backup4j.core.repository;
