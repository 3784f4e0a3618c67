package dev.backup4j.core.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Implemented by backends that can take a file built piece by piece in a local temporary file (the local backend):
 * a backup then streams each pack to disk as its blobs arrive instead of holding it in memory, as restic does.
 * Wrappers (rate limits, fault injection) do not offer it, so they see every pack through
 * {@link Backend#write(Handle, byte[], int)}.
 */
public interface StagingBackend extends Backend {
    /** Creates a new, empty temporary file on the repository's file system. */
    Path newStagingFile() throws IOException;

    /**
     * Makes a complete staging file the file {@code handle}: durably, atomically, and failing if it exists. The
     * staging file is gone afterwards, whether or not this succeeds.
     */
    void commitStaged(Path staged, Handle handle) throws IOException;

    /**
     * The staging files that exist now: those of packs being built, by this process or another, and those that
     * backups killed mid-run left behind. Nothing here tells them apart; see
     * {@code dev.backup4j.core.maintenance.Locks#removeAbandonedStagingFiles} for when they may be removed. The
     * default lists none, for backends whose staging files cannot outlive the process.
     */
    default List<Path> stagingFiles() throws IOException {
        return List.of();
    }
}
