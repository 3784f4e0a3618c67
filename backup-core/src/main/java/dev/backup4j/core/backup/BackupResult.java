package dev.backup4j.core.backup;

import dev.backup4j.core.snapshot.Snapshot;
import java.time.Duration;
import java.util.List;

/**
 * The final report of a backup.
 *
 * @param snapshot the saved snapshot (with its id)
 * @param filesNew files not in the parent snapshot
 * @param filesChanged files in the parent snapshot whose metadata changed (read again)
 * @param filesUnmodified files reused from the parent snapshot without being read
 * @param dirsNew directories not in the parent snapshot
 * @param dirsChanged directories whose listing changed
 * @param dirsUnmodified directories identical to the parent's
 * @param otherEntries symlinks and special files
 * @param bytesRead content bytes read from the sources
 * @param bytesProcessed content bytes of all files in the snapshot (read or reused)
 * @param blobsAdded blobs new to the repository
 * @param bytesAdded plaintext bytes of the new blobs (before compression)
 * @param bytesStored bytes of the new blobs as stored (compressed, encrypted)
 * @param duration wall time, measured on the repository's clock
 * @param errors entries that could not be read (the snapshot leaves them out and is marked incomplete)
 */
public record BackupResult(Snapshot snapshot, long filesNew, long filesChanged, long filesUnmodified, long dirsNew,
        long dirsChanged, long dirsUnmodified, long otherEntries, long bytesRead, long bytesProcessed, long blobsAdded,
        long bytesAdded, long bytesStored, Duration duration, List<BackupError> errors) {

    /** Copies the error list. */
    public BackupResult {
        errors = List.copyOf(errors);
    }

    /** An entry that could not be backed up, with the reason. */
    public record BackupError(String path, String message) {
    }

    /** All files in the snapshot. */
    public long files() {
        return filesNew + filesChanged + filesUnmodified;
    }

    /** All directories in the snapshot. */
    public long directories() {
        return dirsNew + dirsChanged + dirsUnmodified;
    }

    /** True if some entries could not be read. */
    public boolean incomplete() {
        return !errors.isEmpty();
    }
}
