package dev.backup4j.core.backup;

import dev.backup4j.core.snapshot.LocalSourceOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what local paths hold, in the background, so progress can show totals and an ETA. */
final class ProgressScan {
    /** A local path, and the path it is stored under if not its own (excludes match the stored path). */
    record Root(Path path, String snapshotPath) {
        String stored(Path p) {
            if (snapshotPath == null) {
                return p.toString();
            }
            String rel = path.relativize(p).toString().replace(File.separatorChar, '/');
            return rel.isEmpty() ? snapshotPath : snapshotPath + "/" + rel;
        }
    }

    final AtomicLong files = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicBoolean done = new AtomicBoolean();
    private final List<Root> roots;
    private final LocalSourceOptions options;
    private volatile boolean stopped;
    private Thread thread;

    ProgressScan(List<Root> roots, LocalSourceOptions options) {
        this.roots = roots;
        this.options = options;
    }

    void start() {
        thread = new Thread(this::scan, "backup-scan");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        stopped = true;
    }

    private void scan() {
        for (Root root : roots) {
            try {
                Files.walkFileTree(root.path(), new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (stopped) {
                            return FileVisitResult.TERMINATE;
                        }
                        return options.excludes().matches(root.stored(dir)) ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && !options.excludes().matches(root.stored(file))) {
                            files.incrementAndGet();
                            bytes.addAndGet(attrs.size());
                        }
                        return stopped ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException ignored) {
                // the backup itself reports unreadable entries
            }
        }
        done.set(true);
    }
}
