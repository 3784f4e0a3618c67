package dev.backup4j.core;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a snapshot into a directory, as {@code restic restore} does: each entry lands at
 * {@code target + its snapshot path}. Obtained from {@link Repository#restore(String)}.
 *
 * <p>Safety: entry names that could escape the target ({@code ..}, {@code .}, empty, containing '/' or NUL) are
 * refused with {@link CorruptDataException}; symlinks already in the target are replaced, never followed; file
 * content goes to a temporary name and is renamed into place only when complete and verified (every blob's SHA-256
 * is checked). A damaged blob fails only the files that use it; the result lists them.
 *
 * <pre>{@code
 * RestoreResult r = repo.restore("latest").target(Path.of("/tmp/restore")).include("/var/www/lms/courses/42").run();
 * }</pre>
 */
public final class RestoreCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreCommand.class);

    private final Repository repo;
    private final String selector;
    private Path target;
    private final List<String> includes = new ArrayList<>();
    private boolean ran;

    RestoreCommand(Repository repo, String selector) {
        this.repo = repo;
        this.selector = selector;
    }

    /** The directory to restore into (created if missing). Required. */
    public RestoreCommand target(Path target) {
        if (this.target != null) {
            throw new IllegalStateException("target was already set");
        }
        this.target = Objects.requireNonNull(target, "target").toAbsolutePath().normalize();
        return this;
    }

    /** Restores only entries matching the glob (and what is below them); may be given several times. */
    public RestoreCommand include(String glob) {
        includes.add(Objects.requireNonNull(glob, "glob"));
        return this;
    }

    /**
     * Restores the snapshot.
     *
     * @throws IllegalStateException if no target was set or run twice
     * @throws CorruptDataException if a tree is damaged or holds a name that could escape the target
     */
    public RestoreResult run() throws IOException {
        if (target == null) {
            throw new IllegalStateException("set a target(...) directory first");
        }
        if (ran) {
            throw new IllegalStateException("a RestoreCommand runs once");
        }
        ran = true;
        Instant start = repo.clock().instant();
        Snapshot snap = repo.snapshot(selector);
        Files.createDirectories(target);
        Run run = new Run(snap, PathFilter.of(includes));
        Dir root = new Dir(target, null, null);
        root.created = true;
        run.restoreTree(snap.tree(), root, "");
        return new RestoreResult(snap, run.files, run.dirs, run.others, run.bytes,
                Duration.between(start, repo.clock().instant()), run.errors);
    }

    /** A directory of the target, created only when something inside it is restored. */
    private static final class Dir {
        final Path path;
        final Node node;
        final Dir parent;
        boolean created;

        Dir(Path path, Node node, Dir parent) {
            this.path = path;
            this.node = node;
            this.parent = parent;
        }
    }

    private final class Run {
        final Snapshot snap;
        final PathFilter filter;
        long files;
        long dirs;
        long others;
        long bytes;
        final List<RestoreResult.RestoreError> errors = new ArrayList<>();

        Run(Snapshot snap, PathFilter filter) {
            this.snap = snap;
            this.filter = filter;
        }

        void restoreTree(Id treeId, Dir dir, String snapPath) throws IOException {
            Tree tree = repo.loadTree(treeId);
            for (Node n : tree.nodes()) {
                String name = n.name();
                String p = snapPath + "/" + name;
                if (!BackupCommand.validName(name)) {
                    throw new CorruptDataException("snapshot " + snap.requireId().shortString()
                            + " holds an unsafe entry name '" + name.replace("\0", "\\0") + "' in '"
                            + (snapPath.isEmpty() ? "/" : snapPath) + "'; refusing to restore it");
                }
                Path dest = dir.path.resolve(name);
                if (!dest.normalize().startsWith(target) || !dest.getParent().equals(dir.path)) {
                    throw new CorruptDataException("snapshot " + snap.requireId().shortString() + ": entry '" + p
                            + "' would be written outside the target");
                }
                boolean selected = filter.isEmpty() || filter.matchesOrUnder(p);
                switch (n.type()) {
                    case DIR -> {
                        Dir sub = new Dir(dest, n, dir);
                        if (selected) {
                            ensure(sub);
                        }
                        Id subtree = n.subtree().orElseThrow(() -> new CorruptDataException(
                                "snapshot " + snap.requireId().shortString() + ": directory " + p + " has no subtree"));
                        restoreTree(subtree, sub, p);
                        if (sub.created) {
                            applyMetadata(dest, n);
                            dirs++;
                        }
                    }
                    case FILE -> {
                        if (selected) {
                            ensure(dir);
                            restoreFile(dest, n, p);
                        }
                    }
                    case SYMLINK -> {
                        if (selected) {
                            ensure(dir);
                            removeNonDirectory(dest);
                            Files.createSymbolicLink(dest, Path.of(n.linkTarget()));
                            setTimes(dest, n);
                            others++;
                        }
                    }
                    default -> {
                        if (selected) {
                            LOG.info("not restoring special file {} ({})", p, n.type());
                        }
                    }
                }
            }
        }

        private void ensure(Dir d) throws IOException {
            if (d.created) {
                return;
            }
            ensure(d.parent);
            if (Files.isSymbolicLink(d.path) || (Files.exists(d.path, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(d.path, LinkOption.NOFOLLOW_LINKS))) {
                Files.delete(d.path); // never write through a symlink planted in the target
            }
            if (!Files.isDirectory(d.path, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(d.path);
            }
            d.created = true;
        }

        private void removeNonDirectory(Path dest) throws IOException {
            if (Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dest + " is a directory in the target; not replacing it");
            }
            Files.deleteIfExists(dest);
        }

        private void restoreFile(Path dest, Node n, String p) throws IOException {
            Path tmp = dest.resolveSibling("." + dest.getFileName() + ".backup4j-restore");
            Files.deleteIfExists(tmp);
            long written = 0;
            try {
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    for (Id blob : n.content()) {
                        byte[] data = repo.loadBlob(BlobType.DATA, blob);
                        out.write(data);
                        written += data.length;
                    }
                }
                if (written != n.size()) {
                    throw new CorruptDataException("restored " + written + " bytes but the snapshot says " + n.size());
                }
                removeNonDirectory(dest);
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (CorruptDataException e) {
                Files.deleteIfExists(tmp);
                LOG.warn("cannot restore {}: {}", p, e.getMessage());
                errors.add(new RestoreResult.RestoreError(p, e.getMessage()));
                return;
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            applyMetadata(dest, n);
            files++;
            bytes += written;
        }

        private void applyMetadata(Path dest, Node n) throws IOException {
            setPermissions(dest, n.permissions());
            setTimes(dest, n);
        }

        private void setPermissions(Path dest, int perms) throws IOException {
            try {
                Files.setAttribute(dest, "unix:mode", perms, LinkOption.NOFOLLOW_LINKS);
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
                PosixFilePermission[] all = PosixFilePermission.values();
                for (int i = 0; i < 9; i++) {
                    if ((perms & (1 << (8 - i))) != 0) {
                        set.add(all[i]);
                    }
                }
                Files.setPosixFilePermissions(dest, set);
            }
        }

        private void setTimes(Path dest, Node n) {
            try {
                Files.getFileAttributeView(dest, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(FileTime.from(n.mtime().toInstant()), FileTime.from(n.atime().toInstant()), null);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debug("cannot set times of {}: {}", dest, e.getMessage());
            }
        }
    }
}
