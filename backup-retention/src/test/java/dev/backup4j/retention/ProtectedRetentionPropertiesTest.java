package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.between;
import static dev.backup4j.retention.Histories.histories;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Forged snapshots (issue: backups an attacker cannot destroy): an attacker who can only add snapshots, with any
 * claimed times, hosts, paths and tags, stored within the protection's settle time before the forget runs, can never
 * make a {@link ProtectedRetention} remove a real snapshot that the same protected policy keeps without the
 * attacker's snapshots. Checked for every preset and for random policies; and the same attacks do succeed against
 * the unprotected policies in a good share of the examples, so the property is not vacuous.
 */
class ProtectedRetentionPropertiesTest {
    static final Duration SETTLE = Duration.ofDays(2);
    static final Duration MAX_SKEW = Duration.ofHours(6);

    /** The attacker's snapshots, for a history, as a list of (kind, seed) pairs the test turns into snapshots. */
    record Attack(List<long[]> forged) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("attack[");
            for (long[] f : forged) {
                b.append(java.util.Arrays.toString(f));
            }
            return b.append(']').toString();
        }
    }

    static Gen<Attack> attacks() {
        return in -> {
            int n = (int) between(in, 1, 8);
            List<long[]> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add(new long[] {between(in, 0, 4), between(in, 0, 1_000_000), between(in, 0, 1_000_000)});
            }
            return new Attack(l);
        };
    }

    /** Real snapshots: stored within an hour of the time they claim (never after the reference). */
    static List<StoredSnapshot> stored(Histories.History h) {
        List<StoredSnapshot> out = new ArrayList<>();
        for (SnapshotInfo s : h.snapshots()) {
            long skew = Math.floorMod(s.id().hashCode(), 3600);
            Instant at = s.time().plusSeconds(skew);
            out.add(ProtectedRetention.stored(s, Optional.of(at.isAfter(h.reference()) ? h.reference() : at)));
        }
        return out;
    }

    /** The attacker's snapshots: stored in the settle window before the reference, claiming whatever they like. */
    static List<StoredSnapshot> forged(Attack a, Histories.History h) {
        List<StoredSnapshot> out = new ArrayList<>();
        List<SnapshotInfo> real = h.snapshots();
        int i = 0;
        for (long[] f : a.forged()) {
            Instant storedAt = h.reference().minusSeconds(f[1] % SETTLE.toSeconds());
            Instant claimed = switch ((int) f[0]) {
                case 0 -> storedAt; // an honest-looking new backup
                case 1 -> storedAt.minusSeconds(f[2] % (400L * 86400)); // back-dated
                case 2 -> storedAt.plusSeconds(f[2] % (30L * 86400)); // future-dated
                case 3 -> real.isEmpty() ? storedAt : real.get((int) (f[2] % real.size())).time(); // a real one's time
                default -> storedAt.minusSeconds(f[2] % 3600);
            };
            SnapshotInfo like = real.isEmpty() ? null : real.get((int) (f[2] % real.size()));
            String host = like != null && f[2] % 2 == 0 ? like.host() : "a";
            Set<String> tags = like != null && f[2] % 3 == 0 ? like.tags() : Set.of();
            SnapshotInfo s = new SnapshotInfo("evil" + (i++), claimed, host, List.of("/data"), tags, false);
            out.add(ProtectedRetention.stored(s, Optional.of(storedAt)));
        }
        return out;
    }

    private static List<RetentionPolicy> policies(Histories.History h, PolicySpec random) {
        List<RetentionPolicy> l = new ArrayList<>();
        for (String name : List.of("daily7-weekly3-monthly3", "daily7-weekly4-firstofmonth3", "daily7-weekly4-tagged1y",
                "hourly90d", "all30d", "all60d", "all90d", "daily2")) {
            l.add(RetentionPresets.byName(name, h.zone()));
        }
        l.add(random.build(h.zone()));
        return l;
    }

    @Test
    void forgedSnapshotsNeverMakeTheProtectedPolicyRemoveARealSnapshotItKeepsWithoutThem() {
        AtomicInteger examples = new AtomicInteger();
        AtomicInteger unprotectedBroken = new AtomicInteger();
        Props.theory().forAll(histories(40), attacks(), PolicySpec.policies(RuleSpec.any(), 4)).check((h, a, spec) -> {
            List<StoredSnapshot> real = stored(h);
            List<StoredSnapshot> all = new ArrayList<>(real);
            all.addAll(forged(a, h));
            for (RetentionPolicy p : policies(h, spec)) {
                examples.incrementAndGet();
                ProtectedRetention guarded = ProtectedRetention.of(p, SETTLE, MAX_SKEW);
                Set<String> keptWithout = guarded.apply(real, h.reference()).keptIds();
                Set<String> removedWith = guarded.apply(all, h.reference()).removedIds();
                for (String id : keptWithout) {
                    if (removedWith.contains(id)) {
                        return false;
                    }
                }
                Set<String> plainKept = p.apply(real, h.reference()).keptIds();
                Set<String> plainRemovedWith = new HashSet<>(p.apply(all, h.reference()).removedIds());
                plainRemovedWith.retainAll(plainKept);
                if (!plainRemovedWith.isEmpty()) {
                    unprotectedBroken.incrementAndGet();
                }
            }
            return true;
        });
        System.out.printf("forged snapshots: %d policy evaluations; the same attack removed a real snapshot from the "
                + "unprotected policy in %d (%.1f%%)%n", examples.get(), unprotectedBroken.get(),
                100.0 * unprotectedBroken.get() / examples.get());
        assertTrue(unprotectedBroken.get() >= examples.get() / 20,
                "attacks mattered without protection in only " + unprotectedBroken + " of " + examples);
    }

    @Test
    void aSnapshotClaimingATimeFarFromItsStorageTimeIsReportedAndKept() {
        Instant now = Instant.parse("2026-06-01T00:00:00Z");
        SnapshotInfo old = SnapshotInfo.of("real", now.minus(Duration.ofDays(10)));
        SnapshotInfo forged = SnapshotInfo.of("forged", now.minus(Duration.ofDays(400)));
        List<StoredSnapshot> s = List.of(
                ProtectedRetention.stored(old, Optional.of(old.time().plusSeconds(60))),
                ProtectedRetention.stored(forged, Optional.of(now.minus(Duration.ofDays(5)))));
        ProtectedRetention p = ProtectedRetention.of(RetentionPolicy.builder().zone(java.time.ZoneOffset.UTC)
                .keepLast(1).build(), SETTLE, MAX_SKEW);
        assertTrue(p.suspicious(s).stream().map(StoredSnapshot::id).toList().equals(List.of("forged")));
        RetentionDecision d = p.apply(s, now);
        assertTrue(d.keptIds().equals(Set.of("real", "forged")), d.explain());
        assertTrue(d.reasonsFor("forged").get(0).rule().startsWith("suspicious: claims"), d.explain());
    }
}
