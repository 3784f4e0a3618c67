package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.WrongPasswordException;
import dev.backup4j.core.crypto.KdfParams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyManagementTest {
    @TempDir
    Path tmp;

    private Repository open(String pw) throws Exception {
        return Repository.at(Backends.local(tmp)).password(pw).kdf(KdfParams.insecureFastForTests()).open();
    }

    @Test
    void addChangeAndRemoveKeys() throws Exception {
        try (Repository r = Repository.at(Backends.local(tmp)).password("one").kdf(KdfParams.insecureFastForTests())
                .init()) {
            r.addKey("two".toCharArray());
            assertEquals(2, r.keys().size());
            assertTrue(r.keys().stream().anyMatch(KeyInfo::current));
            assertThrows(IllegalArgumentException.class, () -> r.removeKey(r.currentKey()));
        }
        Id twoKey;
        try (Repository r = open("two")) {
            twoKey = r.currentKey();
            r.changePassword("three".toCharArray());
        }
        assertThrows(WrongPasswordException.class, () -> open("two"));
        try (Repository r = open("three")) {
            assertEquals(2, r.keys().size());
            Id oneKey = r.keys().stream().filter(k -> !k.current()).findFirst().orElseThrow().id();
            r.removeKey(oneKey);
            assertEquals(1, r.keys().size());
            assertTrue(!oneKey.equals(twoKey));
        }
        assertThrows(WrongPasswordException.class, () -> open("one"));
    }

    @Test
    void anEmptyPasswordIsRefusedAsResticRefusesItAndNothingIsWritten() throws Exception {
        Path repo = tmp.resolve("repo");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Repository.at(Backends.local(repo)).password("").kdf(KdfParams.insecureFastForTests()).init());
        assertEquals("an empty password is not a password", e.getMessage());
        assertFalse(Files.exists(repo), "init wrote nothing");

        try (Repository r = Repository.at(Backends.local(repo)).password("one").kdf(KdfParams.insecureFastForTests())
                .init()) {
            assertThrows(IllegalArgumentException.class, () -> r.addKey(new char[0]));
            assertThrows(IllegalArgumentException.class, () -> r.changePassword(new char[0]));
            assertEquals(1, r.keys().size(), "no key was added or removed");
        }
        try (Repository r = Repository.at(Backends.local(repo)).password("one").kdf(KdfParams.insecureFastForTests())
                .open()) {
            assertEquals(1, r.keys().size());
        }
    }
}
