package dev.backup4j.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TreeTest {
    /** A random name mixing ASCII, BMP characters on both sides of the surrogate block, and astral code points. */
    private static String name(Random r) {
        StringBuilder b = new StringBuilder();
        int len = 1 + r.nextInt(4);
        for (int i = 0; i < len; i++) {
            switch (r.nextInt(4)) {
                case 0 -> b.append((char) ('a' + r.nextInt(3)));
                case 1 -> b.append((char) (0xD000 + r.nextInt(0x800)));
                case 2 -> b.append((char) (0xE000 + r.nextInt(0x2000)));
                default -> b.appendCodePoint(0x10000 + r.nextInt(0x1000));
            }
        }
        return b.toString();
    }

    @Test
    void nameOrderIsUtf8ByteOrder() {
        qt().withExamples(20_000).forAll(longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            String a = name(r);
            String b = r.nextInt(5) == 0 ? a + name(r) : name(r);
            int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
                    b.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, Integer.signum(Tree.NAME_ORDER.compare(a, b)), a + " vs " + b);
        });
    }

    @Test
    void nodesAreSortedByUtf8Bytes() {
        Random r = new Random(7);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String n = name(r) + i;
            nodes.add(Node.builder(n, NodeType.FILE).build());
        }
        List<Node> sorted = new Tree(nodes).nodes();
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(Arrays.compareUnsigned(sorted.get(i - 1).name().getBytes(StandardCharsets.UTF_8),
                    sorted.get(i).name().getBytes(StandardCharsets.UTF_8)) < 0);
        }
    }

    @Test
    void parsesWhatItWritesAndIgnoresUnknownFields() throws Exception {
        Id blob = Id.hash(new byte[] {1});
        OffsetDateTime t = OffsetDateTime.of(2024, 2, 29, 23, 59, 1, 5_000, ZoneOffset.ofHoursMinutes(5, 30));
        Tree tree = new Tree(List.of(
                Node.builder("f", NodeType.FILE).mode(0644).mtime(t).atime(t).ctime(t).owner(1000, 1000)
                        .ownerNames("u", "g").inode(42, 2049, 1).size(3).content(List.of(blob, blob)).build(),
                Node.builder("d", NodeType.DIR).mode(Node.MODE_DIR | 0755).mtime(t).subtree(blob).build(),
                Node.builder("l", NodeType.SYMLINK).mode(Node.MODE_SYMLINK | 0777).linkTarget("../x").build()));
        assertEquals(tree, Tree.parse(tree.toJson(), "t"));

        String restic = "{\"nodes\":[{\"name\":\"a\",\"type\":\"file\",\"mode\":420,\"mtime\":\"2022-01-02T03:04:05.5Z\","
                + "\"extended_attributes\":[{\"name\":\"user.x\",\"value\":\"AQI=\"}],\"generic\":{\"k\":[1,{\"z\":null}]},"
                + "\"uid\":0,\"gid\":0,\"content\":null},{\"name\":\"b\",\"type\":\"dir\",\"content\":null}],\"extra\":1}\n";
        Tree parsed = Tree.parse(restic.getBytes(StandardCharsets.UTF_8), "t");
        assertEquals(2, parsed.nodes().size());
        assertEquals(List.of(), parsed.nodes().get(0).content());
        assertEquals(420, parsed.nodes().get(0).mode());
        assertEquals(OffsetDateTime.of(2022, 1, 2, 3, 4, 5, 500_000_000, ZoneOffset.UTC),
                parsed.nodes().get(0).mtime());
        assertEquals(List.of(), Tree.parse("{\"nodes\":null}".getBytes(StandardCharsets.UTF_8), "t").nodes());
    }

    @Test
    void writesNamesOutsideTheBmpAsUtf8LikeGo() throws Exception {
        String name = "r\u00e9sum\u00e9 \ud83d\ude00.txt";
        Tree tree = new Tree(List.of(Node.builder(name, NodeType.FILE).build()));
        String json = new String(tree.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"name\":\"" + name + "\""), json);
        assertEquals(tree, Tree.parse(tree.toJson(), "t"));
    }

    @Test
    void refusesWhatIsNotATree() {
        String[] bad = {"", "[]", "{}", "{\"nodes\":3}", "{\"nodes\":[{\"type\":\"file\"}]}",
            "{\"nodes\":[{\"name\":\"a\",\"type\":\"fifoo\"}]}", "{\"nodes\":[{\"name\":\"a\",\"type\":\"file\",\"size\":\"3\"}]}",
            "{\"nodes\":[{\"name\":\"a\",\"type\":\"file\",\"content\":[\"zz\"]}]}", "{\"nodes\":[{\"name\":\"a\"",
            "{\"nodes\":[{\"name\":\"a\",\"type\":\"file\"},{\"name\":\"a\",\"type\":\"file\"}]}",
            "{\"nodes\":[{\"name\":\"a\",\"type\":\"file\",\"mtime\":\"yesterday\"}]}"};
        for (String s : bad) {
            CorruptDataException e = assertThrows(CorruptDataException.class,
                    () -> Tree.parse(s.getBytes(StandardCharsets.UTF_8), "tree 1234"), s);
            assertTrue(e.getMessage().startsWith("tree 1234: "), e.getMessage());
        }
    }
}
