package dev.backup4j.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackedBlob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The compact index answers exactly as the map-of-objects model it replaced: the first location added wins, a pack
 * added twice keeps its first list, data and tree blobs of one id are distinct, offsets above 4 GiB survive, and
 * {@code clear} forgets everything. Random sequences of packs (ids drawn from a small pool, so that duplicates are
 * common, and enough blobs to make the tables grow several times) are applied to both and every query is compared.
 */
class IndexTest {
    /** The old implementation's semantics, as plain maps. */
    static final class Model {
        final Map<Index.BlobKey, Index.Location> blobs = new HashMap<>();
        final Map<Id, List<PackedBlob>> packs = new LinkedHashMap<>();

        void addPack(Id pack, List<PackedBlob> entries) {
            packs.putIfAbsent(pack, List.copyOf(entries));
            for (PackedBlob b : entries) {
                blobs.putIfAbsent(new Index.BlobKey(b.type(), b.id()), new Index.Location(pack, b));
            }
        }
    }

    static Id id(Random r, List<Id> pool) {
        if (!pool.isEmpty() && r.nextInt(4) == 0) {
            return pool.get(r.nextInt(pool.size()));
        }
        byte[] b = new byte[32];
        r.nextBytes(b);
        if (r.nextInt(8) == 0 && !pool.isEmpty()) { // same first 8 bytes as another id: a hash collision
            System.arraycopy(pool.get(r.nextInt(pool.size())).toBytes(), 0, b, 0, 8);
        }
        Id id = Id.of(b);
        pool.add(id);
        return id;
    }

    @Test
    void answersAsTheMapModelDoes() {
        qt().withExamples(40).forAll(longs().all(), integers().between(1, 3000)).checkAssert((seed, packCount) -> {
            Random r = new Random(seed);
            List<Id> blobPool = new ArrayList<>();
            List<Id> packPool = new ArrayList<>();
            Index index = new Index();
            Model model = new Model();
            for (int p = 0; p < packCount; p++) {
                Id pack = id(r, packPool);
                List<PackedBlob> entries = new ArrayList<>();
                long offset = r.nextInt(10) == 0 ? (1L << 32) + r.nextInt(1000) : 0;
                for (int i = r.nextInt(20); i >= 0; i--) {
                    int len = 40 + r.nextInt(5000);
                    entries.add(new PackedBlob(r.nextBoolean() ? BlobType.DATA : BlobType.TREE, id(r, blobPool),
                            offset, len, r.nextBoolean() ? 0 : len * 2));
                    offset += len;
                }
                index.addPack(pack, entries);
                model.addPack(pack, entries);
            }
            compare(model, index, r, blobPool);
            index.clear();
            compare(new Model(), index, r, blobPool);
        });
    }

    private static void compare(Model model, Index index, Random r, List<Id> pool) {
        for (BlobType t : BlobType.values()) {
            assertEquals(model.blobs.keySet().stream().filter(k -> k.type() == t).count(), index.count(t), t.name());
        }
        assertEquals(model.packs.keySet(), index.packs());
        for (Map.Entry<Id, List<PackedBlob>> e : model.packs.entrySet()) {
            assertEquals(e.getValue(), index.blobsOf(e.getKey()));
        }
        assertEquals(new HashSet<>(model.blobs.values()), new HashSet<>(index.locations()));
        assertEquals(model.blobs.size(), index.locations().size());
        for (Id id : pool) {
            for (BlobType t : BlobType.values()) {
                Index.BlobKey k = new Index.BlobKey(t, id);
                assertEquals(Optional.ofNullable(model.blobs.get(k)), index.find(t, id), k.toString());
                assertEquals(model.blobs.containsKey(k), index.has(t, id));
            }
        }
        byte[] absent = new byte[32];
        r.nextBytes(absent);
        assertTrue(index.find(BlobType.DATA, Id.of(absent)).isEmpty());
        assertEquals(List.of(), index.blobsOf(Id.of(absent)));
    }

    @Test
    void readersSeeEveryPackOnceItIsAddedWhileAnotherThreadAdds() throws Exception {
        Index index = new Index();
        Random r = new Random(7);
        List<Id> packIds = new ArrayList<>();
        List<List<PackedBlob>> packs = new ArrayList<>();
        for (int p = 0; p < 20_000; p++) {
            byte[] b = new byte[32];
            r.nextBytes(b);
            packIds.add(Id.of(b));
            List<PackedBlob> entries = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] c = new byte[32];
                r.nextBytes(c);
                entries.add(new PackedBlob(BlobType.DATA, Id.of(c), i * 100L, 100, 0));
            }
            packs.add(entries);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] added = {0};
        Thread writer = new Thread(() -> {
            for (int p = 0; p < packs.size(); p++) {
                index.addPack(packIds.get(p), packs.get(p));
                synchronized (added) {
                    added[0] = p + 1;
                }
            }
        });
        Thread reader = new Thread(() -> {
            try {
                int seen;
                do {
                    synchronized (added) {
                        seen = added[0];
                    }
                    for (int p = Math.max(0, seen - 50); p < seen; p++) {
                        PackedBlob b = packs.get(p).get(p % 8);
                        Optional<Index.Location> l = index.find(BlobType.DATA, b.id());
                        assertEquals(Optional.of(new Index.Location(packIds.get(p), b)), l);
                    }
                } while (seen < packs.size());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        writer.start();
        writer.join();
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(20_000L * 8, index.count(BlobType.DATA));
    }
}
