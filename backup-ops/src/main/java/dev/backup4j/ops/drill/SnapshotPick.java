package dev.backup4j.ops.drill;

import static java.util.Objects.requireNonNull;

import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.retention.RetentionDecision;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.SnapshotInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a drill chooses its snapshot among the candidates (the repository's snapshots, without drill and check
 * records, narrowed by {@link RestoreDrill#only}).
 *
 * <pre>{@code
 * SnapshotPick.random(42);                           // seeded by 42 and the drill's start time
 * SnapshotPick.oldestKeptBy(policy);                  // the oldest restore point the policy keeps
 * SnapshotPick.latest();
 * }</pre>
 */
public abstract class SnapshotPick {

    private SnapshotPick() {
    }

    /**
     * A snapshot drawn at random, from a generator seeded by {@code seed} and the drill's start time: the same seed
     * and time pick the same snapshot (a simulation replays), and monthly drills with one seed pick different ones.
     */
    public static SnapshotPick random(long seed) {
        return new SnapshotPick() {
            @Override
            Snapshot choose(List<Snapshot> candidates, Instant now) {
                SplittableRandom r = new SplittableRandom(seed ^ now.getEpochSecond() * 0x9E3779B97F4A7C15L);
                return candidates.get(r.nextInt(candidates.size()));
            }

            @Override
            public String toString() {
                return "random(seed=" + seed + ")";
            }
        };
    }

    /**
     * The oldest snapshot {@code policy} keeps at the drill's start: the restore point that has waited longest, the
     * one most likely to have been damaged unnoticed.
     */
    public static SnapshotPick oldestKeptBy(RetentionPolicy policy) {
        requireNonNull(policy, "policy");
        return new SnapshotPick() {
            @Override
            Snapshot choose(List<Snapshot> candidates, Instant now) {
                List<SnapshotInfo> infos = new ArrayList<>();
                for (Snapshot s : candidates) {
                    infos.add(new SnapshotInfo(s.requireId().toString(), s.instant(), s.hostname(), s.paths(),
                            java.util.Set.copyOf(s.tags()), false));
                }
                RetentionDecision d = policy.apply(infos, now);
                java.util.Set<String> kept = d.keptIds();
                // candidates are oldest first
                for (Snapshot s : candidates) {
                    if (kept.contains(s.requireId().toString())) {
                        return s;
                    }
                }
                return candidates.get(0);
            }

            @Override
            public String toString() {
                return "oldest-kept";
            }
        };
    }

    /** The newest snapshot. */
    public static SnapshotPick latest() {
        return new SnapshotPick() {
            @Override
            Snapshot choose(List<Snapshot> candidates, Instant now) {
                return candidates.get(candidates.size() - 1);
            }

            @Override
            public String toString() {
                return "latest";
            }
        };
    }

    /** The snapshot whose id starts with {@code prefix}. */
    public static SnapshotPick id(String prefix) {
        requireNonNull(prefix, "prefix");
        return new SnapshotPick() {
            @Override
            Snapshot choose(List<Snapshot> candidates, Instant now) {
                List<Snapshot> m = candidates.stream().filter(s -> s.requireId().toString().startsWith(prefix)).toList();
                if (m.size() != 1) {
                    throw new IllegalArgumentException(m.isEmpty() ? "no snapshot " + prefix
                            : "'" + prefix + "' matches " + m.size() + " snapshots; give more digits");
                }
                return m.get(0);
            }

            @Override
            public String toString() {
                return "id(" + prefix + ")";
            }
        };
    }

    /** Chooses among {@code candidates} (not empty, oldest first). */
    abstract Snapshot choose(List<Snapshot> candidates, Instant now);
}
