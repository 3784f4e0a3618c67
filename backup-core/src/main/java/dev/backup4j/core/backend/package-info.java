/**
 * Where repository files live. {@link dev.backup4j.core.backend.Backend} is the small SPI (list, stat, ranged read,
 * atomic write, delete) in restic's file layout; {@link dev.backup4j.core.backend.Backends} has the factories for the
 * local-directory and in-memory implementations. Start with {@code Backends.local(path)}.
 *
 * <p>This package knows nothing about encryption or the meaning of the files: it moves bytes by name.
 */
package dev.backup4j.core.backend;
