package dev.backup4j.core;

import dev.backup4j.core.snapshot.Snapshot;
import java.time.Duration;
import java.util.List;

/**
 * What a restore did.
 *
 * @param snapshot the restored snapshot
 * @param files regular files written
 * @param directories directories created or updated
 * @param otherEntries symlinks created
 * @param bytesWritten file content bytes written
 * @param duration wall time on the repository's clock
 * @param errors entries that could not be restored, with the reason (e.g. a damaged blob)
 */
public record RestoreResult(Snapshot snapshot, long files, long directories, long otherEntries, long bytesWritten,
        Duration duration, List<RestoreError> errors) {

    /** Copies the error list. */
    public RestoreResult {
        errors = List.copyOf(errors);
    }

    /** An entry that could not be restored. */
    public record RestoreError(String path, String message) {
    }

    /** True if every selected entry was restored. */
    public boolean complete() {
        return errors.isEmpty();
    }
}
