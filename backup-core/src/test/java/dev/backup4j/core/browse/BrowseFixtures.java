package dev.backup4j.core.browse;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.ForwardingBackend;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-made trees and snapshots for the browse tests. */
final class BrowseFixtures {
    static final String PASSWORD = "browse-tests";
    static final OffsetDateTime T0 = OffsetDateTime.of(2024, 3, 1, 2, 0, 0, 0, ZoneOffset.UTC);

    private BrowseFixtures() {
    }

    static Repository.Opener opener(Backend backend) {
        return Repository.at(backend).password(PASSWORD).kdf(KdfParams.insecureFastForTests()).packSize(64 * 1024)
                .hostname("test-host");
    }

    /** Stores each piece as one data blob. */
    static List<Id> blobs(Repository repo, byte[]... pieces) throws IOException {
        List<Id> ids = new ArrayList<>();
        for (byte[] p : pieces) {
            ids.add(repo.saveBlob(BlobType.DATA, p, 0, p.length));
        }
        return ids;
    }

    static Node.Builder fileNode(Repository repo, String name, String... pieces) throws IOException {
        byte[][] b = new byte[pieces.length][];
        long size = 0;
        for (int i = 0; i < pieces.length; i++) {
            b[i] = pieces[i].getBytes(StandardCharsets.UTF_8);
            size += b[i].length;
        }
        return Node.builder(name, NodeType.FILE).unixMode(0644).mtime(T0).atime(T0).ctime(T0).size(size)
                .content(blobs(repo, b));
    }

    static Node file(Repository repo, String name, String... pieces) throws IOException {
        return fileNode(repo, name, pieces).build();
    }

    static Node dir(Repository repo, String name, Node... children) throws IOException {
        Id sub = repo.saveTree(new Tree(List.of(children)));
        return Node.builder(name, NodeType.DIR).unixMode(0755).mtime(T0).atime(T0).ctime(T0).subtree(sub).build();
    }

    static Node symlink(String name, String target) {
        return Node.builder(name, NodeType.SYMLINK).unixMode(0777).mtime(T0).atime(T0).ctime(T0)
                .linkTarget(target).build();
    }

    /** Saves a snapshot whose root holds {@code nodes}. */
    static Snapshot snapshot(Repository repo, OffsetDateTime time, Node... nodes) throws IOException {
        Id root = repo.saveTree(new Tree(List.of(nodes)));
        repo.flush();
        return repo.saveSnapshot(new Snapshot(Optional.empty(), time, root, Optional.empty(), List.of("/"),
                "test-host", "tester", 0, 0, List.of(), List.of(), Optional.empty()));
    }

    /** Counts reads of pack files, to see how much a stream loads. */
    static final class CountingBackend extends ForwardingBackend {
        final AtomicInteger packReads = new AtomicInteger();

        CountingBackend(Backend inner) {
            super(inner);
        }

        @Override
        public byte[] read(Handle handle, long offset, int length) throws IOException {
            if (handle.type() == FileType.PACK) {
                packReads.incrementAndGet();
            }
            return super.read(handle, offset, length);
        }
    }
}
