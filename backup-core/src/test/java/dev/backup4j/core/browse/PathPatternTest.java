package dev.backup4j.core.browse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** restic find's patterns: elements as Go filepath.Match globs, "**", rooted and relative patterns. */
class PathPatternTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        // a relative pattern matches any run of elements, and everything below a match
        "*.txt     | /a/b.txt       | true",
        "*.txt     | /a/b.txt/c     | true",
        "*.txt     | /a/b.txtx      | false",
        "*.txt     | /x.TXT         | false",
        "sub       | /a/sub         | true",
        "sub       | /a/sub/x       | true",
        "sub       | /a/subx        | false",
        "sub       | /sub           | true",
        "a/b       | /x/a/b/c       | true",
        "a/b       | /a/x/b         | false",
        // a rooted pattern matches from the root
        "/a        | /a             | true",
        "/a        | /a/b           | true",
        "/a        | /b/a           | false",
        "/a/       | /a/b           | true",
        "/a/./b    | /a/b           | true",
        // ** stands for any number of elements
        "/a/**/c   | /a/c           | true",
        "/a/**/c   | /a/x/y/c       | true",
        "/a/**/c   | /a/x/c/d       | true",
        "/a/**/c   | /a/x/y/d       | false",
        "/a/**/c   | /b/c           | false",
        "**/c      | /c             | true",
        "**/c      | /x/y/c         | true",
        "/         | /anything/here | true",
        // Go's filepath.Match inside an element
        "[^a]*     | /b             | true",
        "[^a]*     | /a             | false",
        "[!a]      | /!             | true",
        "[!a]      | /b             | false",
        "[a-c]?    | /bz            | true",
        "[a-c]?    | /dz            | false",
        "\\*       | /*             | true",
        "\\*       | /x             | false",
        "?         | /é             | true",
        "?         | /ab            | false",
        "[é]       | /é             | true",
        "[à-ê]x    | /éx            | true",
        "*b*       | /abc           | true",
        "a*b*c     | /axxbyyc       | true",
        "a*b*c     | /axxbyy        | false",
        "*         | /x             | true",
    })
    void matchesAsRestic(String pattern, String path, boolean expected) {
        assertEquals(expected, PathPattern.of(List.of(pattern)).matches(path));
    }

    @ParameterizedTest(name = "{0} below {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "/a/b/*.txt | /a     | true",
        "/a/b/*.txt | /a/b   | true",
        "/a/b/*.txt | /c     | false",
        "/a/b/*.txt | /a/c   | false",
        "x          | /c/d   | true",
        "/a/**/z    | /a/q/r | true",
        "/a/**/z    | /b/q   | false",
    })
    void childMayMatchAsRestic(String pattern, String dir, boolean expected) {
        assertEquals(expected, PathPattern.of(List.of(pattern)).childMayMatch(dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[", "a\\", "[a-]", "[]", "x/[b"})
    void malformedPatternsAreRejectedUpFront(String pattern) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathPattern.of(List.of("ok", pattern)));
        assertTrue(e.getMessage().contains("syntax error in pattern"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void anyPatternMayMatchCaseIsFoldedAndTheEmptyPatternMatchesAll() {
        PathPattern p = PathPattern.of(List.of("*.csv", "/srv/lms/course42"));
        assertTrue(p.matches("/x/grades.csv"));
        assertTrue(p.matches("/srv/lms/course42/a"));
        assertEquals(false, p.matches("/srv/lms/GRADES.CSV"));
        assertTrue(p.ignoringCase().matches("/srv/lms/GRADES.CSV"));
        assertTrue(PathPattern.of(List.of("*.CSV")).ignoringCase().matches("/x/a.csv"));
        assertTrue(PathPattern.of(List.of("")).matches("/whatever"));
        assertThrows(IllegalArgumentException.class, () -> PathPattern.of(List.of()));
    }

    @org.junit.jupiter.api.Test
    void aRawByteIsOneCharacterAndComparedAsItsByte() {
        String raw = "\uDCFF"; // the byte 0xFF, not UTF-8
        assertTrue(PathPattern.of(List.of("?")).matches("/" + raw));
        assertTrue(PathPattern.of(List.of("a?b")).matches("/a" + raw + "b"));
        assertTrue(PathPattern.of(List.of("a" + raw + "*")).matches("/a" + raw + "zz"));
        assertEquals(false, PathPattern.of(List.of("a\uDCFE*")).matches("/a" + raw + "zz"));
        assertEquals("\uFFFDx", PathPattern.lower(raw + "X"), "Go's ToLower replaces a raw byte with U+FFFD");
    }
}
