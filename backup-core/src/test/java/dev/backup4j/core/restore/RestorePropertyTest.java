package dev.backup4j.core.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backup4j.core.Repository;
import dev.backup4j.core.testing.TreeDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For random trees and random scopes, plan + execute yields exactly the snapshot's content in that scope, and
 * planning never writes. QuickTheories prints the seed and scope of a failing example.
 */
class RestorePropertyTest {
    @TempDir
    Path tmp;

    enum Scope { WHOLE, SUB_PATH, INCLUDE, EXCLUDE }

    private final Map<Scope, Integer> reached = new EnumMap<>(Scope.class);
    private int emptyFiles;
    private int multiBlobFiles;
    private int example;

    @Test
    void restoredScopeEqualsTheSnapshotsContentInThatScope() {
        // the scope cycles through every kind so that each is reached; the seed drives the tree and the pick
        qt().withExamples(12).withShrinkCycles(0).forAll(longs().all())
                .checkAssert(seed -> check(seed, Scope.values()[example % Scope.values().length]));
        // the generators reach the edge cases
        assertTrue(reached.size() == Scope.values().length, reached.toString());
        assertTrue(emptyFiles > 0 && multiBlobFiles > 0, emptyFiles + " empty, " + multiBlobFiles + " multi-blob");
    }

    private void check(long seed, Scope scope) {
        try {
            reached.merge(scope, 1, Integer::sum);
            Path base = Files.createDirectories(tmp.resolve("ex" + (example++)));
            Random rnd = new Random(seed);
            Path src = base.resolve("src");
            List<String> entries = new ArrayList<>();
            randomTree(rnd, src, "", 0, entries);
            setTimes(src, rnd);
            Map<String, String> all = TreeDigest.of(src);
            try (Repository repo = Fixtures.opener(base.resolve("repo")).init()) {
                repo.backup().path(src).run();
            }
            String root = src.toString().substring(1);
            String pick = entries.isEmpty() ? "" : entries.get(rnd.nextInt(entries.size()));
            Map<String, String> want = new TreeMap<>();
            Path target = base.resolve("target");
            Path compareAt = target.resolve(root);
            try (Repository repo = Fixtures.opener(base.resolve("repo")).open()) {
                RestorePlanner p = RestorePlanner.of(repo, SnapshotSelector.latest());
                switch (scope) {
                    case WHOLE -> want.putAll(all);
                    case SUB_PATH -> {
                        String dir = entries.stream().filter(e -> Files.isDirectory(src.resolve(e)))
                                .findFirst().orElse("");
                        p.subPath("/" + root + (dir.isEmpty() ? "" : "/" + dir));
                        compareAt = target;
                        all.forEach((k, v) -> {
                            if (dir.isEmpty()) {
                                want.put(k, v);
                            } else if (k.startsWith(dir + "/")) {
                                want.put(k.substring(dir.length() + 1), v);
                            }
                        });
                    }
                    case INCLUDE -> {
                        if (pick.isEmpty()) {
                            want.putAll(all);
                        } else {
                            p.include("/" + root + "/" + pick);
                            all.forEach((k, v) -> {
                                if (k.equals(pick) || k.startsWith(pick + "/")) {
                                    want.put(k, v);
                                } else if (pick.startsWith(k + "/")) {
                                    want.put(k, v); // ancestors are created, with their metadata
                                }
                            });
                        }
                    }
                    case EXCLUDE -> {
                        if (!pick.isEmpty()) {
                            p.exclude("/" + root + "/" + pick);
                        }
                        all.forEach((k, v) -> {
                            if (pick.isEmpty() || !(k.equals(pick) || k.startsWith(pick + "/"))) {
                                want.put(k, v);
                            }
                        });
                    }
                }
                boolean junk = (scope == Scope.WHOLE || scope == Scope.SUB_PATH) && rnd.nextBoolean();
                if (junk) {
                    Path j = Files.createDirectories(compareAt.resolve("junk-dir/sub"));
                    Files.writeString(j.resolve("junk.txt"), "junk");
                    Files.writeString(compareAt.resolve("junk-file"), "junk");
                    p.delete(true);
                }
                Map<String, String> beforePlan = Files.exists(target) ? TreeDigest.of(target) : Map.of();
                try (RestoreTarget t = RestoreTargets.directory(target)) {
                    RestorePlan plan = p.plan(t);
                    assertEquals(beforePlan, TreeDigest.of(target), "planning wrote nothing");
                    RestoreReport r = RestoreExecutor.of(repo).threads(1 + rnd.nextInt(4)).execute(plan, t);
                    assertTrue(r.complete(), r.errors().toString());
                }
                Map<String, String> got = Files.exists(compareAt) ? TreeDigest.of(compareAt) : Map.of();
                if (want.isEmpty() && scope != Scope.SUB_PATH) {
                    assertTrue(got.isEmpty(), got.toString());
                } else {
                    assertEquals(want, got, "seed " + seed + " scope " + scope + " pick " + pick);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void randomTree(Random rnd, Path dir, String rel, int depth, List<String> out) throws IOException {
        Files.createDirectories(dir);
        int n = rnd.nextInt(depth == 0 ? 7 : 5);
        for (int i = 0; i < n; i++) {
            String name = "n" + i + "-" + Integer.toString(rnd.nextInt(1000), 36) + (rnd.nextInt(5) == 0 ? " é" : "");
            Path p = dir.resolve(name);
            String r = rel.isEmpty() ? name : rel + "/" + name;
            int kind = rnd.nextInt(10);
            if (kind < 3 && depth < 3) {
                randomTree(rnd, p, r, depth + 1, out);
                if (rnd.nextInt(4) == 0) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-x---"));
                }
            } else if (kind == 3) {
                Files.createSymbolicLink(p, Path.of(rnd.nextBoolean() ? "../elsewhere" : name + "-target"));
            } else {
                int size = switch (rnd.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> rnd.nextInt(100);
                    case 2 -> rnd.nextInt(20_000);
                    default -> 600_000 + rnd.nextInt(1_500_000); // several chunks, several packs
                };
                if (size == 0) {
                    emptyFiles++;
                }
                if (size > 600_000) {
                    multiBlobFiles++;
                }
                byte[] b = new byte[size];
                rnd.nextBytes(b);
                Files.write(p, b);
                if (rnd.nextInt(4) == 0) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r-----"));
                }
            }
            out.add(r);
        }
    }

    private static void setTimes(Path root, Random rnd) throws IOException {
        long t = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli() * 1000;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setLastModifiedTime(p, FileTime.from(t + rnd.nextInt(1_000_000_000),
                            java.util.concurrent.TimeUnit.MICROSECONDS));
                }
            }
        }
    }
}
