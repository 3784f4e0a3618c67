package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link RetentionSimulation} saw: every snapshot made and when it was removed, the number held over time,
 * and for each {@link AgeBand} the worst distance from a requested restore time to the nearest restore point.
 * Renders as text, CSV, JSON and an SVG timeline. Immutable.
 *
 * <pre>{@code
 * SimulationResult r = simulation.run();
 * r.restorePointsAt(LocalDate.of(2027, 5, 1)).forEach(System.out::println);
 * Files.writeString(Path.of("timeline.svg"), r.toSvg());
 * }</pre>
 */
public final class SimulationResult {

    /**
     * One snapshot's life in the simulation.
     *
     * @param snapshot the snapshot (its tag is the schedule part's kind)
     * @param kind the kind of run that made it ({@code daily}, {@code weekly}...)
     * @param removedAt when the policy removed it; empty if it was still there at the end
     */
    public record SnapshotLife(SnapshotInfo snapshot, String kind, Optional<Instant> removedAt) {
        /** @throws NullPointerException if an argument is null */
        public SnapshotLife {
            requireNonNull(snapshot, "snapshot");
            requireNonNull(kind, "kind");
            requireNonNull(removedAt, "removedAt");
        }

        /** Whether the snapshot existed just after the prune at {@code t} (created at or before, not removed by then). */
        public boolean aliveAfter(Instant t) {
            return !snapshot.time().isAfter(t) && (removedAt.isEmpty() || removedAt.get().isAfter(t));
        }
    }

    /**
     * The worst gap seen in one age band.
     *
     * @param band the band
     * @param worst the largest distance from a requested restore time in the band to the nearest restore point, over
     *     every simulated day; empty if no request fell in the band (simulation shorter than the band's ages)
     * @param on the first day (end of day) the worst distance was seen
     */
    public record BandResult(AgeBand band, Optional<Duration> worst, Optional<LocalDate> on) {
        /** @throws NullPointerException if an argument is null */
        public BandResult {
            requireNonNull(band, "band");
            requireNonNull(worst, "worst");
            requireNonNull(on, "on");
        }
    }

    /**
     * A restore point that exists at some date, with the reasons the policy keeps it.
     *
     * @param snapshot the snapshot
     * @param kind the kind of run that made it
     * @param reasons why the last prune before that date kept it
     */
    public record RestorePoint(SnapshotInfo snapshot, String kind, List<KeepReason> reasons) {
        /** @throws NullPointerException if an argument is null */
        public RestorePoint {
            requireNonNull(snapshot, "snapshot");
            requireNonNull(kind, "kind");
            reasons = List.copyOf(reasons);
        }
    }

    private final RetentionPolicy policy;
    private final BackupSchedule schedule;
    private final ZoneId zone;
    private final LocalDate from;
    private final LocalDate until;
    private final List<SnapshotLife> lives;
    private final Instant[] pruneTimes;
    private final int[] removedIndex;
    private final int missed;
    private final int maxHeld;
    private final double meanHeld;
    private final LocalDate[] days;
    private final int[] heldAtDayEnd;
    private final long[][] worstByDay;
    private final List<AgeBand> bands;

    private SimulationResult(Recorder r, Instant end) {
        this.policy = r.policy;
        this.schedule = r.schedule;
        this.zone = r.zone;
        this.from = r.from;
        this.until = r.until;
        this.pruneTimes = r.pruneTimes.toArray(Instant[]::new);
        this.removedIndex = new int[r.made.size()];
        List<SnapshotLife> l = new ArrayList<>(r.made.size());
        for (int i = 0; i < r.made.size(); i++) {
            Integer idx = r.removedAt.get(r.made.get(i).id());
            removedIndex[i] = idx == null ? -1 : idx;
            l.add(new SnapshotLife(r.made.get(i), r.kinds.get(i),
                    idx == null ? Optional.empty() : Optional.of(pruneTimes[idx])));
        }
        this.lives = List.copyOf(l);
        this.missed = r.missed;
        this.maxHeld = r.maxHeld;
        this.meanHeld = r.pruneTimes.isEmpty() ? 0 : (double) r.heldSum / r.pruneTimes.size();
        this.days = r.days.toArray(LocalDate[]::new);
        this.heldAtDayEnd = r.heldAtDayEnd.stream().mapToInt(Integer::intValue).toArray();
        this.worstByDay = r.worst.toArray(long[][]::new);
        this.bands = r.bands;
    }

