package dev.backup4j.core.browse;

import static dev.backup4j.core.browse.BrowseFixtures.T0;
import static dev.backup4j.core.browse.BrowseFixtures.dir;
import static dev.backup4j.core.browse.BrowseFixtures.file;
import static dev.backup4j.core.browse.BrowseFixtures.symlink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Changes and statistics of restic's diff on two hand-made snapshots, counted by hand. */
class SnapshotDiffTest {
    private Repository repo;
    private Snapshot s1;
    private Snapshot s2;
    private Node changed1;
    private Node changed2;
    private Node olddir;
    private Node newdir;
    private Node newSub;

    @BeforeEach
    void setUp() throws IOException {
        repo = BrowseFixtures.opener(Backends.inMemory()).init();
        Node keep = file(repo, "keep.txt", "k");
        Node same = dir(repo, "same", file(repo, "s.txt", "s"));
        changed1 = dir(repo, "changed", file(repo, "inner.txt", "i1"));
        olddir = dir(repo, "olddir", file(repo, "o.txt", "o"));
        s1 = BrowseFixtures.snapshot(repo, T0, keep, file(repo, "mod.txt", "m1"), file(repo, "meta.txt", "t"),
                file(repo, "gone.txt", "g"), file(repo, "typ", "f"), same, changed1, olddir);
        changed2 = dir(repo, "changed", file(repo, "inner.txt", "i2"));
        newSub = dir(repo, "sub");
        newdir = dir(repo, "newdir", file(repo, "n.txt", "n"), newSub);
        Node meta = BrowseFixtures.fileNode(repo, "meta.txt", "t").unixMode(0600).build();
        s2 = BrowseFixtures.snapshot(repo, T0.plusDays(1), keep, file(repo, "mod.txt", "m2"), meta,
                symlink("typ", "keep.txt"), same, changed2, newdir, symlink("link", "/etc/hosts"));
    }

    private static List<String> lines(SnapshotDiff.Result r) {
        return r.changes().stream().map(c -> c.modifier() + " " + c.path()).toList();
    }

    @Test
    void listsChangesAsResticDiff() throws IOException {
        SnapshotDiff.Result r = SnapshotDiff.between(repo, s1, s2).run();
        assertEquals(List.of("M /changed/inner.txt", "- /gone.txt", "+ /link", "M /mod.txt", "+ /newdir/",
                "+ /newdir/n.txt", "+ /newdir/sub/", "- /olddir/", "- /olddir/o.txt", "T /typ"), lines(r));
    }

    @Test
    void metadataAddsUpdatedEntries() throws IOException {
        SnapshotDiff.Result r = SnapshotDiff.between(repo, s1, s2).metadata(true).run();
        assertEquals(List.of("U /changed/", "M /changed/inner.txt", "- /gone.txt", "+ /link", "U /meta.txt",
                "M /mod.txt", "+ /newdir/", "+ /newdir/n.txt", "+ /newdir/sub/", "- /olddir/", "- /olddir/o.txt",
                "TU /typ"), lines(r));
        assertEquals(EnumSet.of(SnapshotDiff.Modifier.TYPE, SnapshotDiff.Modifier.METADATA),
                r.changes().get(r.changes().size() - 1).modifiers());
    }

    @Test
    void countsEntriesAndBlobsOnEachSide() throws IOException {
        SnapshotDiff.Statistics st = SnapshotDiff.between(repo, s1, s2).run().statistics();
        assertEquals(2, st.changedFiles(), "mod.txt and changed/inner.txt");
        // removed: gone.txt, olddir/, olddir/o.txt; blobs only s1 has: its root, changed/ and olddir/ trees and
        // the data of gone.txt, mod.txt, typ, inner.txt and o.txt
        long removedBytes = size(BlobType.TREE, s1.tree(), changed1.subtree().get(), olddir.subtree().get())
                + "g".length() + "m1".length() + "f".length() + "i1".length() + "o".length();
        assertEquals(new SnapshotDiff.Counts(2, 1, 0, 5, 3, removedBytes), st.removed());
        // added: newdir/, n.txt, sub/, link; blobs only s2 has: its root, changed/, newdir/ and sub/ trees and
        // the data of mod.txt, inner.txt and n.txt (same/, keep.txt and meta.txt's data are common)
        long addedBytes = size(BlobType.TREE, s2.tree(), changed2.subtree().get(), newdir.subtree().get(),
                newSub.subtree().get()) + "m2".length() + "i2".length() + "n".length();
        assertEquals(new SnapshotDiff.Counts(1, 2, 1, 3, 4, addedBytes), st.added());
    }

    @Test
    void aSnapshotComparedWithItselfHasNoChanges() throws IOException {
        SnapshotDiff.Result r = SnapshotDiff.between(repo, s2, s2).metadata(true).run();
        assertEquals(List.of(), r.changes());
        assertEquals(new SnapshotDiff.Counts(0, 0, 0, 0, 0, 0), r.statistics().added());
        assertEquals(new SnapshotDiff.Counts(0, 0, 0, 0, 0, 0), r.statistics().removed());
        assertThrows(IllegalStateException.class, () -> SnapshotDiff.between(repo, s1, s2).metadata(true)
                .metadata(false));
    }

    private long size(BlobType type, Id... ids) throws IOException {
        long n = 0;
        for (Id id : ids) {
            n += repo.loadBlob(type, id).length;
        }
        return n;
    }
}
