package dev.backup4j.core.restore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
     *
     * @throws IOException if {@code dir} exists and is not a directory, or cannot be created
     */
    public static RestoreTarget directory(Path dir) throws IOException {
        return new DirectoryTarget(Objects.requireNonNull(dir, "dir"), false);
    }

    /**
     * The directory {@code dir} as it is now, for planning a restore into it: what it holds, or nothing if it does
     * not exist yet. Creates nothing; writes fail. Plan against it, then execute the plan with {@link #directory}:
     * a restore that fails while planning (an unknown snapshot, a path not in it) then leaves no empty directory
     * behind.
     *
     * <pre>{@code
     * RestorePlan plan;
     * try (RestoreTarget view = RestoreTargets.directoryView(dir)) {
     *     plan = RestorePlanner.of(repo, SnapshotSelector.latest()).plan(view);
     * }
     * try (RestoreTarget t = RestoreTargets.directory(dir)) {
     *     RestoreExecutor.of(repo).execute(plan, t);
     * }
     * }</pre>
     *
     * @throws IOException if {@code dir} exists and is not a directory
     */
    public static RestoreTarget directoryView(Path dir) throws IOException {
        return new DirectoryView(Objects.requireNonNull(dir, "dir"));
    }

    /** Fails with a message in words if {@code dir} exists and is not a directory (a symlink to one is fine). */
    static void requireDirectoryOrNothing(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new IOException("target " + dir + " exists and is not a directory");
        }
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
