package dev.backup4j.core.index;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackedBlob;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory map from blob (type and id) to its location, built from the repository's index files and from packs
 * written in this session. Thread-safe. When a blob is in several packs, the first location added wins.
 */
public final class Index {
    /** A blob's identity: its type and id. */
    public record BlobKey(BlobType type, Id id) {
    }

    /** A blob's location: its pack and the entry in that pack. */
    public record Location(Id pack, PackedBlob blob) {
    }

    private final Map<BlobKey, Location> blobs = new ConcurrentHashMap<>();
    private final Map<Id, List<PackedBlob>> packs = new ConcurrentHashMap<>();

    /** Records the blobs of one pack. */
    public void addPack(Id pack, List<PackedBlob> entries) {
        packs.merge(pack, List.copyOf(entries), (a, b) -> a);
        for (PackedBlob b : entries) {
            blobs.putIfAbsent(new BlobKey(b.type(), b.id()), new Location(pack, b));
        }
    }

    /** Adds everything in {@code file}. */
    public void addAll(IndexFile file) {
        file.packs().forEach(this::addPack);
    }

    /** Where a blob is stored. */
    public Optional<Location> find(BlobType type, Id id) {
        return Optional.ofNullable(blobs.get(new BlobKey(type, id)));
    }

    /** True if the blob is stored. */
    public boolean has(BlobType type, Id id) {
        return blobs.containsKey(new BlobKey(type, id));
    }

    /** Ids of all indexed packs. */
    public Set<Id> packs() {
        return Set.copyOf(packs.keySet());
    }

    /** The blobs of one pack, as indexed. */
    public List<PackedBlob> blobsOf(Id pack) {
        return packs.getOrDefault(pack, List.of());
    }

    /** Number of distinct blobs of one type. */
    public long count(BlobType type) {
        return blobs.keySet().stream().filter(k -> k.type() == type).count();
    }

    /** Forgets every entry (before reloading the index files). */
    public void clear() {
        blobs.clear();
        packs.clear();
    }

    /** All blob locations. */
    public Collection<Location> locations() {
        return List.copyOf(blobs.values());
    }
}
