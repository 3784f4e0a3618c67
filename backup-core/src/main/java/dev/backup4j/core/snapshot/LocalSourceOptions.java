package dev.backup4j.core.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a local directory is read: exclusions, marker files, caches, file system boundaries, symlinks. Immutable;
 * make one with {@link #builder()}.
 *
 * <pre>{@code
 * LocalSourceOptions o = LocalSourceOptions.builder().exclude("*.tmp").excludeIfPresent(".nobackup")
 *         .excludeCaches().oneFileSystem().build();
 * SnapshotSource src = SnapshotSources.directory(Path.of("/var/www/lms"), o);
 * }</pre>
 *
 * @param excludes entries to leave out (see {@link PathFilter})
 * @param excludeIfPresent marker file names: a directory holding one is left out entirely
 * @param excludeCaches leave out directories holding a valid {@code CACHEDIR.TAG}
 * @param oneFileSystem do not descend into directories on another file system (mount points)
 * @param followSymlinks store what symlinks point to instead of the links (loops are detected and reported)
 */
public record LocalSourceOptions(PathFilter excludes, List<String> excludeIfPresent, boolean excludeCaches,
        boolean oneFileSystem, boolean followSymlinks) {

    /** The CACHEDIR.TAG signature (bford.info/cachedir). */
    public static final String CACHEDIR_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55";

    /** Checks and copies the fields. */
    public LocalSourceOptions {
        Objects.requireNonNull(excludes, "excludes");
        excludeIfPresent = List.copyOf(excludeIfPresent);
    }

    /** Nothing excluded, symlinks kept as links, crossing file systems. */
    public static LocalSourceOptions defaults() {
        return new LocalSourceOptions(PathFilter.none(), List.of(), false, false, false);
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link LocalSourceOptions}. */
    public static final class Builder {
        private final List<String> excludes = new ArrayList<>();
        private final List<String> markers = new ArrayList<>();
        private boolean caches;
        private boolean oneFs;
        private boolean follow;

        private Builder() {
        }

        /** Leaves out entries matching a glob. */
        public Builder exclude(String glob) {
            excludes.add(Objects.requireNonNull(glob, "glob"));
            return this;
        }

        /** Leaves out entries matching any of the globs. */
        public Builder excludeAll(List<String> globs) {
            globs.forEach(this::exclude);
            return this;
        }

        /** Leaves out directories that contain a file with this name (e.g. {@code .nobackup}). */
        public Builder excludeIfPresent(String markerName) {
            if (Objects.requireNonNull(markerName, "markerName").isEmpty() || markerName.contains("/")) {
                throw new IllegalArgumentException("a marker is a plain file name: '" + markerName + "'");
            }
            markers.add(markerName);
            return this;
        }

        /** Leaves out cache directories marked with a valid {@code CACHEDIR.TAG}. */
        public Builder excludeCaches() {
            caches = true;
            return this;
        }

        /** Stays on the file system of the source's root. */
        public Builder oneFileSystem() {
            oneFs = true;
            return this;
        }

        /** Follows symlinks instead of storing them. */
        public Builder followSymlinks() {
            follow = true;
            return this;
        }

        /** The options. */
        public LocalSourceOptions build() {
            return new LocalSourceOptions(PathFilter.of(excludes), markers, caches, oneFs, follow);
        }
    }
}
