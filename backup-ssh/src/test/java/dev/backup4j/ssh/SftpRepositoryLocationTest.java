package dev.backup4j.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** restic's two location forms, with restic's meaning of the path. */
class SftpRepositoryLocationTest {
    private static void check(String s, String user, String host, Integer port, String path) {
        SftpRepositoryLocation l = SftpRepositoryLocation.parse(s);
        assertEquals(Optional.ofNullable(user), l.user(), s);
        assertEquals(host, l.host(), s);
        assertEquals(port == null ? OptionalInt.empty() : OptionalInt.of(port), l.port(), s);
        assertEquals(path, l.path(), s);
    }

    @Test
    void shortForm() {
        check("sftp:backup@nas:/srv/restic", "backup", "nas", null, "/srv/restic");
        check("sftp:backup@nas:repo", "backup", "nas", null, "repo");
        check("sftp:nas:/srv/restic/", null, "nas", null, "/srv/restic");
        check("sftp:me@[::1]:/srv/r", "me", "::1", null, "/srv/r");
        check("sftp:a@b@host:/x", "a@b", "host", null, "/x");
    }

    @Test
    void urlFormHasResticsRelativeAndAbsolutePaths() {
        check("sftp://backup@nas:2222/repo", "backup", "nas", 2222, "repo");
        check("sftp://backup@nas:2222//srv/restic", "backup", "nas", 2222, "/srv/restic");
        check("sftp://nas/repo", null, "nas", null, "repo");
        check("sftp://me@[::1]:22//srv/r", "me", "::1", 22, "/srv/r");
        check("sftp://u%40corp@nas//r", "u@corp", "nas", null, "/r");
    }

    @Test
    void badLocationsSayWhatIsAccepted() {
        for (String bad : new String[] {"s3:bucket", "sftp:host", "sftp://host", "sftp://host/", "sftp:u@h:~/repo",
                "sftp://h:99999/x", "sftp://h:port/x", "sftp:@h:/x", "sftp::/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SftpRepositoryLocation.parse(bad), bad);
            assertTrue(e.getMessage().contains("sftp:user@host:/absolute/path"), e.getMessage());
        }
    }

    @Test
    void configBuilderCarriesUserHostAndPort() {
        SshConfig c = SftpRepositoryLocation.parse("sftp://backup@nas:2222//srv/r").configBuilder().noAgent().build();
        assertEquals("backup@nas:2222", c.destination());
        assertTrue(SftpRepositoryLocation.isSftp("sftp:x:/y"));
        assertFalse(SftpRepositoryLocation.isSftp("/local/path"));
    }

    @Test
    void toStringParsesBackToTheSameLocation() {
        qt().forAll(strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 8),
                strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 8), integers().between(0, 65535),
                strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 12))
                .checkAssert((user, host, port, dir) -> {
                    String p = port % 2 == 0 ? "/" + dir + "/x" : dir;
                    String s = port == 0 ? "sftp:" + user + "@" + host + ":" + p
                            : "sftp://" + user + "@" + host + ":" + port + "/" + p;
                    SftpRepositoryLocation l = SftpRepositoryLocation.parse(s);
                    assertEquals(p, l.path());
                    assertEquals(l, SftpRepositoryLocation.parse(l.toString()));
                });
    }
}
