package dev.backup4j.core.restore;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.NoSuchPathException;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.repository.OpenRepository;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes one entry of a snapshot to a stream, as {@code restic dump SNAPSHOT PATH}: a file's content as is; a
 * directory (or {@code /} for the whole snapshot) as a tar archive of what is below it. Every blob is verified before
 * it is written; since a stream cannot be taken back, a damaged blob stops the dump with an exception after the
 * bytes before it.
 *
 * <pre>{@code
 * try (OutputStream out = Files.newOutputStream(Path.of("grades.csv"))) {
 *     SnapshotDump.write(repo, SnapshotSelector.latest(), "/srv/lms/course42/grades.csv", out);
 * }
 * }</pre>
 */
public final class SnapshotDump {
    private SnapshotDump() {
    }

    /**
     * Dumps {@code path} of the chosen snapshot to {@code out} (which is flushed, not closed), under a shared lock.
     *
     * @return the kind of entry dumped: {@link NodeType#FILE} (raw content) or {@link NodeType#DIR} (a tar)
     * @throws NoSuchPathException if the path is not in the snapshot, or is neither a file nor a directory
     * @throws CorruptDataException if a blob is damaged
     */
    public static NodeType write(OpenRepository repo, SnapshotSelector selector, String path, OutputStream out)
            throws IOException {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(out, "out");
        try (dev.backup4j.core.maintenance.OperationLock lock = dev.backup4j.core.maintenance.OperationLock.shared(
                repo, java.util.Optional.empty())) {
            lock.confirm(); // before anything is written to out
            return writeLocked(repo, selector, path, out, lock.lock().orElseThrow());
        }
    }

    private static NodeType writeLocked(OpenRepository repo, SnapshotSelector selector, String path, OutputStream out,
            dev.backup4j.core.maintenance.RepositoryLock lock) throws IOException {
        Snapshot snap = selector.select(repo.snapshots()).snapshot();
        String p = path.startsWith("/") ? path : "/" + path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        Node node = p.equals("/") ? null : find(repo, snap, p);
        if (node != null && node.type() == NodeType.FILE) {
            for (Id id : node.content()) {
                out.write(repo.loadBlob(BlobType.DATA, id));
            }
            out.flush();
            return NodeType.FILE;
        }
        if (node != null && node.type() != NodeType.DIR) {
            throw new NoSuchPathException(p, p + " is a " + node.type()
                    + "; only files and directories can be dumped");
        }
        RestoreTarget tar = RestoreTargets.tar(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush(); // the caller's stream stays open
            }
        });
        RestoreReport r;
        try (tar) {
            RestorePlanner planner = RestorePlanner.of(repo, SnapshotSelector.id(snap.requireId().toString()));
            if (!p.equals("/")) {
                planner.subPath(p);
            }
            planner.lock(lock);
            r = RestoreExecutor.of(repo).threads(1).lock(lock).execute(planner.plan(tar), tar);
        }
        if (!r.complete()) {
            throw new CorruptDataException(r.errors().size() + " entries could not be dumped, first "
                    + r.errors().get(0).path() + ": " + r.errors().get(0).message());
        }
        return NodeType.DIR;
    }

    private static Node find(OpenRepository repo, Snapshot snap, String path) throws IOException {
        Id tree = snap.tree();
        Node found = null;
        String where = "";
        for (String c : path.substring(1).split("/")) {
            if (found != null) {
                if (found.type() != NodeType.DIR || found.subtree().isEmpty()) {
                    throw new NoSuchPathException(path, "snapshot " + snap.requireId().shortString() + ": " + where
                            + " is not a directory");
                }
                tree = found.subtree().get();
            }
            Tree t = repo.loadTree(tree);
            String at = where;
            found = t.find(c).orElseThrow(() -> new NoSuchPathException(path, "snapshot "
                    + snap.requireId().shortString() + " has no '" + c + "' in '" + (at.isEmpty() ? "/" : at) + "'"));
            where = where + "/" + c;
        }
        return found;
    }
}
