package dev.backup4j.retention;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A snapshot as retention sees it. Implementations must be immutable and must not return null from any method;
 * {@link SnapshotInfo} is the ready-made record, and backup-core adapts its own snapshot type to this interface.
 *
 * <p>The {@link #id()} identifies a snapshot within one {@link RetentionPolicy#apply} call (ids must be unique there)
 * and breaks ties: two snapshots with the same {@link #time()} are ordered by id, so the smaller id counts as newer.
 */
public interface RetentionSnapshot {

    /** The snapshot's unique id (for example restic's hex id). Never empty. */
    String id();

    /** When the snapshot was taken. */
    Instant time();

    /** The host the snapshot was taken on; empty string when unknown. */
    String host();

    /** The backed-up paths, as recorded. Grouping by paths uses them sorted. */
    List<String> paths();

    /** The snapshot's tags. */
    Set<String> tags();

    /**
     * Whether the snapshot is pinned or on legal hold. A held snapshot is never removed by any policy,
     * whatever its rules say (reason {@code held}); it still takes part in the rules like any other snapshot. A policy
     * can hold more snapshots through {@link RetentionPolicy.Builder#holdTags} and {@link RetentionPolicy.Builder#hold}.
     */
    boolean held();
}