    /** Every snapshot made, oldest first. */
    public List<SnapshotLife> snapshots() {
        return lives;
    }

    /** How many scheduled runs were missed. */
    public int missedRuns() {
        return missed;
    }

    /** How many backups ran (and were each followed by a prune). */
    public int successfulRuns() {
        return pruneTimes.length;
    }

    /** The most snapshots held after any prune. */
    public int maxHeld() {
        return maxHeld;
    }

    /** The mean number of snapshots held after a prune. */
    public double meanHeld() {
        return meanHeld;
    }

    /** The first simulated day. */
    public LocalDate from() {
        return from;
    }

    /** The day after the last simulated day. */
    public LocalDate until() {
        return until;
    }

    /** The zone the simulation ran in. */
    public ZoneId zone() {
        return zone;
    }

    /** The number of snapshots held at the end of each simulated day, in day order from {@link #from()}. */
    public int[] heldAtEndOfEachDay() {
        return heldAtDayEnd.clone();
    }

    /** The worst gap per age band over the whole simulation. */
    public List<BandResult> worstGaps() {
        List<BandResult> out = new ArrayList<>();
        for (int b = 0; b < bands.size(); b++) {
            long worst = -1;
            LocalDate on = null;
            for (int d = 0; d < days.length; d++) {
                if (worstByDay[d][b] > worst) {
                    worst = worstByDay[d][b];
                    on = days[d];
                }
            }
            out.add(new BandResult(bands.get(b), worst < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(worst)),
                    Optional.ofNullable(on)));
        }
        return out;
    }

    /**
     * The restore points that exist at the end of {@code date} (in the simulation's zone), newest first, each with the
     * reasons of the prune that last judged it. Empty before the first backup.
     *
     * @throws IllegalStateException if replaying that prune does not reproduce the simulation (a bug)
     */
    public List<RestorePoint> restorePointsAt(LocalDate date) {
        requireNonNull(date, "date");
        Instant endOfDay = date.plusDays(1).atStartOfDay(zone).toInstant();
        int i = lastPruneBefore(endOfDay);
        if (i < 0) {
            return List.of();
        }
        Instant t = pruneTimes[i];
        // The k-th snapshot was made just before the k-th prune; the set judged at prune i is every snapshot made by
        // then and not removed by an earlier prune.
        List<SnapshotInfo> before = new ArrayList<>();
        Map<String, SnapshotLife> byId = new HashMap<>();
        Set<String> aliveAfter = new HashSet<>();
        for (int k = 0; k <= i; k++) {
            int removed = removedIndex[k];
            if (removed < 0 || removed >= i) {
                SnapshotLife l = lives.get(k);
                before.add(l.snapshot());
                byId.put(l.snapshot().id(), l);
                if (removed != i) {
                    aliveAfter.add(l.snapshot().id());
                }
            }
        }
        RetentionDecision d = policy.apply(before, t);
        if (!d.keptIds().equals(aliveAfter)) {
            throw new IllegalStateException("replaying the prune at " + t + " kept " + d.keptIds() + " but the simulation kept " + aliveAfter);
        }
        List<RestorePoint> out = new ArrayList<>();
        for (KeptSnapshot k : d.kept()) {
            SnapshotLife l = byId.get(k.snapshot().id());
            out.add(new RestorePoint(l.snapshot(), l.kind(), k.reasons()));
        }
        return out;
    }

    private int lastPruneBefore(Instant exclusive) {
        int lo = 0;
        int hi = pruneTimes.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (pruneTimes[mid].isBefore(exclusive)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** A human summary: settings, counts, worst gaps per band, and a day-by-day map of the restore points at the end. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("schedule   ").append(schedule).append(" in ").append(zone).append(", ").append(from).append(" to ")
                .append(until.minusDays(1)).append('\n');
        b.append("policy     ").append(policy.describe()).append('\n');
        b.append("runs       ").append(successfulRuns()).append(" made, ").append(missed).append(" missed\n");
        b.append("held       max ").append(maxHeld).append(", mean ").append(String.format(Locale.ROOT, "%.1f", meanHeld))
                .append(" snapshots (after each prune)\n");
        b.append("worst distance from a requested restore time to the nearest restore point, by age of the request:\n");
        for (BandResult r : worstGaps()) {
            b.append(String.format(Locale.ROOT, "  %-12s %s%n", r.band().name(),
                    r.worst().map(w -> human(w) + "  (first on " + r.on().get() + ")").orElse("no request that old")));
        }
        LocalDate last = until.minusDays(1);
        List<RestorePoint> end = restorePointsAt(last);
        b.append("restore points at the end of ").append(last).append(": ").append(end.size()).append('\n');
        b.append(dayMap(end, last));
        return b.toString();
    }

    /** Rows of months (newest first), one character per day: '#' has a restore point, '.' has none. */
    private String dayMap(List<RestorePoint> points, LocalDate last) {
        Set<LocalDate> have = new HashSet<>();
        LocalDate oldest = last;
        for (RestorePoint p : points) {
            LocalDate d = LocalDate.ofInstant(p.snapshot().time(), zone);
            have.add(d);
            if (d.isBefore(oldest)) {
                oldest = d;
            }
        }
        StringBuilder b = new StringBuilder("  month     1        10        20        30\n");
        for (YearMonth m = YearMonth.from(last); !m.isBefore(YearMonth.from(oldest)); m = m.minusMonths(1)) {
            b.append("  ").append(m).append("   ");
            for (int d = 1; d <= m.lengthOfMonth(); d++) {
                LocalDate day = m.atDay(d);
                b.append(day.isAfter(last) ? ' ' : have.contains(day) ? '#' : '.');
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * One row per simulated day: {@code date,held} and, per age band, the worst distance that day in hours
     * (empty when no request fell in the band).
     */
    public String toCsv() {
        StringBuilder b = new StringBuilder("date,held");
        for (AgeBand band : bands) {
            b.append(",worst_hours_").append(band.name().replaceAll("[^A-Za-z0-9]+", "_"));
        }
        b.append('\n');
        for (int d = 0; d < days.length; d++) {
            b.append(days[d]).append(',').append(heldAtDayEnd[d]);
            for (int i = 0; i < bands.size(); i++) {
                long w = worstByDay[d][i];
                b.append(',').append(w < 0 ? "" : String.format(Locale.ROOT, "%.2f", w / 3600.0));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The summary as JSON: settings, counts, {@code bands} and {@code restorePointsAtEnd}. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        b.append("\"schedule\":").append(Json.quote(schedule.toString()));
        b.append(",\"zone\":").append(Json.quote(zone.getId()));
        b.append(",\"from\":").append(Json.quote(from.toString()));
        b.append(",\"to\":").append(Json.quote(until.minusDays(1).toString()));
        b.append(",\"policy\":").append(Json.quote(policy.describe()));
        b.append(",\"runs\":").append(successfulRuns()).append(",\"missed\":").append(missed);
        b.append(",\"maxHeld\":").append(maxHeld);
        b.append(",\"meanHeld\":").append(String.format(Locale.ROOT, "%.3f", meanHeld));
        b.append(",\"bands\":[");
        List<BandResult> gaps = worstGaps();
        for (int i = 0; i < gaps.size(); i++) {
            BandResult r = gaps.get(i);
            b.append(i > 0 ? "," : "").append("{\"band\":").append(Json.quote(r.band().name()))
                    .append(",\"worstSeconds\":").append(r.worst().map(w -> Long.toString(w.getSeconds())).orElse("null"))
                    .append(",\"worst\":").append(r.worst().map(w -> Json.quote(human(w))).orElse("null"))
                    .append(",\"on\":").append(r.on().map(o -> Json.quote(o.toString())).orElse("null")).append('}');
        }
        b.append("],\"restorePointsAtEnd\":").append(restorePointsJson(until.minusDays(1)));
        return b.append('}').toString();
    }

    /**
     * The restore points at the end of {@code date} as a JSON array of {@code {"id", "time", "kind", "reasons":
     * [{"rule", "period", "counter"}]}}, {@code time} in ISO-8601 with the zone's offset.
     */
    public String restorePointsJson(LocalDate date) {
        StringBuilder b = new StringBuilder("[");
        List<RestorePoint> points = restorePointsAt(date);
        for (int i = 0; i < points.size(); i++) {
            RestorePoint p = points.get(i);
            b.append(i > 0 ? "," : "").append("{\"id\":").append(Json.quote(p.snapshot().id()))
                    .append(",\"time\":").append(Json.quote(RetentionDecision.format(p.snapshot().time(), zone)))
                    .append(",\"kind\":").append(Json.quote(p.kind())).append(",\"reasons\":[");
            for (int j = 0; j < p.reasons().size(); j++) {
                b.append(j > 0 ? "," : "").append(p.reasons().get(j).toJson());
            }
            b.append("]}");
        }
        return b.append(']').toString();
    }

    /** The restore points at the end of {@code date}, one line each: time, kind, reasons. */
    public String restorePointsText(LocalDate date) {
        StringBuilder b = new StringBuilder();
        for (RestorePoint p : restorePointsAt(date)) {
            b.append(RetentionDecision.format(p.snapshot().time(), zone)).append("  ").append(String.format("%-7s", p.kind()))
                    .append("  ").append(RetentionDecision.joinReasons(p.reasons())).append('\n');
        }
        return b.toString();
    }

    /** The timeline of the last year of the simulation (or all of it if shorter) as SVG; see {@link #toSvg(LocalDate, LocalDate)}. */
    public String toSvg() {
        LocalDate start = until.minusYears(1).isBefore(from) ? from : until.minusYears(1);
        return toSvg(start, until);
    }

    /**
     * The timeline from {@code start} to {@code end} as a standalone SVG: each snapshot is a horizontal line at the
     * height of its creation time, from when it was made to when it was removed (x axis: simulated time). A vertical
     * line through the chart crosses exactly the restore points that existed then. Colours tell how long it lived.
     *
     * @throws IllegalArgumentException if {@code end} is not after {@code start}
     */
    public String toSvg(LocalDate start, LocalDate end) {
        return SimulationSvg.render(this, policy, schedule, start.atStartOfDay(zone).toInstant(),
                end.atStartOfDay(zone).toInstant(), until.atStartOfDay(zone).toInstant());
    }

    static String human(Duration d) {
        long s = d.getSeconds();
        long days = s / 86400;
        long h = (s % 86400) / 3600;
        long m = (s % 3600) / 60;
        if (days > 0) {
            return days + "d " + h + "h";
        }
        return h > 0 ? h + "h " + m + "m" : m + "m";
    }

    /** Collects what happens during a run of the simulation. */
    static final class Recorder {
        final RetentionPolicy policy;
        final BackupSchedule schedule;
        final ZoneId zone;
        final LocalDate from;
        final LocalDate until;
        final List<AgeBand> bands;
        final List<SnapshotInfo> made = new ArrayList<>();
        final List<String> kinds = new ArrayList<>();
        final Map<String, Integer> removedAt = new HashMap<>();
        final List<Instant> pruneTimes = new ArrayList<>();
        final List<LocalDate> days = new ArrayList<>();
        final List<Integer> heldAtDayEnd = new ArrayList<>();
        final List<long[]> worst = new ArrayList<>();
        int missed;
        int maxHeld;
        long heldSum;
        private LocalDate day;
        private Instant firstBackup;

        Recorder(RetentionPolicy policy, BackupSchedule schedule, ZoneId zone, LocalDate from, LocalDate until, List<AgeBand> bands) {
            this.policy = policy;
            this.schedule = schedule;
            this.zone = zone;
            this.from = from;
            this.until = until;
            this.bands = bands;
            this.day = from;
        }

        void missed(BackupSchedule.Run run) {
            missed++;
        }

        void created(SnapshotInfo s, String kind) {
            made.add(s);
            kinds.add(kind);
            if (firstBackup == null) {
                firstBackup = s.time();
            }
        }

        void removed(String id) {
            // Removed by the prune about to be recorded.
            removedAt.put(id, pruneTimes.size());
        }

        void pruned(Instant t, int held) {
            pruneTimes.add(t);
            maxHeld = Math.max(maxHeld, held);
            heldSum += held;
        }

        /** Closes every day that ends at or before {@code t}, with {@code alive} as its end-of-day state. */
        void advanceDaysTo(Instant t, Collection<List<Rules.Entry>> alive) {
            while (day.isBefore(until)) {
                Instant endOfDay = day.plusDays(1).atStartOfDay(zone).toInstant();
                if (endOfDay.isAfter(t)) {
                    return;
                }
                closeDay(endOfDay, alive);
                day = day.plusDays(1);
            }
        }

        private void closeDay(Instant now, Collection<List<Rules.Entry>> alive) {
            int n = 0;
            for (List<Rules.Entry> g : alive) {
                n += g.size();
            }
            long[] times = new long[n];
            int i = 0;
            for (List<Rules.Entry> g : alive) {
                for (Rules.Entry e : g) {
                    times[i++] = e.time.getEpochSecond();
                }
            }
            Arrays.sort(times);
            long[] w = new long[bands.size()];
            for (int b = 0; b < bands.size(); b++) {
                AgeBand band = bands.get(b);
                long hi = band.younger().before(now.atZone(zone)).toEpochSecond();
                long lo = band.older().before(now.atZone(zone)).toEpochSecond();
                if (firstBackup != null) {
                    lo = Math.max(lo, firstBackup.getEpochSecond());
                }
                w[b] = firstBackup == null || lo > hi ? -1 : worstDistance(times, lo, hi);
            }
            days.add(day);
            heldAtDayEnd.add(n);
            worst.add(w);
        }

        SimulationResult finish(Instant end) {
            return new SimulationResult(this, end);
        }
    }

    /** max over r in [lo, hi] of the distance from r to the nearest of {@code sorted}; Long.MAX_VALUE if none. */
    static long worstDistance(long[] sorted, long lo, long hi) {
        if (sorted.length == 0) {
            return Long.MAX_VALUE;
        }
        long worst = Math.max(nearest(sorted, lo), nearest(sorted, hi));
        // Between two consecutive points the distance peaks at their midpoint.
        for (int i = 0; i + 1 < sorted.length; i++) {
            long a = sorted[i];
            long c = sorted[i + 1];
            if (c < lo) {
                continue;
            }
            if (a > hi) {
                break;
            }
            long mid = a + (c - a) / 2;
            if (mid >= lo && mid <= hi) {
                worst = Math.max(worst, Math.min(mid - a, c - mid));
            }
        }
        return worst;
    }

    private static long nearest(long[] sorted, long t) {
        int i = Arrays.binarySearch(sorted, t);
        if (i >= 0) {
            return 0;
        }
        int ins = -i - 1;
        long best = Long.MAX_VALUE;
        if (ins < sorted.length) {
            best = sorted[ins] - t;
        }
        if (ins > 0) {
            best = Math.min(best, t - sorted[ins - 1]);
        }
        return best;
    }
}
