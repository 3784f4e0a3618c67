package dev.backup4j.core.index;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackedBlob;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.StampedLock;
import java.util.function.IntFunction;

/**
 * In-memory map from blob (type and id) to its location, built from the repository's index files and from packs
 * written in this session. Thread-safe. When a blob is in several packs, the first location added wins.
 *
 * <p>Compact: entries live in pages of primitive arrays (the id as four longs, the pack's number, offset, lengths
 * and type), found through an open-addressing table of entry numbers, so a blob costs about 63 bytes of heap instead
 * of the ~210 that maps of objects took (bench/index-scale with 20 million blobs: 63 bytes against 213). The entries
 * of a pack are stored next to each other, in the order they were added, so {@link #blobsOf} needs no list of its
 * own. Objects ({@link Location}, {@link PackedBlob}, {@link Id}) are made only when a caller asks for them.
 */
public final class Index {
    /** A blob's identity: its type and id. */
    public record BlobKey(BlobType type, Id id) {
    }

    /** A blob's location: its pack and the entry in that pack. */
    public record Location(Id pack, PackedBlob blob) {
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[Id.LENGTH]);
    private static final BlobType[] TYPES = BlobType.values();
    private static final int PAGE_BITS = 14;
    private static final int PAGE = 1 << PAGE_BITS;
    private static final int MASK = PAGE - 1;

    /**
     * Writes (adding packs, clearing) are exclusive. {@link #find} and {@link #has} first read without locking and
     * keep the answer only if no write ran meanwhile ({@link StampedLock#validate}); otherwise, or if the unlocked
     * read hit a state in the middle of a write, they read again under the read lock.
     */
    private final StampedLock lock = new StampedLock();

    // entries, in pages: entry e is at page e >>> PAGE_BITS, slot e & MASK
    private long[][] ids = new long[0][];
    private int[][] packOf = new int[0][];
    private int[][] offsets = new int[0][];
    private int[][] lengths = new int[0][];
    private int[][] uncompressed = new int[0][];
    private byte[][] types = new byte[0][];
    /** Offsets that do not fit in 32 unsigned bits, by entry (none in packs restic or this library write). */
    private final Map<Integer, Long> bigOffsets = new HashMap<>();
    private int entries;
    /** Open addressing over entry numbers + 1 (0: free); only the first entry of each blob is in it. */
    private int[] table = new int[1 << 10];
    private int distinct;
    private final long[] countByType = new long[TYPES.length];

    // packs: ids as four longs, their first entry and entry count; a table of pack numbers + 1
    private long[] packIds = new long[4 * 64];
    private int[] packFirst = new int[64];
    private int[] packCount = new int[64];
    private int packs;
    private int[] packTable = new int[1 << 7];

