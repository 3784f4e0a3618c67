package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.NodeType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a restore will do, computed before anything is written: the chosen snapshot, one action per entry, the pack
 * ranges to read, and the problems found up front. Pure, immutable data: show it, check it, approve it, then hand it
 * to {@link RestoreExecutor}, which follows it exactly.
 *
 * <pre>{@code
 * RestorePlan plan = RestorePlanner.of(repo, SnapshotSelector.latest()).include("/var/www/lms/course42").plan(target);
 * System.out.println(plan);                                         // summary
 * plan.estimate(50e6);                                              // duration at 50 MB/s
 * }</pre>
 *
 * @param choice the snapshot chosen and its distance from the requested time
 * @param subPath the snapshot directory restored as the target's root ("/" for the whole snapshot)
 * @param includes include globs
 * @param excludes exclude globs
 * @param target the target, as text
 * @param actions one action per entry in scope, parents before children, deletions children first
 * @param packReads the pack ranges to read, one entry per pack
 * @param problems problems found while planning
 */
public record RestorePlan(SnapshotChoice choice, String subPath, List<String> includes, List<String> excludes,
        String target, List<RestoreAction> actions, List<PackRead> packReads, List<RestoreProblem> problems) {

    /** Copies the lists. */
    public RestorePlan {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(subPath, "subPath");
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(target, "target");
        actions = List.copyOf(actions);
        packReads = List.copyOf(packReads);
        problems = List.copyOf(problems);
    }

    /** Bytes to read from the repository (sum of the pack ranges). */
    public long bytesToDownload() {
        return packReads.stream().mapToLong(PackRead::bytes).sum();
    }

    /** Distinct data blobs to read. */
    public long blobsToDownload() {
        return packReads.stream().mapToLong(PackRead::blobCount).sum();
    }

    /** File content bytes to write (files created or overwritten). */
    public long bytesToWrite() {
        return actions.stream().filter(RestoreAction::writesContent).mapToLong(RestoreAction::size).sum();
    }

    /** Number of actions of each kind. */
    public Map<RestoreAction.Kind, Long> counts() {
        Map<RestoreAction.Kind, Long> m = new EnumMap<>(RestoreAction.Kind.class);
        for (RestoreAction.Kind k : RestoreAction.Kind.values()) {
            m.put(k, 0L);
        }
        for (RestoreAction a : actions) {
            m.merge(a.kind(), 1L, Long::sum);
        }
        return m;
    }

    /** Number of actions of one kind on entries of one type. */
    public long count(RestoreAction.Kind kind, NodeType type) {
        return actions.stream().filter(a -> a.kind() == kind && a.type() == type).count();
    }

    /** The action on {@code path}, if the plan has one (a deletion and a creation can share a path; the last wins). */
    public Optional<RestoreAction> action(String path) {
        RestoreAction found = null;
        for (RestoreAction a : actions) {
            if (a.path().equals(path)) {
                found = a;
            }
        }
        return Optional.ofNullable(found);
    }

    /** True if executing the plan changes nothing in the target. */
    public boolean isNoop() {
        return actions.stream().allMatch(a -> a.kind() == RestoreAction.Kind.KEEP || a.kind() == RestoreAction.Kind.SKIP)
                && problems.isEmpty();
    }

    /**
     * The time to read the data at {@code bytesPerSecond} from the backend: the recovery time this plan needs for a
     * backend of that throughput (writing and verifying are usually faster than reading remote storage).
     *
     * @throws IllegalArgumentException if the throughput is not positive
     */
    public Duration estimate(double bytesPerSecond) {
        if (!(bytesPerSecond > 0)) {
            throw new IllegalArgumentException("throughput must be positive, got " + bytesPerSecond);
        }
        return Duration.ofNanos((long) Math.ceil(bytesToDownload() / bytesPerSecond * 1e9));
    }

    @Override
    public String toString() {
        Map<RestoreAction.Kind, Long> c = counts();
        return "restore " + choice + (subPath.equals("/") ? "" : " path " + subPath) + " to " + target + ": "
                + c.get(RestoreAction.Kind.CREATE) + " to create, " + c.get(RestoreAction.Kind.OVERWRITE)
                + " to overwrite, " + c.get(RestoreAction.Kind.KEEP) + " to keep, " + c.get(RestoreAction.Kind.DELETE)
                + " to delete, " + c.get(RestoreAction.Kind.SKIP) + " skipped; " + bytesToWrite() + " bytes to write, "
                + bytesToDownload() + " bytes to read from " + packReads.size() + " packs; " + problems.size()
                + " problems";
    }
}
