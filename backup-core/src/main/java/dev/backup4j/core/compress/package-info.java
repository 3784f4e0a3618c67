/**
 * zstd compression as restic's format version 2 uses it: blobs are stored as plain zstd frames, and metadata files
 * (index, snapshots, locks) as a {@code 0x02} version byte followed by a zstd frame. Backed by zstd-jni.
 */
package dev.backup4j.core.compress;
