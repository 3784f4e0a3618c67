package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modes come back exactly, whether the restore can give a file its mode when creating it (owner-writable and not
 * masked by the umask) or has to change it afterwards (masked bits, read-only files, set-id and sticky bits).
 */
class RestoreModesTest {
    @TempDir
    Path tmp;

    private static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    @Test
    void everyModeIsRestoredExactly() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        int[] modes = {0644, 0600, 0755, 0700, 0666, 0777, 0664, 0444, 0400, 0555, 0640, 04755, 02755, 01777};
        Map<String, Integer> want = new TreeMap<>();
        for (int m : modes) {
            for (int size : new int[] {0, 100, 3_000_000}) { // empty, one blob, several blobs (reopened per write)
                Path f = src.resolve(Integer.toOctalString(m) + "-" + size);
                byte[] data = new byte[size];
                new java.util.Random(m * 31L + size).nextBytes(data);
                Files.write(f, data);
                Files.setAttribute(f, "unix:mode", m, LinkOption.NOFOLLOW_LINKS);
                want.put(f.getFileName().toString(), mode(f)); // what the file system kept (set-id bits may drop)
            }
        }
        try (Repository repo = Fixtures.opener(tmp.resolve("repo")).init()) {
            repo.backup().path(src).run();
            Path target = tmp.resolve("out");
            RestoreResult r = repo.restore("latest").target(target).run();
            assertTrue(r.complete(), r.errors().toString());
            Path restored = target.resolve(src.toString().substring(1));
            Map<String, Integer> got = new TreeMap<>();
            for (String name : want.keySet()) {
                got.put(name, mode(restored.resolve(name)));
                assertEquals(Files.size(src.resolve(name)), Files.size(restored.resolve(name)), name);
            }
            assertEquals(want, got);
        }
    }
}
