package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A directory as it is before a restore, for planning only: what it holds, or nothing if it does not exist yet.
 * Creates nothing and refuses every write. Reached through {@link RestoreTargets#directoryView}.
 */
final class DirectoryView implements RestoreTarget {
    private final Path root;
    /** The directory's contents, if it exists; empty while it does not. */
    private final Optional<DirectoryTarget> existing;

    DirectoryView(Path dir) throws IOException {
        this.root = dir.toAbsolutePath().normalize();
        RestoreTargets.requireDirectoryOrNothing(root);
        // an existing directory is read through a directory target, which then creates nothing
        this.existing = Files.isDirectory(root) ? Optional.of(new DirectoryTarget(root, false, false)) : Optional.empty();
    }

    @Override
    public Optional<Existing> inspect(String path) throws IOException {
        return existing.isPresent() ? existing.get().inspect(path) : Optional.empty();
    }

    @Override
    public List<String> list(String path) throws IOException {
        return existing.isPresent() ? existing.get().list(path) : List.of();
    }

    @Override
    public InputStream read(String path) throws IOException {
        if (existing.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(root + path);
        }
        return existing.get().read(path);
    }

    @Override
    public void create(String path, Node node) throws IOException {
        throw planningOnly();
    }

    @Override
    public FileSink openFile(String path, Node node) throws IOException {
        throw planningOnly();
    }

    @Override
    public void delete(String path) throws IOException {
        throw planningOnly();
    }

    @Override
    public void finishDirectory(String path, Node node) throws IOException {
        throw planningOnly();
    }

    private IOException planningOnly() {
        return new IOException("the view of " + root + " is for planning only; restore into "
                + "RestoreTargets.directory(...)");
    }

    @Override
    public void close() {
        // nothing held open
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
