package dev.backup4j.core.restore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Factories for the {@link RestoreTarget}s this library provides.
 *
 * <pre>{@code
 * try (RestoreTarget t = RestoreTargets.directory(Path.of("/tmp/restore"))) { ... }
 * try (RestoreTarget t = RestoreTargets.tar(Files.newOutputStream(Path.of("out.tar")))) { ... }
 * }</pre>
 */
public final class RestoreTargets {
    private RestoreTargets() {
    }

    /**
     * A directory (created if missing, with its parents). Files are written to a temporary name beside their final
     * one and renamed into place when complete; symlinks found in the directory are replaced, never followed.
     */
    public static RestoreTarget directory(Path dir) throws IOException {
        return new DirectoryTarget(Objects.requireNonNull(dir, "dir"), false);
    }

    /** As {@link #directory(Path)}, also restoring numeric owner and group (needs root). */
    public static RestoreTarget directoryWithOwners(Path dir) throws IOException {
        return new DirectoryTarget(Objects.requireNonNull(dir, "dir"), true);
    }

    /**
     * A tar stream (POSIX ustar with PAX headers for long names and precise times). Closing the target writes the
     * end-of-archive marker and closes {@code out}. Files are staged in temporary files while their blobs arrive.
     */
    public static RestoreTarget tar(OutputStream out) {
        return new TarTarget(Objects.requireNonNull(out, "out"));
    }
}
