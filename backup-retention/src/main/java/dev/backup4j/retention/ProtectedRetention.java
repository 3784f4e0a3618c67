package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link RetentionPolicy} that snapshots forged by someone who can only add snapshots (ransomware with the
 * application server's credentials) cannot turn against the real ones. restic's documentation warns that such an
 * attacker can push real snapshots out of a {@code --keep-last} policy by adding new ones; here every snapshot is
 * also judged by the time the storage saw it arrive ({@link StoredSnapshot#storedAt()}):
 *
 * <ul>
 *   <li>a snapshot stored less than {@code settle} ago is kept ({@code protected: stored recently}) and takes no part
 *       in the policy's rules, so it displaces nothing: a forget run within {@code settle} of an attack decides about
 *       the other snapshots exactly as it would without the attacker's;</li>
 *   <li>a snapshot whose claimed time is more than {@code maxSkew} from its storage time is reported as
 *       suspicious, kept, and takes no part in the rules either (a real backup is stored within minutes of the time
 *       it claims; a forged one claiming an old or a future time is not);</li>
 *   <li>the rules apply to the others, as without protection.</li>
 * </ul>
 *
 * A snapshot whose storage time is unknown is judged by its claimed time alone (not protected). Run retention from a
 * trusted machine and look at {@link #suspicious}; keep {@code settle} longer than the time an attack may go
 * unnoticed (a day, a week). Together with append-only storage, an attacker who can only add snapshots can then
 * never make a forget remove a snapshot that the same protected policy keeps without the attacker's snapshots
 * (the property {@code ProtectedRetentionPropertiesTest} checks for every preset).
 *
 * <pre>{@code
 * List<StoredSnapshot> stored = List.of();    // the snapshots, with when the storage received each
 * ProtectedRetention p = ProtectedRetention.of(RetentionPresets.daily7Weekly3Monthly3(zone), Duration.ofDays(2),
 *         Duration.ofHours(6));
 * RetentionDecision d = p.apply(stored, clock.instant());
 * p.suspicious(stored).forEach(s -> System.out.println("forged snapshot? " + s.id()));
 * }</pre>
 */
public final class ProtectedRetention {
    private final RetentionPolicy policy;
    private final Duration settle;
    private final Duration maxSkew;

    private ProtectedRetention(RetentionPolicy policy, Duration settle, Duration maxSkew) {
        this.policy = policy;
        this.settle = settle;
        this.maxSkew = maxSkew;
    }

    /**
     * Protects {@code policy}.
     *
     * @param settle how long after its arrival a snapshot takes no part in the rules (kept, displacing nothing)
     * @param maxSkew the largest difference between claimed and storage time that is not suspicious
     * @throws IllegalArgumentException if a duration is negative
     */
    public static ProtectedRetention of(RetentionPolicy policy, Duration settle, Duration maxSkew) {
        requireNonNull(policy, "policy");
        if (settle.isNegative() || maxSkew.isNegative()) {
            throw new IllegalArgumentException("settle and maxSkew must not be negative");
        }
        return new ProtectedRetention(policy, settle, maxSkew);
    }

    /** The policy protected. */
    public RetentionPolicy policy() {
        return policy;
    }

    /** The snapshots whose claimed time is more than the allowed skew from the time the storage saw them. */
    public List<StoredSnapshot> suspicious(Collection<? extends StoredSnapshot> snapshots) {
        List<StoredSnapshot> out = new ArrayList<>();
        for (StoredSnapshot s : snapshots) {
            if (isSuspicious(s)) {
                out.add(s);
            }
        }
        return out;
    }

    private boolean isSuspicious(StoredSnapshot s) {
        return s.storedAt().isPresent()
                && Duration.between(s.time(), s.storedAt().get()).abs().compareTo(maxSkew) > 0;
    }

    private boolean isRecent(StoredSnapshot s, Instant now) {
        return s.storedAt().isPresent() && s.storedAt().get().isAfter(now.minus(settle));
    }

    /**
     * Decides: the recent and the suspicious snapshots are kept with their reason, the policy decides about the
     * others.
     */
    public RetentionDecision apply(Collection<? extends StoredSnapshot> snapshots, Instant referenceTime) {
        requireNonNull(snapshots, "snapshots");
        requireNonNull(referenceTime, "referenceTime");
        List<StoredSnapshot> judged = new ArrayList<>();
        Map<String, KeepReason> exempt = new LinkedHashMap<>();
        for (StoredSnapshot s : snapshots) {
            if (isSuspicious(s)) {
                exempt.put(s.id(), KeepReason.of("suspicious: claims " + s.time() + " but was stored at "
                        + s.storedAt().get() + "; kept, takes no part in the rules"));
            } else if (isRecent(s, referenceTime)) {
                exempt.put(s.id(), KeepReason.of("protected: stored less than " + settle + " ago, takes no part in "
                        + "the rules"));
            } else {
                judged.add(s);
            }
        }
        RetentionDecision d = policy.apply(judged, referenceTime);
        if (exempt.isEmpty()) {
            return d;
        }
        List<KeptSnapshot> kept = new ArrayList<>(d.kept());
        Map<String, String> groupOf = new LinkedHashMap<>();
        for (KeptSnapshot k : d.kept()) {
            groupOf.put(k.snapshot().id(), k.group());
        }
        for (RetentionSnapshot r : d.removed()) {
            groupOf.put(r.id(), policy.newEntry(r, false).group);
        }
        for (StoredSnapshot s : snapshots) {
            KeepReason why = exempt.get(s.id());
            if (why != null) {
                String group = policy.newEntry(s, false).group;
                kept.add(new KeptSnapshot(s, group, List.of(why)));
                groupOf.put(s.id(), group);
            }
        }
        kept.sort((a, b) -> {
            int c = b.snapshot().time().compareTo(a.snapshot().time());
            return c != 0 ? c : a.snapshot().id().compareTo(b.snapshot().id());
        });
        return new RetentionDecision(policy, referenceTime, kept, d.removed(), groupOf);
    }

    /** A stored snapshot from a retention snapshot and its storage time. */
    public static StoredSnapshot stored(RetentionSnapshot s, Optional<Instant> storedAt) {
        requireNonNull(s, "s");
        requireNonNull(storedAt, "storedAt");
        return new StoredSnapshot() {
            @Override
            public String id() {
                return s.id();
            }

            @Override
            public Instant time() {
                return s.time();
            }

            @Override
            public String host() {
                return s.host();
            }

            @Override
            public List<String> paths() {
                return s.paths();
            }

            @Override
            public Set<String> tags() {
                return s.tags();
            }

            @Override
            public boolean held() {
                return s.held();
            }

            @Override
            public Optional<Instant> storedAt() {
                return storedAt;
            }

            @Override
            public String toString() {
                return s + " stored " + storedAt.map(Instant::toString).orElse("?");
            }
        };
    }
}
