package dev.backup4j.core.snapshot;

import java.io.IOException;

/**
 * What a snapshot is made of: a tree of entries under one absolute path. The SPI behind directories, streams
 * (a database dump), remote hosts and an application's own logical units; several sources make one snapshot.
 *
 * <p>The engine asks for {@link #root()} once per backup and walks it depth first; it never writes through a source.
 *
 * <pre>{@code
 * SnapshotSource dump = SnapshotSources.stream("/db/lms.sql", () -> Files.newInputStream(dumpFile), clock);
 * }</pre>
 */
public interface SnapshotSource {

    /**
     * The absolute, '/'-separated path at which the root entry appears in the snapshot (e.g. {@code /var/www/lms}),
     * also recorded in the snapshot's {@code paths}. Its last element is the root entry's name.
     */
    String path();

    /** The root entry: a directory, walked recursively, or a single file. */
    SourceEntry root() throws IOException;

    /**
     * Metadata for a directory above the root (e.g. {@code /var} and {@code /var/www} for {@code /var/www/lms}),
     * so that restored parents look like the originals. Empty (the default) gives them mode 0755 and the snapshot's
     * time.
     *
     * @param absolutePath the ancestor's absolute path
     * @param name its last element
     */
    default java.util.Optional<Node> ancestor(String absolutePath, String name) {
        return java.util.Optional.empty();
    }
}
