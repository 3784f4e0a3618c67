package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link RetentionPolicy} decided for a set of snapshots: the kept ones, each with its reasons, and the removed
 * ones. Both lists are sorted newest first (ties: smaller id first). Immutable.
 *
 * <pre>{@code
 * RetentionDecision d = policy.apply(snapshots, clock.instant());
 * System.out.println(d.explain());
 * d.reasonsFor("4f2a9c01");   // [daily snapshot [day:2024-03-17, 6 left]]
 * }</pre>
 */
public final class RetentionDecision {

    private final RetentionPolicy policy;
    private final Instant referenceTime;
    private final List<KeptSnapshot> kept;
    private final List<RetentionSnapshot> removed;
    private final Map<String, String> groupOf;
    private final Map<String, KeptSnapshot> keptById = new LinkedHashMap<>();

    RetentionDecision(RetentionPolicy policy, Instant referenceTime, List<KeptSnapshot> kept,
            List<RetentionSnapshot> removed, Map<String, String> groupOf) {
        this.policy = policy;
        this.referenceTime = referenceTime;
        this.kept = List.copyOf(kept);
        this.removed = List.copyOf(removed);
        this.groupOf = Map.copyOf(groupOf);
        kept.forEach(k -> keptById.put(k.snapshot().id(), k));
    }

    /** The kept snapshots with their reasons, newest first. */
    public List<KeptSnapshot> kept() {
        return kept;
    }

    /** The kept snapshots alone, newest first. */
    public List<RetentionSnapshot> keptSnapshots() {
        List<RetentionSnapshot> l = new ArrayList<>(kept.size());
        kept.forEach(k -> l.add(k.snapshot()));
        return l;
    }

    /** The removed snapshots, newest first. */
    public List<RetentionSnapshot> removed() {
        return removed;
    }

    /** The ids of the kept snapshots, newest first. */
    public Set<String> keptIds() {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(keptById.keySet()));
    }

    /** The ids of the removed snapshots, newest first. */
    public Set<String> removedIds() {
        Set<String> s = new LinkedHashSet<>();
        removed.forEach(r -> s.add(r.id()));
        return java.util.Collections.unmodifiableSet(s);
    }

    /**
     * Whether the snapshot with this id is kept.
     *
     * @throws IllegalArgumentException if no snapshot with this id was judged
     */
    public boolean isKept(String id) {
        requireNonNull(id, "id");
        if (!groupOf.containsKey(id)) {
            throw new IllegalArgumentException("no snapshot with id " + id + " in this decision");
        }
        return keptById.containsKey(id);
    }

    /**
     * Why the snapshot with this id is kept; empty if it is removed.
     *
     * @throws IllegalArgumentException if no snapshot with this id was judged
     */
    public List<KeepReason> reasonsFor(String id) {
        return isKept(id) ? keptById.get(id).reasons() : List.of();
    }

    /** The reference time the decision was made for. */
    public Instant referenceTime() {
        return referenceTime;
    }

    /** The policy that decided. */
    public RetentionPolicy policy() {
        return policy;
    }

    /**
     * A readable account: the policy, then per group every snapshot (newest first) with keep/remove and the reasons.
     */
    public String explain() {
        ZoneId zone = policy.zone();
        StringBuilder b = new StringBuilder();
        b.append("policy: ").append(policy.describe()).append('\n');
        b.append("reference time: ").append(format(referenceTime, zone)).append('\n');
        b.append("kept ").append(kept.size()).append(", removed ").append(removed.size()).append('\n');
        Map<String, List<String>> lines = new LinkedHashMap<>();
        List<RetentionSnapshot> all = new ArrayList<>(keptSnapshots());
        all.addAll(removed);
        all.sort(java.util.Comparator.comparing(RetentionSnapshot::time).reversed().thenComparing(RetentionSnapshot::id));
        for (RetentionSnapshot s : all) {
            KeptSnapshot k = keptById.get(s.id());
            String line = (k != null ? "  keep    " : "  remove  ") + format(s.time(), zone) + "  " + s.id()
                    + (k != null ? "  " + joinReasons(k.reasons()) : "");
            lines.computeIfAbsent(groupOf.get(s.id()), g -> new ArrayList<>()).add(line);
        }
        for (Map.Entry<String, List<String>> e : lines.entrySet()) {
            b.append("group ").append(e.getKey().isEmpty() ? "(all)" : e.getKey()).append(":\n");
            e.getValue().forEach(l -> b.append(l).append('\n'));
        }
        return b.toString();
    }

    /**
     * The decision as JSON: {@code {"referenceTime", "zone", "policy", "kept": [{"id", "time", "group", "reasons":
     * [{"rule", "period", "counter"}]}], "removed": [{"id", "time", "group"}]}}, times ISO-8601 with the zone's offset.
     */
    public String toJson() {
        ZoneId zone = policy.zone();
        StringBuilder b = new StringBuilder("{");
        b.append("\"referenceTime\":").append(Json.quote(format(referenceTime, zone)));
        b.append(",\"zone\":").append(Json.quote(zone.getId()));
        b.append(",\"policy\":").append(Json.quote(policy.describe()));
        b.append(",\"kept\":[");
        for (int i = 0; i < kept.size(); i++) {
            KeptSnapshot k = kept.get(i);
            b.append(i > 0 ? "," : "").append(snapshotJson(k.snapshot(), zone)).setLength(b.length() - 1);
            b.append(",\"reasons\":[");
            for (int j = 0; j < k.reasons().size(); j++) {
                b.append(j > 0 ? "," : "").append(k.reasons().get(j).toJson());
            }
            b.append("]}");
        }
        b.append("],\"removed\":[");
        for (int i = 0; i < removed.size(); i++) {
            b.append(i > 0 ? "," : "").append(snapshotJson(removed.get(i), zone));
        }
        return b.append("]}").toString();
    }

    private String snapshotJson(RetentionSnapshot s, ZoneId zone) {
        return "{\"id\":" + Json.quote(s.id()) + ",\"time\":" + Json.quote(format(s.time(), zone))
                + ",\"group\":" + Json.quote(groupOf.get(s.id())) + "}";
    }

    static String format(Instant t, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.ofInstant(t, zone));
    }

    static String joinReasons(List<KeepReason> reasons) {
        List<String> l = new ArrayList<>();
        reasons.forEach(r -> l.add(r.toString()));
        return String.join("; ", l);
    }

    @Override
    public String toString() {
        return "RetentionDecision[kept=" + kept.size() + ", removed=" + removed.size() + "]";
    }
}
