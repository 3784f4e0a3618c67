package dev.backup4j.core;

import dev.backup4j.core.snapshot.Snapshot;
import java.time.Duration;
import java.util.List;

/**
 * What a backup did.
 *
 * @param snapshot the saved snapshot (with its id)
 * @param files regular files stored
 * @param directories directories stored
 * @param otherEntries symlinks and special files stored
 * @param bytesRead bytes of file content read from the sources
 * @param blobsAdded blobs new to the repository
 * @param bytesAdded plaintext bytes of the new blobs
 * @param bytesStored bytes of the new blobs as stored (compressed, encrypted)
 * @param duration wall time, measured on the repository's clock
 * @param errors entries that could not be read (the snapshot does not contain them)
 */
public record BackupResult(Snapshot snapshot, long files, long directories, long otherEntries, long bytesRead,
        long blobsAdded, long bytesAdded, long bytesStored, Duration duration, List<BackupError> errors) {

    /** Copies the error list. */
    public BackupResult {
        errors = List.copyOf(errors);
    }

    /** An entry that could not be backed up. */
    public record BackupError(String path, String message) {
    }

    /** True if some entries could not be read. */
    public boolean incomplete() {
        return !errors.isEmpty();
    }
}
