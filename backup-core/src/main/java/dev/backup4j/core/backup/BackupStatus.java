package dev.backup4j.core.backup;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A running backup's progress.
 *
 * @param filesDone files stored or reused so far
 * @param bytesDone content bytes of those files
 * @param totalFiles files found by the scan so far (0 if the sources cannot be scanned ahead)
 * @param totalBytes bytes found by the scan so far
 * @param scanDone whether the scan has finished, making the totals final
 * @param currentFiles files being read right now
 * @param errors entries that failed so far
 * @param elapsed time since the backup started
 */
public record BackupStatus(long filesDone, long bytesDone, long totalFiles, long totalBytes, boolean scanDone,
        List<String> currentFiles, long errors, Duration elapsed) {

    /** Copies the list. */
    public BackupStatus {
        currentFiles = List.copyOf(currentFiles);
    }

    /** Fraction of bytes done, 0 to 1 (0 while nothing is known). */
    public double fractionDone() {
        if (totalBytes <= 0) {
            return 0;
        }
        return Math.min(1.0, (double) bytesDone / totalBytes);
    }

    /** Estimated time left, once the scan is done and some bytes are processed. */
    public Optional<Duration> eta() {
        if (!scanDone || bytesDone <= 0 || totalBytes <= bytesDone) {
            return Optional.empty();
        }
        double perByte = (double) elapsed.toNanos() / bytesDone;
        return Optional.of(Duration.ofNanos((long) (perByte * (totalBytes - bytesDone))));
    }
}
