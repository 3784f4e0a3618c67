package dev.backup4j.core.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK's stat result read directly gives the same nodes as the "unix" attribute view. */
class LocalFilesTest {
    @TempDir
    Path tmp;

    @Test
    void directReadingAndTheAttributeViewAgree() throws Exception {
        assertTrue(LocalFiles.Native.AVAILABLE, "the tests open java.base/sun.nio.fs as the CLI's jar does");
        Path file = Files.writeString(tmp.resolve("file"), "content");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        assertEquals(0, new ProcessBuilder("chmod", "4750", file.toString()).start().waitFor()); // setuid too
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_234_567_890_123L));
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("file"));
        Path hard = Files.createLink(tmp.resolve("hard"), file);
        Path empty = Files.createFile(tmp.resolve("empty"));
        LocalFiles.stat(link, "n", ZoneId.of("UTC")); // reading the link moves its access time, once (relatime)
        for (ZoneId zone : List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Paris"))) {
            for (Path p : List.of(file, dir, link, hard, empty, tmp, Path.of("/dev/null"))) {
                Node direct = LocalFiles.stat(p, "n", zone);
                assertEquals(LocalFiles.statByView(p, "n", zone), direct, p.toString());
            }
        }
        Node f = LocalFiles.stat(file, "file", ZoneId.of("UTC"));
        assertEquals(7, f.size());
        assertEquals(2, f.links());
        assertEquals(04750, f.permissions());
        assertEquals(NodeType.SYMLINK, LocalFiles.stat(link, "link", ZoneId.of("UTC")).type());
        assertEquals(NodeType.CHARDEV, LocalFiles.stat(Path.of("/dev/null"), "null", ZoneId.of("UTC")).type());
    }
}