    /** Records the blobs of one pack. */
    public void addPack(Id pack, List<PackedBlob> entries) {
        byte[] scratch = SCRATCH.get();
        long stamp = lock.writeLock();
        try {
            pack.copyTo(scratch, 0);
            long p0 = word(scratch, 0);
            long p1 = word(scratch, 1);
            long p2 = word(scratch, 2);
            long p3 = word(scratch, 3);
            int found = findPack(p0, p1, p2, p3);
            boolean known = found >= 0;
            int packNo = known ? found : newPack(p0, p1, p2, p3);
            int first = this.entries;
            for (PackedBlob b : entries) {
                b.id().copyTo(scratch, 0);
                long a0 = word(scratch, 0);
                long a1 = word(scratch, 1);
                long a2 = word(scratch, 2);
                long a3 = word(scratch, 3);
                int type = b.type().ordinal();
                boolean present = findEntry(type, a0, a1, a2, a3) >= 0;
                if (known && present) {
                    continue; // as before: a pack added twice keeps its first list; only new blobs are recorded
                }
                int e = append(packNo, type, a0, a1, a2, a3, b);
                if (!present) {
                    insert(e, a0);
                    countByType[type]++;
                }
            }
            if (!known) {
                packFirst[packNo] = first;
                packCount[packNo] = this.entries - first;
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Adds everything in {@code file}. */
    public void addAll(IndexFile file) {
        file.packs().forEach(this::addPack);
    }

    /** Where a blob is stored. */
    public Optional<Location> find(BlobType type, Id id) {
        return read(type, id, e -> e < 0 ? Optional.empty()
                : Optional.of(new Location(packId(packOf[e >>> PAGE_BITS][e & MASK]), blob(e, id))));
    }

    /** True if the blob is stored. */
    public boolean has(BlobType type, Id id) {
        return read(type, id, e -> e >= 0);
    }

    /**
     * What {@code answer} makes of the blob's entry number (-1 if absent): read first without the lock and kept if
     * no write ran meanwhile, else read again under the read lock.
     */
    private <T> T read(BlobType type, Id id, IntFunction<T> answer) {
        byte[] scratch = SCRATCH.get();
        id.copyTo(scratch, 0);
        int t = type.ordinal();
        long a0 = word(scratch, 0);
        long a1 = word(scratch, 1);
        long a2 = word(scratch, 2);
        long a3 = word(scratch, 3);
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            try {
                T found = answer.apply(findEntry(t, a0, a1, a2, a3));
                if (lock.validate(stamp)) {
                    return found;
                }
            } catch (RuntimeException inconsistent) {
                // a write was under way: read again under the lock
            }
        }
        stamp = lock.readLock();
        try {
            return answer.apply(findEntry(t, a0, a1, a2, a3));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Ids of all indexed packs. */
    public Set<Id> packs() {
        long stamp = lock.readLock();
        try {
            Id[] out = new Id[packs];
            for (int p = 0; p < packs; p++) {
                out[p] = packId(p);
            }
            return Set.of(out);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The blobs of one pack, as indexed. */
    public List<PackedBlob> blobsOf(Id pack) {
        byte[] scratch = SCRATCH.get();
        pack.copyTo(scratch, 0);
        long stamp = lock.readLock();
        try {
            int p = findPack(word(scratch, 0), word(scratch, 1), word(scratch, 2), word(scratch, 3));
            if (p < 0) {
                return List.of();
            }
            PackedBlob[] out = new PackedBlob[packCount[p]];
            for (int i = 0; i < out.length; i++) {
                out[i] = blob(packFirst[p] + i, null);
            }
            return List.of(out);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Number of distinct blobs of one type. */
    public long count(BlobType type) {
        long stamp = lock.readLock();
        try {
            return countByType[type.ordinal()];
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Forgets every entry (before reloading the index files). */
    public void clear() {
        long stamp = lock.writeLock();
        try {
            ids = new long[0][];
            packOf = new int[0][];
            offsets = new int[0][];
            lengths = new int[0][];
            uncompressed = new int[0][];
            types = new byte[0][];
            bigOffsets.clear();
            entries = 0;
            table = new int[1 << 10];
            distinct = 0;
            Arrays.fill(countByType, 0);
            packIds = new long[4 * 64];
            packFirst = new int[64];
            packCount = new int[64];
            packs = 0;
            packTable = new int[1 << 7];
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** All blob locations (made on each call: for tools and tests, not for hot paths). */
    public Collection<Location> locations() {
        long stamp = lock.readLock();
        try {
            List<Location> out = new ArrayList<>(distinct);
            for (int slot : table) {
                if (slot != 0) {
                    int e = slot - 1;
                    out.add(new Location(packId(packOf[e >>> PAGE_BITS][e & MASK]), blob(e, null)));
                }
            }
            return List.copyOf(out);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    // ---- internals; callers hold the lock

    private static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i * 8);
    }

    private static int mix(long first) {
        long h = first * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private int findEntry(int type, long a0, long a1, long a2, long a3) {
        int mask = table.length - 1;
        for (int i = mix(a0 ^ type) & mask; ; i = (i + 1) & mask) {
            int slot = table[i];
            if (slot == 0) {
                return -1;
            }
            int e = slot - 1;
            long[] page = ids[e >>> PAGE_BITS];
            int at = (e & MASK) * 4;
            if (page[at] == a0 && page[at + 1] == a1 && page[at + 2] == a2 && page[at + 3] == a3
                    && types[e >>> PAGE_BITS][e & MASK] == type) {
                return e;
            }
        }
    }

    private void insert(int e, long a0) {
        if ((distinct + 1) * 4L > table.length * 3L) {
            grow();
        }
        place(table, e, a0 ^ types[e >>> PAGE_BITS][e & MASK]);
        distinct++;
    }

    private static void place(int[] t, int e, long key) {
        int mask = t.length - 1;
        int i = mix(key) & mask;
        while (t[i] != 0) {
            i = (i + 1) & mask;
        }
        t[i] = e + 1;
    }

    private void grow() {
        int[] bigger = new int[table.length * 2];
        for (int slot : table) {
            if (slot != 0) {
                int e = slot - 1;
                place(bigger, e, ids[e >>> PAGE_BITS][(e & MASK) * 4] ^ types[e >>> PAGE_BITS][e & MASK]);
            }
        }
        table = bigger;
    }

    private int append(int packNo, int type, long a0, long a1, long a2, long a3, PackedBlob b) {
        int e = entries;
        int page = e >>> PAGE_BITS;
        if (page == ids.length) {
            ids = Arrays.copyOf(ids, page + 1);
            ids[page] = new long[PAGE * 4];
            packOf = Arrays.copyOf(packOf, page + 1);
            packOf[page] = new int[PAGE];
            offsets = Arrays.copyOf(offsets, page + 1);
            offsets[page] = new int[PAGE];
            lengths = Arrays.copyOf(lengths, page + 1);
            lengths[page] = new int[PAGE];
            uncompressed = Arrays.copyOf(uncompressed, page + 1);
            uncompressed[page] = new int[PAGE];
            types = Arrays.copyOf(types, page + 1);
            types[page] = new byte[PAGE];
        }
        int s = e & MASK;
        long[] idPage = ids[page];
        idPage[s * 4] = a0;
        idPage[s * 4 + 1] = a1;
        idPage[s * 4 + 2] = a2;
        idPage[s * 4 + 3] = a3;
        packOf[page][s] = packNo;
        if (b.offset() > 0xFFFF_FFFFL) {
            bigOffsets.put(e, b.offset());
        }
        offsets[page][s] = (int) b.offset();
        lengths[page][s] = b.length();
        uncompressed[page][s] = b.uncompressedLength();
        types[page][s] = (byte) type;
        entries++;
        return e;
    }

    private PackedBlob blob(int e, Id known) {
        int page = e >>> PAGE_BITS;
        int s = e & MASK;
        Id id = known != null ? known : id(ids[page], s * 4);
        Long big = bigOffsets.isEmpty() ? null : bigOffsets.get(e);
        long offset = big != null ? big : Integer.toUnsignedLong(offsets[page][s]);
        return new PackedBlob(TYPES[types[page][s]], id, offset, lengths[page][s], uncompressed[page][s]);
    }

    private static Id id(long[] words, int at) {
        byte[] b = new byte[Id.LENGTH];
        for (int i = 0; i < 4; i++) {
            LONGS.set(b, i * 8, words[at + i]);
        }
        return Id.of(b);
    }

    private Id packId(int p) {
        return id(packIds, p * 4);
    }

    private int findPack(long p0, long p1, long p2, long p3) {
        int mask = packTable.length - 1;
        for (int i = mix(p0) & mask; ; i = (i + 1) & mask) {
            int slot = packTable[i];
            if (slot == 0) {
                return -1;
            }
            int p = slot - 1;
            if (packIds[p * 4] == p0 && packIds[p * 4 + 1] == p1 && packIds[p * 4 + 2] == p2
                    && packIds[p * 4 + 3] == p3) {
                return p;
            }
        }
    }

    private int newPack(long p0, long p1, long p2, long p3) {
        int p = packs;
        if (p == packFirst.length) {
            packIds = Arrays.copyOf(packIds, packIds.length * 2);
            packFirst = Arrays.copyOf(packFirst, packFirst.length * 2);
            packCount = Arrays.copyOf(packCount, packCount.length * 2);
        }
        packIds[p * 4] = p0;
        packIds[p * 4 + 1] = p1;
        packIds[p * 4 + 2] = p2;
        packIds[p * 4 + 3] = p3;
        packs++;
        if (packs * 4L > packTable.length * 3L) {
            int[] bigger = new int[packTable.length * 2];
            for (int slot : packTable) {
                if (slot != 0) {
                    place(bigger, slot - 1, packIds[(slot - 1) * 4]);
                }
            }
            packTable = bigger;
        }
        place(packTable, p, p0);
        return p;
    }
}
