package dev.backup4j.core.restore;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a restore did.
 *
 * @param plan the plan that was executed
 * @param files regular files written
 * @param directories directories created
 * @param symlinks symlinks created
 * @param specials FIFOs and device nodes created
 * @param hardLinks files restored as hard links to another restored file
 * @param kept entries left as they were
 * @param deleted entries removed
 * @param bytesWritten file content bytes written
 * @param bytesRead bytes read from the repository
 * @param duration wall time on the repository's clock
 * @param errors entries that could not be restored, each with its path and the reason
 * @param warnings entries that were restored without some of their metadata (an owner, an extended attribute the
 *     target cannot hold), each with its path and what was not restored
 */
public record RestoreReport(RestorePlan plan, long files, long directories, long symlinks, long specials,
        long hardLinks, long kept, long deleted, long bytesWritten, long bytesRead, Duration duration,
        List<Error> errors, List<Error> warnings) {

    /** Copies the lists. */
    public RestoreReport {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(duration, "duration");
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /**
     * An entry that could not be restored; nothing was left under its final name.
     *
     * @param path the entry's path in the target, starting with '/'
     * @param message why
     */
    public record Error(String path, String message) {
    }

    /** True if every entry in the plan was restored. */
    public boolean complete() {
        return errors.isEmpty();
    }

    @Override
    public String toString() {
        return files + " files, " + directories + " directories, " + symlinks + " symlinks, " + specials
                + " special files, " + hardLinks + " hard links written, " + kept + " kept, " + deleted + " deleted; "
                + bytesWritten + " bytes written, " + bytesRead + " read in " + duration + "; " + errors.size()
                + " errors, " + warnings.size() + " warnings";
    }
}
