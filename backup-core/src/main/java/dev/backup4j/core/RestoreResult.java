package dev.backup4j.core;

import dev.backup4j.core.restore.RestoreReport;
import dev.backup4j.core.snapshot.Snapshot;
import java.time.Duration;
import java.util.List;

/**
 * What a restore did (the summary of a {@link RestoreReport}).
 *
 * @param snapshot the restored snapshot
 * @param files regular files written
 * @param directories directories created
 * @param otherEntries symlinks, FIFOs, device nodes and hard links created
 * @param bytesWritten file content bytes written
 * @param duration wall time on the repository's clock
 * @param errors entries that could not be restored, with the reason (e.g. a damaged blob)
 * @param warnings entries restored without some of their metadata, with what was not restored
 */
public record RestoreResult(Snapshot snapshot, long files, long directories, long otherEntries, long bytesWritten,
        Duration duration, List<RestoreError> errors, List<RestoreError> warnings) {

    /** Copies the lists. */
    public RestoreResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** An entry that could not be restored. */
    public record RestoreError(String path, String message) {
    }

    /** The summary of a report. */
    public static RestoreResult of(RestoreReport r) {
        return new RestoreResult(r.plan().choice().snapshot(), r.files(), r.directories(),
                r.symlinks() + r.specials() + r.hardLinks(), r.bytesWritten(), r.duration(),
                r.errors().stream().map(e -> new RestoreError(e.path(), e.message())).toList(),
                r.warnings().stream().map(e -> new RestoreError(e.path(), e.message())).toList());
    }

    /** True if every selected entry was restored. */
    public boolean complete() {
        return errors.isEmpty();
    }
}
