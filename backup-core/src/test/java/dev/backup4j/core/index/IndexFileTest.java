package dev.backup4j.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackedBlob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexFileTest {
    private static Id id(Random r) {
        byte[] b = new byte[8];
        r.nextBytes(b);
        return Id.hash(b);
    }

    @Test
    void parsesWhatItWrites() {
        qt().withExamples(200).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            Map<Id, List<PackedBlob>> packs = new LinkedHashMap<>();
            for (int p = r.nextInt(4); p > 0; p--) {
                List<PackedBlob> blobs = new ArrayList<>();
                long offset = 0;
                for (int b = r.nextInt(5); b > 0; b--) {
                    int len = 40 + r.nextInt(100_000);
                    blobs.add(new PackedBlob(r.nextBoolean() ? BlobType.DATA : BlobType.TREE, id(r), offset, len,
                            r.nextBoolean() ? len + r.nextInt(1000) : 0));
                    offset += len;
                }
                packs.put(id(r), blobs);
            }
            List<Id> supersedes = r.nextBoolean() ? List.of(id(r), id(r)) : List.of();
            IndexFile f = new IndexFile(packs, supersedes);
            try {
                assertEquals(f, IndexFile.parse(f.toJson(), "index x"));
            } catch (CorruptDataException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void ignoresUnknownFieldsAndMergesRepeatedPacks() throws Exception {
        String a = "0".repeat(63) + "a";
        String b = "0".repeat(63) + "b";
        String json = "{\"future\":{\"x\":[1,2]},\"packs\":[{\"id\":\"" + a + "\",\"blobs\":[{\"id\":\"" + b
                + "\",\"type\":\"data\",\"offset\":0,\"length\":50,\"note\":[]}],\"extra\":true},{\"id\":\"" + a
                + "\",\"blobs\":[{\"id\":\"" + a + "\",\"type\":\"tree\",\"offset\":50,\"length\":60,"
                + "\"uncompressed_length\":99}]}]}";
        IndexFile f = IndexFile.parse(json.getBytes(StandardCharsets.UTF_8), "index x");
        assertEquals(List.of(new PackedBlob(BlobType.DATA, Id.parse(b), 0, 50, 0),
                new PackedBlob(BlobType.TREE, Id.parse(a), 50, 60, 99)), f.packs().get(Id.parse(a)));
    }

    @Test
    void refusesWhatIsNotAnIndex() {
        String a = "0".repeat(64);
        String[] bad = {"", "[]", "{}", "{\"packs\":3}", "{\"packs\":[3]}", "{\"packs\":[{\"blobs\":[]}]}",
            "{\"supersedes\":[1],\"packs\":[]}", "{\"packs\":[{\"id\":\"xyz\",\"blobs\":[]}]}",
            "{\"packs\":[{\"id\":\"" + a + "\",\"blobs\":[{\"id\":\"" + a + "\",\"type\":\"nope\",\"offset\":0,\"length\":1}]}]}",
            "{\"packs\":[{\"id\":\"" + a + "\",\"blobs\":[{\"id\":\"" + a + "\",\"offset\":0,\"length\":1}]}]}",
            "{\"packs\":[{\"id\":\"" + a + "\",\"blobs\":[{\"id\":\"" + a + "\",\"type\":\"data\",\"length\":1}]}]}",
            "{\"packs\":[{\"id\":\"" + a + "\",\"blobs\":[7]}]}", "{\"packs\":[]"};
        for (String s : bad) {
            CorruptDataException e = assertThrows(CorruptDataException.class,
                    () -> IndexFile.parse(s.getBytes(StandardCharsets.UTF_8), "index 1234"), s);
            assertTrue(e.getMessage().startsWith("index 1234: "), e.getMessage());
        }
    }
}
