package dev.backup4j.core.restore;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Repositories and hand-made snapshots for the restore tests. */
final class Fixtures {
    static final String PASSWORD = "restore-tests";
    static final OffsetDateTime T0 = OffsetDateTime.of(2024, 3, 1, 2, 0, 0, 0, ZoneOffset.UTC);

    private Fixtures() {
    }

    static Repository.Opener opener(Path repoDir) {
        return opener(Backends.local(repoDir));
    }

    static Repository.Opener opener(Backend backend) {
        return Repository.at(backend).password(PASSWORD).kdf(KdfParams.insecureFastForTests()).packSize(64 * 1024)
                .hostname("test-host");
    }

    /** A file node whose content is stored as blobs of the given pieces. */
    static Node file(Repository repo, String name, String... pieces) throws IOException {
        List<Id> ids = new java.util.ArrayList<>();
        long size = 0;
        for (String p : pieces) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            ids.add(repo.saveBlob(BlobType.DATA, b, 0, b.length));
            size += b.length;
        }
        return Node.builder(name, NodeType.FILE).unixMode(0644).mtime(T0).atime(T0).ctime(T0).size(size)
                .content(ids).build();
    }

    static Node dir(Repository repo, String name, Node... children) throws IOException {
        Id sub = repo.saveTree(new Tree(List.of(children)));
        return Node.builder(name, NodeType.DIR).unixMode(0755).mtime(T0).atime(T0).ctime(T0).subtree(sub).build();
    }

    /** Saves a snapshot whose root holds {@code nodes}, at {@code time}. */
    static Snapshot snapshot(Repository repo, OffsetDateTime time, Node... nodes) throws IOException {
        Id root = repo.saveTree(new Tree(List.of(nodes)));
        repo.flush();
        return repo.saveSnapshot(new Snapshot(Optional.empty(), time, root, Optional.empty(), List.of("/"),
                "test-host", "tester", 0, 0, List.of(), List.of(), Optional.empty()));
    }

    /** A backend that fails reads of pack files after {@code okReads} of them succeeded (a transient fault). */
    static final class FailingReads extends dev.backup4j.core.backend.ForwardingBackend {
        final AtomicInteger packReads = new AtomicInteger();
        volatile int okReads = Integer.MAX_VALUE;

        FailingReads(Backend inner) {
            super(inner);
        }

        @Override
        public byte[] read(Handle handle, long offset, int length) throws IOException {
            if (handle.type() == FileType.PACK && packReads.incrementAndGet() > okReads) {
                throw new IOException("injected fault reading " + handle);
            }
            return delegate().read(handle, offset, length);
        }

        @Override
        public boolean isPermanent(IOException e) {
            return false;
        }
    }
}
