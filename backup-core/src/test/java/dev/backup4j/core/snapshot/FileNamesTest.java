package dev.backup4j.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names as byte strings: the surrogate-escape mapping, Go's quoting as restic applies it to node names (expected
 * strings are what Go's {@code strconv.Quote} prints), and exact names on disk with and without the raw-path
 * constructor.
 */
class FileNamesTest {
    @TempDir
    Path tmp;

    @Test
    void everyByteStringHasOneNameAndComesBack() {
        qt().withExamples(2000).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 12))
                .checkAssert(l -> {
                    byte[] b = new byte[l.size()];
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (byte) (int) l.get(i);
                    }
                    String name = FileNames.decode(b);
                    assertArrayEquals(b, FileNames.encode(name));
                    assertEquals(name, FileNames.canonical(name));
                    assertEquals(!validUtf8(b), FileNames.hasRawBytes(name));
                    // Go's quoted form reads back to the same bytes
                    assertArrayEquals(b, FileNames.encode(GoQuote.unquote(GoQuote.quote(name))));
                });
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void validUtf8DecodesAsTheJdkDoesAndInvalidBytesBecomeLoneSurrogates() {
        assertEquals("caf\u00e9 \ud83d\ude00", FileNames.decode("caf\u00e9 \ud83d\ude00".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a\udcffb", FileNames.decode(new byte[] {'a', (byte) 0xff, 'b'}));
        // a surrogate encoded in UTF-8 (CESU) and an overlong form are not UTF-8: each byte stands alone
        assertEquals("\udced\udca0\udc80", FileNames.decode(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}));
        assertEquals("\udcc0\udcaf", FileNames.decode(new byte[] {(byte) 0xc0, (byte) 0xaf}));
        // two raw bytes that together are UTF-8 are that character: names are canonical
        assertEquals("\u00e9", FileNames.canonical("\udcc3\udca9"));
        assertThrows(IllegalArgumentException.class, () -> FileNames.encode("lone \ud800 high"));
    }

    @Test
    void goQuotingMatchesStrconvQuote() {
        // strconv.Quote(s) without its quotes, as Go 1.19 prints it
        String[][] cases = {
            {"plain.txt", "plain.txt"},
            {"back\\slash", "back\\\\slash"},
            {"quo\"te", "quo\\\"te"},
            {"tab\tx", "tab\\tx"},
            {"new\nline", "new\\nline"},
            {"\u0007\b\f\r\u000b", "\\a\\b\\f\\r\\v"},
            {"\u0001\u001b\u007f", "\\x01\\x1b\\x7f"},
            {"inv\udcffalid", "inv\\xffalid"},
            {"caf\u00e9", "caf\u00e9"},
            {"e\u0301", "e\u0301"},
            {"\u00a0\u200f\u202e\ufeff\u2028", "\\u00a0\\u200f\\u202e\\ufeff\\u2028"},
            {"\ud83d\ude00\u4e2d", "\ud83d\ude00\u4e2d"},
            {"\ue000", "\\ue000"},
            {"\udbff\udfff", "\\U0010ffff"},
            {"\ufffd", "\ufffd"},
            {"'single'", "'single'"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], GoQuote.quote(c[0]), "quote of " + FileNames.printable(c[0]));
            assertEquals(c[0], GoQuote.unquote(c[1]), "unquote of " + c[1]);
        }
    }

    @Test
    void unquoteRefusesWhatGoRefuses() {
        for (String bad : new String[] {"a\"b", "a\nb", "trailing\\", "\\q", "\\'", "\\x4", "\\ud800", "\\U00110000",
            "\\400", "\\12"}) {
            assertThrows(IllegalArgumentException.class, () -> GoQuote.unquote(bad), bad);
        }
        assertEquals("A\u00e9\u00e9", GoQuote.unquote("\\101\\u00e9\\xc3\\xa9"));
    }

    @Test
    void treesStoreQuotedNamesAndReadThemBack() throws Exception {
        Node n = Node.builder("a\\b\n\"c\"\udcfe", NodeType.FILE).build();
        String json = new String(new Tree(List.of(n)).toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"name\":\"a\\\\\\\\b\\\\n\\\\\\\"c\\\\\\\"\\\\xfe\""), json);
        assertEquals(n.name(), Tree.parse(json.getBytes(StandardCharsets.UTF_8), "t").nodes().get(0).name());
    }

    @Test
    void namesSortByTheirBytes() {
        List<String> names = new ArrayList<>(List.of("\udcff", "\u00e9", "\ud83d\ude00", "\uffff", "z", "\udc80"));
        names.sort(Tree.NAME_ORDER);
        List<String> byBytes = new ArrayList<>(names);
        byBytes.sort((a, b) -> java.util.Arrays.compareUnsigned(FileNames.encode(a), FileNames.encode(b)));
        assertEquals(byBytes, names);
        assertEquals("z", names.get(0));
    }

    @Test
    void exactNamesOnDiskWithTheRawPathConstructor() throws IOException {
        roundTripOnDisk(tmp.resolve("raw"));
    }

    @Test
    void exactNamesOnDiskThroughFileUrisAlone() throws IOException {
        boolean was = FileNames.rawPaths(false);
        try {
            roundTripOnDisk(tmp.resolve("uri"));
        } finally {
            FileNames.rawPaths(was);
        }
    }

    private static void roundTripOnDisk(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> names = List.of("plain", "caf\u00e9", "e\u0301", "inv\udcffalid", "\udc80\udc81",
                "new\nline", "back\\slash", "\ufffd", "\ud83d\ude00", "\udced\udca0\udc80");
        for (String n : names) {
            Files.write(FileNames.resolve(dir, n), FileNames.encode(n));
            Path link = FileNames.resolve(dir, "link-" + n);
            Files.createSymbolicLink(link, FileNames.linkTarget(dir.getFileSystem(), "../" + n + "/x"));
            assertEquals("../" + n + "/x", FileNames.readLink(link), FileNames.printable(n));
        }
        Set<String> listed = new HashSet<>();
        try (var s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = FileNames.nameOf(p);
                listed.add(n);
                if (!n.startsWith("link-")) {
                    assertArrayEquals(FileNames.encode(n), Files.readAllBytes(p), FileNames.printable(n));
                }
            }
        }
        for (String n : names) {
            assertTrue(listed.contains(n), FileNames.printable(n) + " listed under its exact name");
        }
        assertFalse(listed.contains("inv\ufffdalid"));
    }
}
