package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code demo [DIR]}: the main job on an embedded default, printing each step: make a sample folder and a local
 * repository, back up, change a few files, back up again, list snapshots, apply retention, restore the latest
 * snapshot into a new folder and verify it byte for byte.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the main job on a sample folder: backup, change, backup, list, retention, restore, verify.")
final class DemoCommand implements Callable<Integer> {
    static final String PASSWORD = "demo-password-not-secret";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Where to put the sample, repository and restore (default: a new temp folder).")
    Path dir;

    private PrintWriter out;
    private int step;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path base = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("backup4j-demo-");
        Path sample = base.resolve("sample");
        Path repoDir = base.resolve("repo");
        Path restore = base.resolve("restore");
        if (Files.exists(repoDir) || Files.exists(restore) || Files.exists(sample)) {
            throw new CliException(base + " already holds a demo; give an empty or new folder");
        }
        step("Make a sample folder at " + sample);
        makeSample(sample);
        out.println("   " + countFiles(sample) + " files");

        step("Create a repository at " + repoDir + " (demo password: " + PASSWORD + ")");
        try (Repository repo = Repository.at(Backends.local(repoDir)).password(PASSWORD).ignoreSighup(true)
                .init()) {
            out.println("   repository " + repo.config().id().substring(0, 10) + ", restic format version "
                    + repo.config().version());

            step("Back up " + sample);
            report(repo.backup().path(sample).tag("demo").run());

            step("Change a few files: edit one, add one, delete one");
            Files.writeString(sample.resolve("courses/101/lesson1.md"), "# Lesson 1\nRevised after feedback.\n",
                    StandardCharsets.UTF_8);
            Files.createDirectories(sample.resolve("courses/303"));
            Files.writeString(sample.resolve("courses/303/intro.md"), "# New course\n", StandardCharsets.UTF_8);
            Files.delete(sample.resolve("courses/202/quiz.json"));

            step("Back up again (unchanged data is not stored twice)");
            report(repo.backup().path(sample).tag("demo").run());

            step("List snapshots");
            List<Snapshot> snaps = repo.snapshots();
            for (Snapshot s : snaps) {
                out.println("   " + s.requireId().shortString() + "  " + s.time() + "  " + s.hostname() + "  "
                        + s.paths());
            }

            step("Apply retention");
            DemoRetention.apply(repo, out);

            step("Restore the latest snapshot into " + restore);
            RestoreResult r = repo.restore("latest").target(restore).run();
            out.println("   " + r.files() + " files, " + Sizes.human(r.bytesWritten()) + ", "
                    + r.errors().size() + " errors");

            step("Verify the restore byte for byte");
            Path restored = restore.resolve(sample.toAbsolutePath().normalize().toString().substring(1));
            Map<String, String> want = digest(sample);
            Map<String, String> got = digest(restored);
            if (!want.equals(got)) {
                throw new CliException("restore differs from the sample: expected " + want.keySet() + " got "
                        + got.keySet());
            }
            out.println("   " + want.size() + " entries identical (content, symlink targets)");
        }
        out.println();
        out.println("Done. Everything is under " + base);
        return BackupCli.OK;
    }

    private void step(String what) {
        out.println();
        out.println(++step + ". " + what);
        out.flush();
    }

    private void report(BackupResult r) {
        out.println("   snapshot " + r.snapshot().requireId().shortString() + ": " + r.files() + " files, "
                + Sizes.human(r.bytesRead()) + " read, " + Sizes.human(r.bytesAdded()) + " new data ("
                + Sizes.human(r.bytesStored()) + " stored after compression and encryption)");
    }

    static void makeSample(Path sample) throws IOException {
        Files.createDirectories(sample.resolve("courses/101"));
        Files.createDirectories(sample.resolve("courses/202"));
        Files.createDirectories(sample.resolve("config"));
        Files.writeString(sample.resolve("README.txt"), "Sample learning platform data for the backup demo.\n",
                StandardCharsets.UTF_8);
        Files.writeString(sample.resolve("courses/101/lesson1.md"), "# Lesson 1\nWelcome.\n", StandardCharsets.UTF_8);
        Files.writeString(sample.resolve("courses/202/quiz.json"), "{\"questions\": [1, 2, 3]}\n",
                StandardCharsets.UTF_8);
        Files.writeString(sample.resolve("config/app.conf"), "db=lms\nport=8080\n".repeat(100),
                StandardCharsets.UTF_8);
        byte[] video = new byte[3 * 1024 * 1024];
        new Random(1).nextBytes(video);
        Files.write(sample.resolve("courses/101/video.bin"), video);
        Files.createSymbolicLink(sample.resolve("current-course"), Path.of("courses/202"));
    }

    private static long countFiles(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    static Map<String, String> digest(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, dev.backup4j.core.common.Id.hash(Files.readAllBytes(p)).toString());
                } else if (!rel.isEmpty()) {
                    out.put(rel, "dir");
                }
            }
        }
        return out;
    }
}
