package dev.backup4j.core.repository;

import dev.backup4j.core.crypto.KdfParams;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The options an open repository works with, as {@code Repository.Opener} collected and checked them.
 *
 * @param clock the clock for snapshot times, key creation times and lock ages
 * @param kdf scrypt parameters for new key files
 * @param packSize the target pack size in bytes
 * @param indexEveryPacks an index file is written after this many packs
 * @param compressData whether data blobs are compressed (trees and metadata always are, in format 2)
 * @param dataLevel the zstd level of data blobs
 * @param treeLevel the zstd level of tree blobs
 * @param hostname the host name recorded in snapshots and key files
 * @param username the user name recorded in snapshots and key files
 * @param cacheDir the local cache directory, if any
 * @param appendOnly whether the repository was opened append-only
 * @param lockWait how long operations wait for a conflicting lock
 * @param lockCheckDelay the pause before a lock's check for conflicting locks
 * @param ignoreSighup whether taking a lock makes this process ignore SIGHUP
 */
public record RepositorySettings(Clock clock, KdfParams kdf, int packSize, int indexEveryPacks, boolean compressData,
        int dataLevel, int treeLevel, String hostname, String username, Optional<Path> cacheDir, boolean appendOnly,
        Duration lockWait, Duration lockCheckDelay, boolean ignoreSighup) {
}
