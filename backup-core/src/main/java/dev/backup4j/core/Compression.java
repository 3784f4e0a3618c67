package dev.backup4j.core;

/** How blobs are compressed in a format-2 repository (format-1 repositories are never compressed). */
public enum Compression {
    /**
     * zstd at a fast level whose ratio is close to restic's "auto" mode (level 2 for data, 3 for trees); a blob is
     * stored compressed only if that makes it smaller.
     */
    AUTO,
    /** Store data blobs uncompressed (metadata is still compressed, as restic does). */
    OFF,
    /** zstd at a high level, for archives where time matters less than space. */
    MAX
}
