package dev.backup4j.core.restore;

import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.snapshot.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which snapshot to restore: a full id, a unique id prefix, the latest, or the one nearest to an instant, among the
 * snapshots that match optional host, tag and path filters (as restic's {@code --host}, {@code --tag},
 * {@code --path}). Immutable; each {@code with...} method returns a changed copy. {@link #select} is a pure function
 * of the snapshot list.
 *
 * <pre>{@code
 * SnapshotSelector s = SnapshotSelector.at(Instant.parse("2024-05-01T00:00:00Z"), TimeMatch.AT_OR_BEFORE)
 *         .withHost("lms-1").withTag("nightly");
 * SnapshotChoice c = s.select(repo.snapshots());   // c.distance(): how far the chosen snapshot is from May 1st
 * }</pre>
 */
public final class SnapshotSelector {
    /** How a snapshot is matched to a requested instant. */
    public enum TimeMatch {
        /** The newest snapshot taken at or before the instant ("as of"). */
        AT_OR_BEFORE,
        /** The oldest snapshot taken at or after the instant. */
        AT_OR_AFTER,
        /** The snapshot closest in time, either side; on a tie, the earlier one. */
        NEAREST
    }

    private enum Mode { ID, LATEST, TIME }

    private final Mode mode;
    private final String id;
    private final Instant time;
    private final TimeMatch match;
    private final Set<String> hosts;
    private final Set<String> tags;
    private final Set<String> paths;

    private SnapshotSelector(Mode mode, String id, Instant time, TimeMatch match, Set<String> hosts, Set<String> tags,
            Set<String> paths) {
        this.mode = mode;
        this.id = id;
        this.time = time;
        this.match = match;
        this.hosts = Set.copyOf(hosts);
        this.tags = Set.copyOf(tags);
        this.paths = Set.copyOf(paths);
    }

    /** The newest snapshot (after filters). */
    public static SnapshotSelector latest() {
        return new SnapshotSelector(Mode.LATEST, "", null, null, Set.of(), Set.of(), Set.of());
    }

    /**
     * A snapshot by full id or unique prefix. Anything that is not a prefix of a snapshot's id (including "") makes
     * {@link #select} throw {@link NoSuchSnapshotException}, as {@code Repository.snapshot} does.
     */
    public static SnapshotSelector id(String idOrPrefix) {
        Objects.requireNonNull(idOrPrefix, "idOrPrefix");
        String s = idOrPrefix.toLowerCase(Locale.ROOT);
        return new SnapshotSelector(Mode.ID, s, null, null, Set.of(), Set.of(), Set.of());
    }

    /** {@code latest} or an id / prefix, as the CLI takes it. */
    public static SnapshotSelector parse(String selector) {
        Objects.requireNonNull(selector, "selector");
        return selector.equals("latest") ? latest() : id(selector);
    }

    /** The snapshot matching {@code instant} the way {@code match} says. */
    public static SnapshotSelector at(Instant instant, TimeMatch match) {
        return new SnapshotSelector(Mode.TIME, "", Objects.requireNonNull(instant, "instant"),
                Objects.requireNonNull(match, "match"), Set.of(), Set.of(), Set.of());
    }

    /** Only snapshots from this host (may be given several times: any of them). */
    public SnapshotSelector withHost(String host) {
        return new SnapshotSelector(mode, id, time, match, plus(hosts, host), tags, paths);
    }

    /** Only snapshots carrying this tag (several: all of them). */
    public SnapshotSelector withTag(String tag) {
        return new SnapshotSelector(mode, id, time, match, hosts, plus(tags, tag), paths);
    }

    /** Only snapshots that backed up this path (several: all of them). */
    public SnapshotSelector withPath(String path) {
        return new SnapshotSelector(mode, id, time, match, hosts, tags, plus(paths, path));
    }

    private static Set<String> plus(Set<String> s, String v) {
        Objects.requireNonNull(v, "value");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty filter value");
        }
        List<String> l = new ArrayList<>(s);
        l.add(v);
        return Set.copyOf(l);
    }

    /** The requested instant, for a time-based selector. */
    public Optional<Instant> time() {
        return Optional.ofNullable(time);
    }

    /** True if a snapshot passes the host, tag and path filters. */
    public boolean accepts(Snapshot s) {
        return (hosts.isEmpty() || hosts.contains(s.hostname())) && s.tags().containsAll(tags)
                && s.paths().containsAll(paths);
    }

    /**
     * Chooses a snapshot from {@code snapshots} (any order).
     *
     * @throws NoSuchSnapshotException if none matches, or an id prefix matches several
     */
    public SnapshotChoice select(List<Snapshot> snapshots) throws NoSuchSnapshotException {
        List<Snapshot> all = new ArrayList<>(snapshots);
        all.sort(Comparator.comparing(Snapshot::instant).thenComparing(Snapshot::requireId));
        if (mode == Mode.ID) {
            List<Snapshot> m = id.isEmpty() ? List.of() : all.stream()
                    .filter(s -> s.requireId().toString().startsWith(id)).filter(this::accepts)
                    .toList();
            if (m.isEmpty()) {
                // restic's words (NoIDByPrefixError)
                throw new NoSuchSnapshotException("no matching ID found for prefix \"" + id + "\"" + filtersText());
            }
            if (m.size() > 1) {
                throw new NoSuchSnapshotException("'" + id + "' matches " + m.size() + " snapshots; give more digits");
            }
            return new SnapshotChoice(m.get(0), toString(), Optional.empty());
        }
        List<Snapshot> cand = all.stream().filter(this::accepts).toList();
        if (cand.isEmpty()) {
            throw new NoSuchSnapshotException("the repository has no snapshot" + filtersText());
        }
        if (mode == Mode.LATEST) {
            return new SnapshotChoice(cand.get(cand.size() - 1), toString(), Optional.empty());
        }
        Snapshot before = null;
        Snapshot after = null;
        for (Snapshot s : cand) {
            if (!s.instant().isAfter(time)) {
                before = s; // sorted oldest first: ends as the newest at-or-before
            }
            if (after == null && !s.instant().isBefore(time)) {
                after = s;
            }
        }
        Snapshot chosen = switch (match) {
            case AT_OR_BEFORE -> before;
            case AT_OR_AFTER -> after;
            case NEAREST -> {
                if (before == null) {
                    yield after;
                }
                if (after == null) {
                    yield before;
                }
                Duration db = Duration.between(before.instant(), time);
                Duration da = Duration.between(time, after.instant());
                yield da.compareTo(db) < 0 ? after : before;
            }
        };
        if (chosen == null) {
            throw new NoSuchSnapshotException("no snapshot " + (match == TimeMatch.AT_OR_BEFORE ? "at or before "
                    : "at or after ") + time + filtersText() + "; the snapshots range from "
                    + cand.get(0).instant() + " to " + cand.get(cand.size() - 1).instant());
        }
        return new SnapshotChoice(chosen, toString(), Optional.of(time));
    }

    private String filtersText() {
        StringBuilder b = new StringBuilder();
        if (!hosts.isEmpty()) {
            b.append(" host in ").append(new java.util.TreeSet<>(hosts));
        }
        if (!tags.isEmpty()) {
            b.append(" tags ").append(new java.util.TreeSet<>(tags));
        }
        if (!paths.isEmpty()) {
            b.append(" paths ").append(new java.util.TreeSet<>(paths));
        }
        return b.length() == 0 ? "" : " (filters:" + b + ")";
    }

    @Override
    public String toString() {
        String base = switch (mode) {
            case ID -> id;
            case LATEST -> "latest";
            case TIME -> match.name().toLowerCase(Locale.ROOT).replace('_', '-') + " " + time;
        };
        return base + filtersText();
    }
}
