package dev.backup4j.core.repository;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.UnsupportedFormatException;
import dev.backup4j.core.common.WrongPasswordException;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.crypto.KeyFile;
import dev.backup4j.core.crypto.MasterKey;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The key files of a repository: finding the one a password opens, and writing new ones. */
public final class KeyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);

    private KeyFiles() {
    }

    /**
     * A master key and the id of the key file it came from.
     *
     * @param key the master key
     * @param keyId the key file's id
     */
    public record Opened(MasterKey key, Id keyId) {
    }

    /**
     * Tries the key files in name order with {@code password}; unreadable ones are skipped with a warning.
     *
     * @throws WrongPasswordException if none opens
     */
    public static Opened open(Backend backend, char[] password) throws IOException {
        List<FileInfo> keys = backend.list(FileType.KEY);
        keys.sort(Comparator.comparing(FileInfo::name));
        for (FileInfo k : keys) {
            Handle h = new Handle(FileType.KEY, k.name());
            KeyFile kf;
            try {
                kf = KeyFile.parse(backend.readAll(h), h.toString());
            } catch (CorruptDataException | UnsupportedFormatException e) {
                LOG.warn("skipping unreadable key file {}: {}", h, e.getMessage());
                continue;
            }
            try {
                return new Opened(kf.open(password), Id.parse(k.name()));
            } catch (WrongPasswordException e) {
                // try the next key
            }
        }
        throw new WrongPasswordException("wrong password or no key found for " + backend.location());
    }

    /** Writes a key file that opens {@code master} with {@code password}; returns its id. */
    public static Id write(Backend backend, MasterKey master, char[] password, KdfParams kdf, OffsetDateTime created,
            String username, String hostname) throws IOException {
        byte[] json = KeyFile.create(master, password, kdf, created, username, hostname).toJson();
        Id id = Id.hash(json);
        backend.write(Handle.of(FileType.KEY, id), json);
        return id;
    }
}
