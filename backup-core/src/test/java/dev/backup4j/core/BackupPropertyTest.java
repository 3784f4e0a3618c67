package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.chunker.ChunkStream;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.testing.TempDirs;
import dev.backup4j.core.testing.TreeDigest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * For random trees and random edits between two backups: restoring the second snapshot gives the edited tree, and
 * the data bytes the second backup added are exactly those of the chunks that were new.
 */
class BackupPropertyTest {

    @Test
    void secondBackupRestoresTheEditedTreeAndAddsOnlyNewChunks() {
        qt().withExamples(25).forAll(longs().all())
                .checkAssert(seed -> TempDirs.inTempDir("prop", tmp -> check(seed, tmp)));
    }

    private static void check(long seed, Path tmp) throws IOException {
        Random rnd = new Random(seed);
        Path src = tmp.resolve("src");
        List<Path> files = new ArrayList<>();
        int n = 1 + rnd.nextInt(15);
        for (int i = 0; i < n; i++) {
            Path dir = src.resolve("d" + rnd.nextInt(3)).resolve(rnd.nextBoolean() ? "x" : "");
            Files.createDirectories(dir);
            Path f = dir.resolve("f" + i);
            Files.write(f, content(rnd));
            files.add(f);
        }
        Files.createDirectories(src);
        try (Repository repo = Repository.at(Backends.local(tmp.resolve("repo"))).password("p")
                .kdf(KdfParams.insecureFastForTests()).packSize(256 * 1024).init()) {
            repo.backup().path(src).workers(1 + rnd.nextInt(3)).run();

            // random edits: rewrite, append, delete, add; each edited file gets a new mtime as a later edit would
            for (Path f : files) {
                switch (rnd.nextInt(5)) {
                    case 0 -> Files.write(f, content(rnd));
                    case 1 -> Files.write(f, content(rnd), java.nio.file.StandardOpenOption.APPEND);
                    case 2 -> Files.delete(f);
                    default -> {
                        continue;
                    }
                }
                if (Files.exists(f)) {
                    Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L + rnd.nextInt(1_000_000)));
                }
            }
            for (int i = 0, add = rnd.nextInt(4); i < add; i++) {
                Files.write(src.resolve("added" + i), content(rnd));
            }

            Map<Id, Integer> newChunks = new HashMap<>();
            try (Stream<Path> s = Files.walk(src)) {
                for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    try (InputStream in = Files.newInputStream(f); ChunkStream cs = repo.chunker().split(in)) {
                        for (int len; (len = cs.next()) >= 0; ) {
                            Id id = Id.hash(cs.buffer(), 0, len);
                            if (!repo.index().has(BlobType.DATA, id)) {
                                newChunks.put(id, len);
                            }
                        }
                    }
                }
            }
            long expected = newChunks.values().stream().mapToLong(Integer::longValue).sum();
            long before = repo.stats().dataBytesAdded();
            repo.backup().path(src).workers(1 + rnd.nextInt(3)).run();
            assertEquals(expected, repo.stats().dataBytesAdded() - before, "seed " + seed);

            Path out = tmp.resolve("out");
            repo.restore("latest").target(out).run();
            assertEquals(TreeDigest.of(src), TreeDigest.of(out.resolve(src.toString().substring(1))), "seed " + seed);
        }
    }

    private static byte[] content(Random rnd) {
        int kind = rnd.nextInt(10);
        int size = kind == 0 ? 0 : kind < 7 ? rnd.nextInt(5000) : 500_000 + rnd.nextInt(1_200_000);
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        return b;
    }
}
