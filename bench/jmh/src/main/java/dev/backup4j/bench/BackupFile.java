package dev.backup4j.bench;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.crypto.KdfParams;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Backs one file (or directory) up into a fresh local repository through the public API and prints the wall time,
 * the process CPU time and MB/s (10^6 bytes/s) of the backup itself (repository init excluded). Not a JMH benchmark:
 * it is the library-side counterpart of timing {@code restic backup} on the same file.
 *
 * <pre>
 * java -cp benchmarks.jar dev.backup4j.bench.BackupFile FILE REPO_DIR [REPEAT]
 * </pre>
 * REPO_DIR is deleted and re-created before each repetition; repetitions after the first run on a warm JIT.
 */
public final class BackupFile {
    private BackupFile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BackupFile FILE REPO_DIR [REPEAT]");
            System.exit(2);
        }
        Path file = Path.of(args[0]).toAbsolutePath();
        Path repoDir = Path.of(args[1]).toAbsolutePath();
        int repeat = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 1; i <= repeat; i++) {
            deleteTree(repoDir);
            Files.createDirectories(repoDir);
            try (Repository repo = Repository.at(Backends.local(repoDir)).password("x")
                    .kdf(KdfParams.insecureFastForTests()).init()) {
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                BackupResult r = repo.backup().path(file).run();
                long t1 = System.nanoTime();
                long cpu1 = os.getProcessCpuTime();
                double secs = (t1 - t0) / 1e9;
                System.out.printf(Locale.ROOT,
                        "run %d: %d bytes read, %d blobs added, %d bytes stored in %.2f s wall, %.2f s process CPU"
                                + " -> %.1f MB/s%n",
                        i, r.bytesRead(), r.blobsAdded(), r.bytesStored(), secs, (cpu1 - cpu0) / 1e9,
                        r.bytesRead() / secs / 1e6);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
