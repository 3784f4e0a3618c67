package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.ForwardingBackend;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.index.IndexFile;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackedBlob;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.testing.TempDirs;
import dev.backup4j.core.testing.TestSources;
import dev.backup4j.core.testing.TreeDigest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup's directory cache: a backup that reuses directories from it stores exactly the trees a backup without it
 * stores, and the cache is left unused whenever it could be wrong (index replaced, settings changed, damaged file).
 */
class DirCacheTest {
    @TempDir
    Path tmp;

    /** Counts reads of pack files: a backup that reuses every directory from the cache loads no parent tree. */
    static final class CountingBackend extends ForwardingBackend {
        final AtomicInteger packReads = new AtomicInteger();

        CountingBackend(Backend b) {
            super(b);
        }

        @Override
        public byte[] read(Handle h, long offset, int length) throws IOException {
            if (h.type() == FileType.PACK) {
                packReads.incrementAndGet();
            }
            return super.read(h, offset, length);
        }
    }

    private static Repository.Opener opener(Backend b, Path cache) {
        Repository.Opener o = Repository.at(b).password("pw").kdf(KdfParams.insecureFastForTests())
                .packSize(256 * 1024).hostname("h");
        return cache == null ? o : o.cacheDir(cache);
    }

    private static void write(Path p, String s) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }

    /** The tree id stored for local directory {@code dir} in the latest snapshot. */
    private static Id treeAt(Repository repo, Path dir) throws IOException {
        Id tree = repo.snapshot("latest").tree();
        for (Path part : dir.toAbsolutePath()) {
            Node n = repo.loadTree(tree).nodes().stream().filter(x -> x.name().equals(part.toString())).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + part + " on the way to " + dir));
            tree = n.subtree().orElseThrow();
        }
        return tree;
    }

    /**
     * Moves the access time of every entry not read since its last change past its modification time. Under relatime
     * the first read (or listing) after a change moves the access time, which the node records; an entry created in
     * the same clock tick as the backup that first reads it would otherwise show a new access time to the next
     * backup, and its directory would change, with or without the cache.
     */
    private static void settle(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
                if (attrs.lastAccessTime().compareTo(attrs.lastModifiedTime()) <= 0) {
                    Files.getFileAttributeView(p, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(null,
                            FileTime.from(attrs.lastModifiedTime().toInstant().plusSeconds(1)), null);
                }
            }
        }
    }

    private static Path sample(Path src) throws IOException {
        write(src.resolve("a.txt"), "alpha");
        write(src.resolve("docs/b.txt"), "bravo");
        write(src.resolve("docs/deep/c.txt"), "charlie");
        write(src.resolve("docs/deep/deeper/d.log"), "delta");
        write(src.resolve("media/e.bin"), "echo".repeat(10_000));
        Files.createDirectories(src.resolve("empty"));
        settle(src);
        return src;
    }

    @Test
    void anUnchangedTreeIsReusedWithoutLoadingParentTreesAndEqualsAFullComparison() throws Exception {
        Path src = sample(tmp.resolve("src"));
        Path cache = tmp.resolve("cache");
        CountingBackend b = new CountingBackend(Backends.local(tmp.resolve("repo")));
        try (Repository repo = opener(b, cache).init()) {
            repo.backup().path(src).run();
        }
        assertTrue(Files.isDirectory(cache), "the first backup wrote the cache");
        Id cached;
        try (Repository repo = opener(b, cache).open()) {
            b.packReads.set(0);
            BackupResult r = repo.backup().path(src).run();
            assertEquals(0, b.packReads.get(), "no parent tree was loaded");
            assertEquals(5, r.filesUnmodified());
            assertEquals(0, r.filesNew() + r.filesChanged());
            assertEquals(0, r.bytesRead());
            cached = treeAt(repo, src);
        }
        try (Repository repo = opener(b, null).open()) {
            b.packReads.set(0);
            repo.backup().path(src).run();
            assertTrue(b.packReads.get() > 0, "without a cache the parent trees are compared");
            assertEquals(cached, treeAt(repo, src));
        }
    }

    @Test
    void randomEditsGiveTheTreesOfABackupWithoutTheCache() {
        qt().withExamples(20).forAll(longs().all())
                .checkAssert(seed -> TempDirs.inTempDir("dircache", dir -> randomEdits(seed, dir)));
    }

    private static void randomEdits(long seed, Path dir) throws IOException {
        Random rnd = new Random(seed);
        Path src = dir.resolve("src");
        List<Path> files = new ArrayList<>();
        for (int i = 0, n = 1 + rnd.nextInt(25); i < n; i++) {
            Path d = src;
            for (int depth = rnd.nextInt(4); depth > 0; depth--) {
                d = d.resolve("d" + rnd.nextInt(3));
            }
            Path f = d.resolve("f" + i);
            write(f, "x".repeat(rnd.nextInt(3000)) + seed);
            files.add(f);
        }
        settle(src);
        Path cache = dir.resolve("cache");
        Backend b = Backends.local(dir.resolve("repo"));
        try (Repository repo = opener(b, cache).init()) {
            repo.backup().path(src).run();
        }
        long t = 1_500_000_000_000L;
        for (Path f : files) {
            switch (rnd.nextInt(8)) {
                case 0 -> { // new content, same size, a later mtime
                    byte[] old = Files.readAllBytes(f);
                    if (old.length > 0) {
                        old[rnd.nextInt(old.length)] ^= 1;
                    }
                    Files.write(f, old);
                    Files.setLastModifiedTime(f, FileTime.fromMillis(t + rnd.nextInt(1_000_000)));
                }
                case 1 -> Files.delete(f);
                case 2 -> Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
                case 3 -> write(f.resolveSibling("new-" + f.getFileName()), "added " + rnd.nextInt());
                case 4 -> Files.move(f, f.resolveSibling("renamed-" + f.getFileName()));
                case 5 -> write(f.getParent().resolve("sub" + rnd.nextInt(2)).resolve("n" + rnd.nextInt(9)), "n");
                default -> {
                    // unchanged
                }
            }
        }
        settle(src);
        Id withCache;
        try (Repository repo = opener(b, cache).open()) {
            repo.backup().path(src).run();
            withCache = treeAt(repo, src);
            Path out = dir.resolve("out");
            repo.restore("latest").target(out).run();
            assertEquals(TreeDigest.of(src), TreeDigest.of(out.resolve(src.toString().substring(1))), "seed " + seed);
        }
        // without the cache, every entry is compared with the snapshot just made: it must have recorded each one as
        // it is now (and the restore above shows the contents are right)
        try (Repository repo = opener(b, null).open()) {
            BackupResult r = repo.backup().path(src).run();
            assertEquals(0, r.filesNew() + r.filesChanged(), "seed " + seed);
            assertEquals(withCache, treeAt(repo, src), "seed " + seed);
        }
    }

    @Test
    void aReplacedIndexLeavesTheCacheUnusedSoLostBlobsAreStoredAgain() throws Exception {
        Path src = sample(tmp.resolve("src"));
        Path cache = tmp.resolve("cache");
        Path repoDir = tmp.resolve("repo");
        CountingBackend b = new CountingBackend(Backends.local(repoDir));
        try (Repository repo = opener(b, cache).init()) {
            repo.backup().path(src).run();
        }
        // as after lost packs and an index repair: the data packs are gone and a new index lists the tree packs only
        try (Repository repo = opener(b, null).open()) {
            Map<Id, List<PackedBlob>> treePacks = new LinkedHashMap<>();
            List<Id> old = new ArrayList<>();
            for (FileInfo f : b.list(FileType.INDEX)) {
                old.add(Id.parse(f.name()));
                Handle h = new Handle(FileType.INDEX, f.name());
                for (Map.Entry<Id, List<PackedBlob>> p : IndexFile.parse(repo.loadJson(h), f.name()).packs().entrySet()) {
                    if (p.getValue().stream().allMatch(x -> x.type() == BlobType.TREE)) {
                        treePacks.put(p.getKey(), p.getValue());
                    } else {
                        b.delete(Handle.of(FileType.PACK, p.getKey()));
                    }
                }
            }
            repo.saveJson(FileType.INDEX, new IndexFile(treePacks, old).toJson());
            for (Id id : old) {
                b.delete(Handle.of(FileType.INDEX, id));
            }
        }
        try (Repository repo = opener(b, cache).open()) {
            b.packReads.set(0);
            BackupResult r = repo.backup().path(src).run();
            assertTrue(b.packReads.get() > 0, "the parent trees were compared, not taken from the cache");
            assertEquals(5, r.filesChanged(), "every file whose data left the index was read again");
            Path out = tmp.resolve("out");
            repo.restore("latest").target(out).run();
            assertEquals(TreeDigest.of(src), TreeDigest.of(out.resolve(src.toString().substring(1))));
        }
    }

    @Test
    void aDamagedCacheFileIsIgnored() throws Exception {
        Path src = sample(tmp.resolve("src"));
        Path cache = tmp.resolve("cache");
        CountingBackend b = new CountingBackend(Backends.local(tmp.resolve("repo")));
        try (Repository repo = opener(b, cache).init()) {
            repo.backup().path(src).run();
        }
        List<Path> cacheFiles;
        try (Stream<Path> s = Files.walk(cache)) {
            cacheFiles = s.filter(Files::isRegularFile).toList();
        }
        assertEquals(1, cacheFiles.size());
        byte[] bytes = Files.readAllBytes(cacheFiles.get(0));
        bytes[bytes.length / 2] ^= 1;
        Files.write(cacheFiles.get(0), bytes);
        try (Repository repo = opener(b, cache).open()) {
            b.packReads.set(0);
            BackupResult r = repo.backup().path(src).run();
            assertTrue(b.packReads.get() > 0, "the parent trees were compared instead");
            assertEquals(5, r.filesUnmodified());
        }
    }

    @Test
    void changedExcludesLeaveTheCacheUnused() throws Exception {
        Path src = sample(tmp.resolve("src"));
        Path cache = tmp.resolve("cache");
        Backend b = Backends.local(tmp.resolve("repo"));
        try (Repository repo = opener(b, cache).init()) {
            repo.backup().path(src).run();
        }
        try (Repository repo = opener(b, cache).open()) {
            BackupResult r = repo.backup().path(src).exclude("*.log").run();
            assertEquals(4, r.files());
            Id deeper = treeAt(repo, src.resolve("docs/deep/deeper"));
            assertTrue(repo.loadTree(deeper).nodes().isEmpty(), "the excluded file is not in the snapshot");
        }
    }

    /** A directory whose file "flaky.db" cannot be read the first time it is opened; its metadata never changes. */
    private static SnapshotSource withFlakyFile(Path dir, AtomicInteger opens) {
        SnapshotSource real = SnapshotSources.directory(dir);
        OffsetDateTime t = OffsetDateTime.parse("2024-01-01T00:00:00Z");
        SourceEntry flaky = new SourceEntry() {
            @Override
            public Node metadata() {
                return Node.builder("flaky.db", NodeType.FILE).unixMode(0600).mtime(t).atime(t).ctime(t).size(4)
                        .build();
            }

            @Override
            public List<SourceEntry> children() {
                throw new UnsupportedOperationException();
            }

            @Override
            public InputStream open() throws IOException {
                if (opens.getAndIncrement() == 0) {
                    throw new IOException("device busy");
                }
                return new ByteArrayInputStream("data".getBytes(StandardCharsets.US_ASCII));
            }
        };
        return TestSources.withExtraEntry(real, flaky);
    }

    @Test
    void aDirectoryWithAnEntryThatFailedIsComparedAgainSoTheEntryIsBackedUpLater() throws Exception {
        Path src = tmp.resolve("src");
        write(src.resolve("ok.txt"), "fine");
        settle(src);
        Path cache = tmp.resolve("cache");
        Backend b = Backends.local(tmp.resolve("repo"));
        AtomicInteger opens = new AtomicInteger();
        try (Repository repo = opener(b, cache).init()) {
            BackupResult r = repo.backup().source(withFlakyFile(src, opens)).run();
            assertEquals(1, r.errors().size());
        }
        try (Repository repo = opener(b, cache).open()) {
            BackupResult r = repo.backup().source(withFlakyFile(src, opens)).run();
            assertFalse(r.incomplete());
            assertEquals(1, r.filesNew(), "flaky.db is read now");
            assertTrue(repo.loadTree(treeAt(repo, src)).nodes().stream().anyMatch(n -> n.name().equals("flaky.db")));
        }
    }

    @Test
    void cacheFilesOfOlderSnapshotsAreRemoved() throws Exception {
        Path src = sample(tmp.resolve("src"));
        Path cache = tmp.resolve("cache");
        Backend b = Backends.local(tmp.resolve("repo"));
        List<String> names = new ArrayList<>();
        try (Repository repo = opener(b, cache).init()) {
            for (int i = 0; i < 3; i++) {
                names.add(repo.backup().path(src).run().snapshot().requireId().toString());
            }
        }
        try (Stream<Path> s = Files.walk(cache)) {
            List<String> left = s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
            assertEquals(List.of(names.get(2)), left, "only the latest snapshot's cache is kept");
        }
        assertNotEquals(names.get(0), names.get(2));
    }
}
