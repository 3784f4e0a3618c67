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
 * try (RestoreTarget t = RestoreTargets.directory(Path.of("/tmp/restore"))) {
 *     RestoreExecutor.of(repo).execute(RestorePlanner.of(repo, SnapshotSelector.latest()).plan(t), t);
 * }
 * try (RestoreTarget t = RestoreTargets.tar(Files.newOutputStream(Path.of("out.tar")))) {   // closes the stream
 *     RestoreExecutor.of(repo).execute(RestorePlanner.of(repo, SnapshotSelector.latest()).plan(t), t);
 * }
 * }</pre>
 */
public final class RestoreTargets {
    private RestoreTargets() {
    }

    /**
     * A directory (created if missing, with its parents), restored as restic restores by default: owners where the
     * process may set them (always as root), files written dense. Files are written to a temporary name beside their
     * final one and renamed into place when complete; symlinks found in the directory are replaced, never followed.
     *
     * @throws IOException if {@code dir} exists and is not a directory, or cannot be created
     */
    public static RestoreTarget directory(Path dir) throws IOException {
        return directoryTarget(dir).open();
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

    /**
     * As {@link #directory(Path)}, which now restores owners as restic does.
     *
     * @deprecated use {@link #directory(Path)}
     */
    @Deprecated
    public static RestoreTarget directoryWithOwners(Path dir) throws IOException {
        return directory(dir);
    }

    /** A builder for a directory target with other options than restic's defaults. */
    public static DirectoryTargetBuilder directoryTarget(Path dir) {
        return new DirectoryTargetBuilder(Objects.requireNonNull(dir, "dir"));
    }

    /** Options of a directory target; each may be set once. Not thread-safe. */
    public static final class DirectoryTargetBuilder {
        private final Path dir;
        private boolean owners = true;
        private boolean sparse;
        private final java.util.Set<String> set = new java.util.HashSet<>();

        private DirectoryTargetBuilder(Path dir) {
            this.dir = dir;
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /**
         * Whether to restore numeric owners and groups (default true, as restic: always as root; otherwise only
         * for the process's own files, and refusals are ignored).
         */
        public DirectoryTargetBuilder owners(boolean restore) {
            once("owners");
            this.owners = restore;
            return this;
        }

        /**
         * Whether to leave holes where a file's content is zeros (default false; restic 0.15's {@code --sparse}):
         * a blob that is all zeros is not written, so the file takes no disk space for it.
         */
        public DirectoryTargetBuilder sparse(boolean holes) {
            once("sparse");
            this.sparse = holes;
            return this;
        }

        /** Creates the directory if missing and returns the target. */
        public RestoreTarget open() throws IOException {
            return new DirectoryTarget(dir, owners, sparse);
        }
    }

    /**
     * A tar stream (POSIX ustar with PAX headers for long names and precise times). Closing the target writes the
     * end-of-archive marker and closes {@code out}. Files are staged in temporary files while their blobs arrive.
     */
    public static RestoreTarget tar(OutputStream out) {
        return new TarTarget(Objects.requireNonNull(out, "out"));
    }
}
