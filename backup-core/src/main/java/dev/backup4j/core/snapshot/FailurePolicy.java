package dev.backup4j.core.snapshot;

/**
 * What a backup does when one of its {@link SnapshotSource}s fails as a whole, as the source says through
 * {@link SnapshotSource#failurePolicy()}.
 *
 * <p>A source fails as a whole when its {@link SnapshotSource#root()} throws, when its root entry reports an
 * {@link SourceEntry#error()}, when its root entry cannot be listed (a directory) or opened or read to its end (a
 * file: a stream, a command's output), or when it throws {@link SourceFailedException} anywhere (a dump command that
 * exits non-zero, a remote host that went away). An entry below the root that cannot be read is not a failure of the
 * source: it is always reported as that entry's error, and the snapshot is saved without it, marked incomplete, as
 * restic does.
 *
 * <p>Defaults: streams and commands ({@link SnapshotSources#stream}, {@link SnapshotSources#command}), and any source
 * that does not say otherwise, {@link #FAIL_BACKUP}; local directories ({@link SnapshotSources#directory}),
 * {@link #MARK_INCOMPLETE}, as restic treats an unreadable path. {@link SnapshotSources#withFailurePolicy} changes it
 * for one source.
 *
 * <pre>{@code
 * // the nightly backup still saves the course files when the database is down, and says so
 * repo.backup().path(Path.of("/var/lib/moodledata"))
 *         .source(SnapshotSources.withFailurePolicy(SnapshotSources.command("/db/moodle.sql",
 *                 List.of("pg_dump", "moodle"), clock), FailurePolicy.MARK_INCOMPLETE))
 *         .run();
 * }</pre>
 */
public enum FailurePolicy {
    /**
     * The backup fails with a {@link SourceFailedException} naming the source (its cause the source's own
     * exception), and no snapshot is saved: none can claim to hold what the source should have given.
     */
    FAIL_BACKUP,

    /**
     * The failure is reported as an error of the source's path ({@code BackupResult.errors()}, the listener's
     * {@code onError}); the snapshot is saved without what the source could not give, marked incomplete
     * ({@code Snapshot.incomplete()}), and the source's path stays in the snapshot's paths.
     */
    MARK_INCOMPLETE
}
