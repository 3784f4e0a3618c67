package dev.backup4j.ops.event;

import static java.util.Objects.requireNonNull;

import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.maintenance.CopyResult;

/**
 * What a finished job reports: counts for metrics and one line for people.
 *
 * @param files files processed (backed up, restored, verified...)
 * @param bytesRead content bytes read from the sources
 * @param bytesAdded plaintext bytes new to the repository
 * @param errors entries that failed without failing the job (unreadable files)
 * @param summary one line, for logs and alerts
 */
public record JobReport(long files, long bytesRead, long bytesAdded, long errors, String summary) {

    /** @throws NullPointerException if {@code summary} is null */
    public JobReport {
        requireNonNull(summary, "summary");
    }

    /** A report with no counts. */
    public static JobReport of(String summary) {
        return new JobReport(0, 0, 0, 0, summary);
    }

    /** The counts of a backup. */
    public static JobReport of(BackupResult r) {
        return new JobReport(r.files(), r.bytesRead(), r.bytesAdded(), r.errors().size(),
                "snapshot " + r.snapshot().requireId().shortString() + ", " + r.files() + " files, " + r.bytesAdded()
                        + " new bytes" + (r.incomplete() ? ", " + r.errors().size() + " unreadable" : ""));
    }

    /** The counts of a copy. */
    public static JobReport of(CopyResult r) {
        return new JobReport(r.copied().size(), 0, r.bytesCopied(), 0,
                r.copied().size() + " snapshots copied, " + r.skipped().size() + " already there, " + r.bytesCopied()
                        + " bytes");
    }
}
