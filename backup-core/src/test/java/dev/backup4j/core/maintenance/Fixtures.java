package dev.backup4j.core.maintenance;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.crypto.KdfParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;

/** Small repositories for the maintenance tests: 64 KiB packs, fast scrypt, a few small files per snapshot. */
final class Fixtures {
    static final String PASSWORD = "maintenance secret";

    private Fixtures() {
    }

    static Repository.Opener opener(Backend b) {
        // ignoreSighup: the interop tests run restic unlock while this JVM holds locks, and restic tests a lock's
        // process on this host by sending it SIGHUP, which would end the test JVM
        return Repository.at(b).password(PASSWORD).kdf(KdfParams.insecureFastForTests()).packSize(64 * 1024)
                .hostname("test-host").username("tester").ignoreSighup(true);
    }

    static Repository.Opener opener(Backend b, Clock clock) {
        return opener(b).clock(clock);
    }

    static Repository.Opener opener(Path dir) {
        return opener(Backends.local(dir));
    }

    /**
     * A directory of {@code files} random files of 20-60 KB (one blob each: below the chunker's minimum) plus a
     * nested directory, with fixed modification times.
     */
    static Path tree(Path root, long seed, int files) throws IOException {
        Random rnd = new Random(seed);
        Files.createDirectories(root.resolve("sub/deeper"));
        for (int i = 0; i < files; i++) {
            byte[] data = new byte[20_000 + rnd.nextInt(40_000)];
            rnd.nextBytes(data);
            Path p = root.resolve(i % 3 == 0 ? "sub/deeper" : i % 3 == 1 ? "sub" : ".").resolve("f" + seed + "-" + i
                    + ".bin");
            Files.write(p, data);
        }
        Files.writeString(root.resolve("note.txt"), "seed " + seed + "\n", StandardCharsets.UTF_8);
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2022-01-02T03:04:05Z")));
            }
        }
        return root;
    }

    /** A deep copy of an in-memory or local repository into a new in-memory backend. */
    static Backend copyToMemory(Backend src) throws IOException {
        Backend dst = Backends.inMemory();
        for (FileType t : FileType.values()) {
            if (t == FileType.CONFIG) {
                if (src.exists(Handle.CONFIG)) {
                    dst.write(Handle.CONFIG, src.readAll(Handle.CONFIG));
                }
                continue;
            }
            for (FileInfo f : src.list(t)) {
                Handle h = new Handle(t, f.name());
                dst.write(h, src.readAll(h));
            }
        }
        return dst;
    }

    /** Copies every file of {@code src} into {@code dst} (which must be empty and have its layout). */
    static void copyAll(Backend src, Backend dst) throws IOException {
        Backends.createLayout(dst);
        for (FileType t : FileType.values()) {
            if (t == FileType.CONFIG) {
                dst.write(Handle.CONFIG, src.readAll(Handle.CONFIG));
                continue;
            }
            for (FileInfo f : src.list(t)) {
                Handle h = new Handle(t, f.name());
                dst.write(h, src.readAll(h));
            }
        }
    }

    /**
     * What restoring the snapshot would produce, as path to node metadata and content hash; every blob is loaded and
     * verified on the way, so equal digests mean identical restores.
     */
    static java.util.Map<String, String> digest(dev.backup4j.core.Repository repo, dev.backup4j.core.common.Id tree)
            throws IOException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        digest(repo, tree, "", out);
        return out;
    }

    private static void digest(dev.backup4j.core.Repository repo, dev.backup4j.core.common.Id tree, String path,
            java.util.Map<String, String> out) throws IOException {
        for (var n : repo.loadTree(tree).nodes()) {
            String p = path + "/" + n.name();
            if (n.subtree().isPresent()) {
                out.put(p, "dir " + n.mode() + " " + n.mtime());
                digest(repo, n.subtree().get(), p, out);
            } else {
                var md = dev.backup4j.core.common.Id.sha256();
                for (var c : n.content()) {
                    md.update(repo.loadBlob(dev.backup4j.core.pack.BlobType.DATA, c));
                }
                out.put(p, n.type() + " " + n.mode() + " " + n.mtime() + " " + java.util.HexFormat.of()
                        .formatHex(md.digest()));
            }
        }
    }

    /** A clock that tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }
    }
}
