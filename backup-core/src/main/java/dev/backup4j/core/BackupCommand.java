package dev.backup4j.core;

import dev.backup4j.core.backup.BackupListener;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.backup.BackupRun;
import dev.backup4j.core.backup.BackupSpec;
import dev.backup4j.core.backup.RunningBackup;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.snapshot.LocalSourceOptions;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Configures and runs one backup: sources, exclusions, host, tags, time, parent. Obtained from
 * {@link Repository#backup()}; it runs once, either on the calling thread ({@link #run()}) or in the background
 * ({@link #start()}, {@link #start(Executor)}), which gives a {@link RunningBackup} to wait for, watch or cancel.
 *
 * <p>Incremental by default: the parent is the latest snapshot with the same host and paths (or the one given with
 * {@link #parent(Id)}); a file whose size, modification time, change time and inode match the parent's is reused
 * without being read. {@link #force()} reads everything again. Files are read, chunked, compressed and encrypted by
 * {@link #workers(int)} threads each way, with memory bounded independently of the sources' size.
 *
 * <p>A backup that ends without saving its snapshot (a source failed, the repository could not be written, it was
 * interrupted or cancelled) leaves the repository as follows: no snapshot, and no lock of its own; the data it had
 * packed is uploaded and listed in an index file before its lock is released (unless the lock was lost), so no pack
 * is left unindexed and no staging file of its own remains, and a later backup reuses those blobs instead of storing
 * them again; until then they are unreferenced data, which {@code prune} removes. Only a process killed outright
 * leaves packs without an index, its lock, and a staging file (the next backup or prune removes the staging file,
 * {@code unlock} the lock).
 *
 * <p>Not thread-safe: configure a command on one thread, then run it once. Several commands (on as many threads, or
 * started in the background) may run at the same time on one {@link Repository}.
 *
 * <pre>{@code
 * BackupResult r = repo.backup()
 *         .path(Path.of("/var/www/lms"))
 *         .localOptions(LocalSourceOptions.builder().exclude("*.tmp").excludeCaches().build())
 *         .source(SnapshotSources.command("/db/lms.sql", List.of("pg_dump", "lms"), clock))
 *         .tag("nightly")
 *         .listener(status -> System.err.println(status.bytesDone()))
 *         .run();
 *
 * RunningBackup running = repo.backup().path(Path.of("/var/www/lms")).start();   // in the background
 * // ...
 * running.cancel();                                  // e.g. at shutdown: no snapshot, lock released
 * }</pre>
 */
public final class BackupCommand {
    private final Repository repo;
    /** Local paths, each with the path it is stored under (null: its own). */
    private final List<BackupSpec.LocalPath> paths = new ArrayList<>();
    private final List<SnapshotSource> sources = new ArrayList<>();
    private final List<String> excludes = new ArrayList<>();
    private final List<String> includes = new ArrayList<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private LocalSourceOptions localOptions = LocalSourceOptions.defaults();
    private String host;
    private OffsetDateTime time;
    private Id parent;
    private boolean force;
    private int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private BackupListener listener = BackupListener.NONE;
    private long readLimit;
    private Duration statusInterval = Duration.ofSeconds(1);
    private final Set<String> set = new HashSet<>();
    private RepositoryLock held;
    private boolean ran;

    BackupCommand(Repository repo) {
        this.repo = repo;
    }

    private void once(String option) {
        if (!set.add(option)) {
            throw new IllegalStateException(option + " was already set");
        }
    }

    /** Adds a local file or directory tree, stored under its absolute path. */
    public BackupCommand path(Path path) {
        paths.add(new BackupSpec.LocalPath(Objects.requireNonNull(path, "path"), null));
        return this;
    }

    /**
     * Adds a local file or directory tree, stored under {@code snapshotPath} instead of its own path (e.g.
     * {@code /var/lib/moodledata} as {@code /moodledata}): the snapshot's paths, {@code restic ls} and restores show
     * {@code snapshotPath}, and the next backup finds its parent snapshot by it, wherever the data lies on disk. The
     * local options apply; exclude globs match the stored paths. See
     * {@link SnapshotSources#directory(Path, String, LocalSourceOptions)}.
     *
     * @throws IllegalArgumentException if {@code snapshotPath} is not absolute or has empty, {@code .} or {@code ..}
     *     elements
     */
    public BackupCommand path(Path path, String snapshotPath) {
        paths.add(new BackupSpec.LocalPath(Objects.requireNonNull(path, "path"),
                SnapshotSources.normalize(snapshotPath)));
        return this;
    }

    /** Adds any source (a stream, a command's output, a remote tree, an application's own entries). */
    public BackupCommand source(SnapshotSource source) {
        sources.add(Objects.requireNonNull(source, "source"));
        return this;
    }

    /** How local paths are read (marker files, caches, file systems, symlinks, their own excludes). */
    public BackupCommand localOptions(LocalSourceOptions options) {
        once("localOptions");
        this.localOptions = Objects.requireNonNull(options, "options");
        return this;
    }

    /** Leaves out entries of every source matching a glob (see {@link PathFilter} for the syntax). */
    public BackupCommand exclude(String glob) {
        excludes.add(Objects.requireNonNull(glob, "glob"));
        return this;
    }

    /** Keeps only entries matching a glob (and the directories leading to them); may be given several times. */
    public BackupCommand include(String glob) {
        includes.add(Objects.requireNonNull(glob, "glob"));
        return this;
    }

    /** Adds a tag to the snapshot. */
    public BackupCommand tag(String tag) {
        if (Objects.requireNonNull(tag, "tag").isBlank() || tag.contains(",")) {
            throw new IllegalArgumentException("a tag must be non-blank and contain no comma: '" + tag + "'");
        }
        tags.add(tag);
        return this;
    }

    /** The host name recorded in the snapshot (default: the repository's). */
    public BackupCommand host(String host) {
        once("host");
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** The snapshot's time (default: now on the repository's clock), like restic's {@code --time}. */
    public BackupCommand time(OffsetDateTime time) {
        once("time");
        this.time = Objects.requireNonNull(time, "time");
        return this;
    }

    /** The snapshot's time as an instant, in the repository clock's zone. */
    public BackupCommand time(Instant time) {
        return time(OffsetDateTime.ofInstant(time, repo.clock().getZone()));
    }

    /** Uses this snapshot as the parent instead of the latest one with the same host and paths. */
    public BackupCommand parent(Id snapshot) {
        once("parent");
        this.parent = Objects.requireNonNull(snapshot, "snapshot");
        return this;
    }

    /** Backs up without a parent: every file is read (but unchanged data is still stored only once). */
    public BackupCommand force() {
        once("force");
        this.force = true;
        return this;
    }

    /**
     * Threads for reading and for processing chunks (default: the number of processors).
     *
     * @throws IllegalArgumentException unless 1 to 64
     */
    public BackupCommand workers(int n) {
        once("workers");
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("workers must be 1 to 64, got " + n);
        }
        this.workers = n;
        return this;
    }

    /**
     * Receives progress and errors while the backup runs. Whatever the listener throws is caught: the first time it
     * is logged as a warning with its stack trace, later ones are ignored, and the backup stores and returns exactly
     * what it would without the listener (a status callback that throws is still called at the next tick).
     */
    public BackupCommand listener(BackupListener listener) {
        once("listener");
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * How often {@link BackupListener#onStatus} is called while the backup runs (default 1 second); it is also called
     * once at the end.
     *
     * @throws IllegalArgumentException unless at least 10 ms
     */
    public BackupCommand statusInterval(Duration interval) {
        once("statusInterval");
        if (Objects.requireNonNull(interval, "interval").compareTo(Duration.ofMillis(10)) < 0) {
            throw new IllegalArgumentException("the status interval must be at least 10 ms, got " + interval);
        }
        this.statusInterval = interval;
        return this;
    }

    /**
     * Limits how fast sources are read, so that a backup does not starve a busy server's disks.
     *
     * @throws IllegalArgumentException unless positive
     */
    public BackupCommand limitReadBytesPerSecond(long bytesPerSecond) {
        once("readLimit");
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("read limit must be positive");
        }
        this.readLimit = bytesPerSecond;
        return this;
    }

    /**
     * Runs under a lock the caller holds (shared or exclusive) instead of taking a shared one.
     *
     * @throws IllegalStateException if already set
     */
    public BackupCommand lock(RepositoryLock lock) {
        if (held != null) {
            throw new IllegalStateException("lock was already set");
        }
        this.held = Objects.requireNonNull(lock, "lock");
        return this;
    }

    /**
     * Reads the sources, stores new data, and saves the snapshot after its data and index are durable, on the calling
     * thread (the walk; reading and storing run on the backup's own worker threads).
     *
     * <p>As restic: a local path that does not exist is left out of the snapshot (and of its paths) and reported as
     * an error ({@code "does not exist"}), so the snapshot is saved but marked incomplete; if no path exists and there
     * is no other source, nothing is saved. A source that fails as a whole fails the backup or marks the snapshot
     * incomplete, as its {@link SnapshotSource#failurePolicy()} says. Interrupting the calling thread stops the backup
     * as {@link RunningBackup#cancel()} does, with an {@link InterruptedIOException} (and the interrupt flag set).
     *
     * @throws IllegalStateException if there is no source, or if the command already ran or was started
     * @throws dev.backup4j.core.snapshot.SourceFailedException if a source with
     *     {@link dev.backup4j.core.snapshot.FailurePolicy#FAIL_BACKUP} failed, or none of the local paths exists and
     *     there is no other source (no snapshot is saved)
     * @throws dev.backup4j.core.common.RepositoryLockedException if another process holds an exclusive lock
     * @throws InterruptedIOException if the thread was interrupted (no snapshot is saved)
     * @throws IOException if the repository cannot be written (unreadable source entries are reported instead)
     */
    public BackupResult run() throws IOException {
        return begin().run();
    }

    /**
     * Starts the backup on a thread of its own (named {@code backup4j-backup}, not a daemon: the JVM does not exit
     * while it runs, as for any thread an application starts) and returns at once. The returned handle gives the
     * result, the progress, and {@link RunningBackup#cancel()}. Everything {@link #run()} does and throws holds,
     * with the exceptions delivered through the handle.
     *
     * <pre>{@code
     * RunningBackup running = repo.backup().path(dir).start();
     * running.result().thenAccept(r -> log.info("snapshot {}", r.snapshot().requireId().shortString()));
     * }</pre>
     *
     * @throws IllegalStateException if there is no source, or if the command already ran or was started
     */
    public RunningBackup start() {
        return begin().start();
    }

    /**
     * Starts the backup as one task on {@code executor} (the walk runs there; reading and storing use the backup's
     * own worker threads) and returns at once. A backup cancelled before the executor runs the task ends then and
     * there, and the task does nothing.
     *
     * @throws IllegalStateException if there is no source, or if the command already ran or was started
     * @throws java.util.concurrent.RejectedExecutionException if the executor does not take the task (the command
     *     is used up)
     */
    public RunningBackup start(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return begin().start(executor);
    }

    private BackupRun begin() {
        if (ran) {
            throw new IllegalStateException("a BackupCommand runs once; start another with repo.backup()");
        }
        if (paths.isEmpty() && sources.isEmpty()) {
            throw new IllegalStateException("nothing to back up: add a path(...) or source(...)");
        }
        ran = true;
        return new BackupRun(repo.store(), new BackupSpec(List.copyOf(paths), List.copyOf(sources),
                List.copyOf(excludes), List.copyOf(includes), List.copyOf(tags), localOptions, host, time, parent,
                force, workers, listener, readLimit, statusInterval, held));
    }
}
