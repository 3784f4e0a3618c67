package dev.backup4j.ops.drill;

import static java.util.Objects.requireNonNull;

import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreCommand;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.browse.SnapshotBrowser;
import dev.backup4j.core.browse.WalkAction;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore drill: picks a snapshot, restores all of it or a random sample of its files into a new, empty directory
 * (an isolated place: nothing of the live system is touched), and reads every restored file back against the
 * snapshot. The restore itself already checks each blob's SHA-256 as it writes; the drill then re-reads what landed
 * on disk, cuts it at the lengths the index gives for the file's content blobs and compares the SHA-256 of each piece
 * with the blob id recorded in the snapshot's tree, and checks the size. So a byte that the restore or the file
 * system changed after the blob check is still caught. The time from the start of the restore to the end of the
 * verification, measured on the drill's clock, is the drill's RTO figure.
 *
 * <pre>{@code
 * DrillResult r = RestoreDrill.on(repo)
 *     .pick(SnapshotPick.random(42))
 *     .sampleFiles(20)                          // or full()
 *     .scratch(Path.of("/srv/drills"))          // a new directory inside it per drill, removed afterwards
 *     .run();
 * journal.append(r);
 * RepositoryRecords.save(repo, r, clock);
 * }</pre>
 */
public final class RestoreDrill {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreDrill.class);
    private static final int MAX_PROBLEMS = 50;

    private final Repository repo;
    private Clock clock;
    private SnapshotPick pick = SnapshotPick.random(0);
    private int sample; // 0: full
    private Path scratch;
    private boolean keep;
    private Predicate<Snapshot> only = s -> true;
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private RestoreDrill(Repository repo) {
        this.repo = repo;
        this.clock = repo.clock();
    }

    /** A drill on {@code repo}; by default a full restore of a snapshot picked with {@code random(0)}. */
    public static RestoreDrill on(Repository repo) {
        return new RestoreDrill(requireNonNull(repo, "repo"));
    }

    private void once(String option) {
        if (!set.add(option)) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /** The clock the drill's times are measured on (default: the repository's). */
    public RestoreDrill clock(Clock c) {
        once("clock");
        this.clock = requireNonNull(c, "clock");
        return this;
    }

    /** How the snapshot is chosen (default {@code SnapshotPick.random(0)}). */
    public RestoreDrill pick(SnapshotPick p) {
        once("pick");
        this.pick = requireNonNull(p, "pick");
        return this;
    }

    /** Restores the whole snapshot (the default). */
    public RestoreDrill full() {
        once("sample");
        this.sample = 0;
        return this;
    }

    /**
     * Restores {@code n} regular files drawn at random (seeded like the pick), or all of them if there are fewer.
     *
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public RestoreDrill sampleFiles(int n) {
        once("sample");
        if (n < 1) {
            throw new IllegalArgumentException("a sample needs at least 1 file, got " + n + "; use full() for all");
        }
        this.sample = n;
        return this;
    }

    /**
     * The directory under which each drill makes its own new directory (default: the system's temporary
     * directory). It must not be inside a backed-up path, or the next backup would take the drill's files.
     */
    public RestoreDrill scratch(Path dir) {
        once("scratch");
        this.scratch = requireNonNull(dir, "dir");
        return this;
    }

    /** Leaves the restored files in place after the drill (default: removed, pass or fail). */
    public RestoreDrill keepRestored() {
        once("keep");
        this.keep = true;
        return this;
    }

    /** Only snapshots that match are candidates (for example one host's, or one job's paths). */
    public RestoreDrill only(Predicate<Snapshot> which) {
        once("only");
        this.only = requireNonNull(which, "which");
        return this;
    }

    /**
     * Runs the drill. A drill that restores or verifies wrongly is a result with problems, not an exception.
     *
     * @throws IllegalStateException if the repository has no candidate snapshot
     * @throws IOException if the repository cannot be read at all or the scratch directory cannot be made
     */
    public DrillResult run() throws IOException {
        Instant started = clock.instant();
        List<Snapshot> candidates = new ArrayList<>();
        for (Snapshot s : repo.snapshots()) {
            if (!RepositoryRecords.isRecord(s) && only.test(s)) {
                candidates.add(s);
            }
        }
        if (candidates.isEmpty()) {
            throw new IllegalStateException("no snapshot to drill: the repository has none (besides drill records)"
                    + " that the drill's filter accepts");
        }
        Snapshot chosen = pick.choose(candidates, started);
        SnapshotBrowser browser = SnapshotBrowser.of(repo, chosen);
        List<Entry> files = new ArrayList<>();
        try {
            browser.walk("/", e -> {
                if (e.node().type() == NodeType.FILE) {
                    files.add(new Entry(e.path(), e.node()));
                }
                return WalkAction.CONTINUE;
            });
        } catch (IOException e) {
            // Damaged trees: nothing can be restored from them; that is the drill's finding, not an error.
            Instant now = clock.instant();
            DrillResult r = new DrillResult(started, now, chosen.requireId().toString(), chosen.instant(),
                    chosen.hostname(), chosen.paths(), sample > 0 ? "sample" : "full", pick.toString(), 0, 0, 0,
                    Duration.ZERO, Duration.between(started, now), List.of("cannot read the snapshot's trees: " + e));
            LOG.warn("{}", r.summary());
            return r;
        }
        List<Entry> selected = files;
        if (sample > 0 && files.size() > sample) {
            SplittableRandom r = new SplittableRandom(chosen.requireId().hashCode() ^ started.getEpochSecond());
            List<Entry> shuffled = new ArrayList<>(files);
            for (int i = 0; i < sample; i++) {
                java.util.Collections.swap(shuffled, i, i + r.nextInt(shuffled.size() - i));
            }
            selected = new ArrayList<>(shuffled.subList(0, sample));
            selected.sort(Comparator.comparing(Entry::path));
        }
        Path parent = scratch != null ? Files.createDirectories(scratch) : Path.of(System.getProperty("java.io.tmpdir"));
        Path target = Files.createTempDirectory(parent, "drill-" + chosen.requireId().shortString() + "-");
        List<String> problems = new ArrayList<>();
        Instant restoreStart = clock.instant();
        Instant restored;
        long verified = 0;
        long bytes = 0;
        try {
            RestoreCommand cmd = repo.restore(chosen.requireId().toString()).target(target);
            if (sample > 0) {
                for (Entry e : selected) {
                    cmd.include(glob(e.path()));
                }
            }
            try {
                RestoreResult rr = cmd.run();
                rr.errors().forEach(err -> problem(problems, err.path() + ": not restored: " + err.message()));
            } catch (IOException | RuntimeException e) {
                problem(problems, "restore failed: " + e);
            }
            restored = clock.instant();
            Index index = repo.index();
            for (Entry e : selected) {
                Optional<String> p = verify(index, target, e);
                if (p.isPresent()) {
                    problem(problems, p.get());
                } else {
                    verified++;
                    bytes += e.node().size();
                }
            }
        } finally {
            if (!keep) {
                deleteTree(target);
            }
        }
        Instant finished = clock.instant();
        DrillResult result = new DrillResult(started, finished, chosen.requireId().toString(), chosen.instant(),
                chosen.hostname(), chosen.paths(), sample > 0 ? "sample" : "full", pick.toString(), selected.size(),
                verified, bytes, Duration.between(restoreStart, restored), Duration.between(restoreStart, finished),
                problems);
        LOG.info("{}", result.summary());
        return result;
    }

    private record Entry(String path, Node node) {
    }

    private static void problem(List<String> problems, String p) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(p);
        }
    }

    /** A glob that matches exactly this snapshot path (restic's pattern characters escaped). */
    static String glob(String path) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            if ("*?[]{}\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static Path local(Path target, String snapshotPath) {
        Path p = target;
        for (String name : snapshotPath.split("/")) {
            if (!name.isEmpty()) {
                p = FileNames.resolve(p, name);
            }
        }
        return p;
    }

    /** Empty if the restored file matches the node byte for byte, else what is wrong. */
    private static Optional<String> verify(Index index, Path target, Entry e) {
        Path f = local(target, e.path());
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(e.path() + ": missing from the restore");
            }
            long size = Files.size(f);
            if (size != e.node().size()) {
                return Optional.of(e.path() + ": restored " + size + " bytes, the snapshot says " + e.node().size());
            }
            MessageDigest sha = Id.sha256();
            byte[] buf = new byte[64 * 1024];
            long offset = 0;
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                for (Id blob : e.node().content()) {
                    Optional<Index.Location> loc = index.find(BlobType.DATA, blob);
                    if (loc.isEmpty()) {
                        return Optional.of(e.path() + ": blob " + blob.shortString() + " is not in the index");
                    }
                    long left = loc.get().blob().plaintextLength();
                    sha.reset();
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                        if (n < 0) {
                            return Optional.of(e.path() + ": ends at byte " + offset + ", inside blob "
                                    + blob.shortString());
                        }
                        sha.update(buf, 0, n);
                        left -= n;
                        offset += n;
                    }
                    if (!Arrays.equals(sha.digest(), blob.toBytes())) {
                        return Optional.of(e.path() + ": the bytes ending at " + offset + " do not match blob "
                                + blob.shortString());
                    }
                }
                if (in.read() >= 0) {
                    return Optional.of(e.path() + ": longer than its " + offset + " bytes of content");
                }
            }
            return Optional.empty();
        } catch (IOException ex) {
            return Optional.of(e.path() + ": cannot read back: " + ex.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    // a restored read-only directory must become writable before its entries can go
                    d.toFile().setWritable(true, true);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not remove the drill's directory {}: {}", dir, e.toString());
        }
    }
}
