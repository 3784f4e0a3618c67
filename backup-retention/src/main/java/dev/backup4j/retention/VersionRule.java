package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.util.Objects;

/**
 * A rule that keeps at least {@code n} versions of each file under a path (policy B's "5 versions per file"), in
 * each group. A version is a distinct content of a path, as {@link SnapshotFiles} tells it; the rule keeps, for every
 * path, the newest snapshot holding each of the path's {@code n} most recent distinct contents (most recent: ordered
 * by the newest snapshot that holds them).
 *
 * <p>Walking a group newest first, as the count rules do: a snapshot is kept when, for some path below
 * {@link #under()}, it holds a content not seen in a newer snapshot while fewer than {@code n} contents of that path
 * were seen. So a file edited A, B, then back to A counts two versions, and the one snapshot kept for A is the newest
 * holding it; a file that never changes keeps only the newest snapshot that has it. Ties (equal times) follow the
 * policy's order: the smaller id counts as newer. Paths that appear and disappear are counted over the snapshots that
 * hold them. The reason of a kept snapshot is the rule's name, once, however many files it keeps a version of.
 *
 * <pre>{@code
 * SnapshotFiles files = (s, under) -> java.util.Map.of();   // from backup-ops: FileCatalog.of(repo)
 * RetentionPolicy b = RetentionPresets.daily7Weekly4FirstOfMonth3(ZoneId.of("UTC")).toBuilder()
 *     .keep(VersionRule.keepVersions(5, files).under("/srv/app"))
 *     .build();
 * }</pre>
 */
public final class VersionRule {
    private final int versions;
    private final SnapshotFiles files;
    private final String under;

    private VersionRule(int versions, SnapshotFiles files, String under) {
        this.versions = versions;
        this.files = files;
        this.under = under;
    }

    /**
     * Keeps the {@code n} most recent distinct versions of every file (below "/" until {@link #under} narrows it).
     *
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public static VersionRule keepVersions(int n, SnapshotFiles files) {
        if (n < 1) {
            throw new IllegalArgumentException("keep at least 1 version per file, got " + n);
        }
        return new VersionRule(n, requireNonNull(files, "files"), "/");
    }

    /**
     * This rule for the files at or below {@code path} only.
     *
     * @throws IllegalArgumentException if {@code path} does not start with '/'
     */
    public VersionRule under(String path) {
        requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("an absolute snapshot path is needed, starting with '/': " + path);
        }
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return new VersionRule(versions, files, p);
    }

    /** How many versions of each file are kept. */
    public int versions() {
        return versions;
    }

    /** The path whose files are counted ("/" for all). */
    public String under() {
        return under;
    }

    /** Where the files of a snapshot come from. */
    public SnapshotFiles files() {
        return files;
    }

    /** Whether {@code path} is {@link #under()} or below it. */
    boolean covers(String path) {
        return under.equals("/") || path.equals(under) || path.startsWith(under + "/");
    }

    /** For example {@code 5 versions of each file under /srv/app}; also the reason of the snapshots it keeps. */
    public String describe() {
        return versions + (versions == 1 ? " version" : " versions") + " of each file under " + under;
    }

    /** Equal when the count and path are equal and the file source is the same object. */
    @Override
    public boolean equals(Object o) {
        return o instanceof VersionRule r && r.versions == versions && r.under.equals(under) && r.files == files;
    }

    @Override
    public int hashCode() {
        return Objects.hash(versions, under, System.identityHashCode(files));
    }

    @Override
    public String toString() {
        return describe();
    }
}
