package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a backup schedule for years on a {@link SimulatedClock}: at each scheduled run (unless it is missed) one
 * snapshot is made and the policy is applied right away with the run's time as reference, removing what it removes.
 * The {@link SimulationResult} tells which restore points existed when, how many snapshots were held, and how far a
 * requested restore time can be from the nearest restore point.
 *
 * <pre>{@code
 * SimulationResult r = RetentionSimulation.builder()
 *     .policy(RetentionPresets.daily7Weekly3Monthly3(zone))
 *     .schedule(BackupSchedule.parse("daily@02:00"))
 *     .from(LocalDate.of(2020, 1, 1)).years(10)
 *     .run();
 * System.out.println(r.toText());
 * }</pre>
 */
public final class RetentionSimulation {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSimulation.class);

    private final Builder b;

    private RetentionSimulation(Builder b) {
        this.b = b;
    }

    /** Starts a simulation. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs the simulation; deterministic for the same settings. */
    public SimulationResult run() {
        ZoneId zone = b.zone != null ? b.zone : b.schedule.zone().orElse(b.policy.zone());
        Instant start = b.from.atStartOfDay(zone).toInstant();
        LocalDate endDate = b.from.plusYears(b.years);
        Instant end = endDate.atStartOfDay(zone).toInstant();
        List<BackupSchedule.Run> runs = b.schedule.runsBetween(start, end, zone);
        SimulatedClock clock = SimulatedClock.at(start, zone);
        MissedRuns.Decider missed = b.missed.start();
        SimulationResult.Recorder rec = new SimulationResult.Recorder(b.policy, b.schedule, zone, b.from, endDate, b.bands);
        // Entries live from prune to prune so their period keys are computed once; each group is kept newest first.
        Map<String, List<Rules.Entry>> groups = new LinkedHashMap<>();
        int seq = 0;
        for (BackupSchedule.Run run : runs) {
            rec.advanceDaysTo(run.time(), groups.values());
            clock.advanceTo(run.time());
            if (missed.missed(run.time().atZone(zone).toLocalDate())) {
                rec.missed(run);
                continue;
            }
            // Ids decrease with time so that, for two runs at the same instant, the later one counts as newer.
            String id = String.format("%08x", Integer.MAX_VALUE - seq++);
            SnapshotInfo s = new SnapshotInfo(id, clock.instant(), b.host, List.of("/data"), Set.of(run.kind()), false);
            rec.created(s, run.kind());
            Rules.Entry entry = b.policy.newEntry(s, false);
            // Runs come in time order, so the new snapshot is the newest of its group.
            groups.computeIfAbsent(entry.group, g -> new ArrayList<>()).add(0, entry);
            Rules.Context ctx = b.policy.context(clock.instant());
            int held = 0;
            for (List<Rules.Entry> group : groups.values()) {
                b.policy.mark(group, ctx);
                int w = 0;
                for (Rules.Entry e : group) {
                    if (e.kept) {
                        group.set(w++, e);
                    } else {
                        rec.removed(e.snapshot.id());
                    }
                }
                group.subList(w, group.size()).clear();
                held += w;
            }
            rec.pruned(clock.instant(), held);
        }
        rec.advanceDaysTo(end, groups.values());
        SimulationResult result = rec.finish(end);
        LOG.debug("simulated {} runs of {} under {}: max held {}", runs.size(), b.schedule, b.policy, result.maxHeld());
        return result;
    }

    /** Configures a simulation; policy, schedule and start date are required. */
    public static final class Builder {
        private RetentionPolicy policy;
        private BackupSchedule schedule;
        private LocalDate from;
        private int years = 1;
        private ZoneId zone;
        private MissedRuns missed = MissedRuns.none();
        private String host = "sim";
        private List<AgeBand> bands = AgeBand.DEFAULTS;

        private Builder() {
        }

        /** The policy applied after every run. */
        public Builder policy(RetentionPolicy p) {
            policy = requireNonNull(p, "policy");
            return this;
        }

        /** When backups run. */
        public Builder schedule(BackupSchedule s) {
            schedule = requireNonNull(s, "schedule");
            return this;
        }

        /** The first simulated day (from its midnight in the zone). */
        public Builder from(LocalDate start) {
            from = requireNonNull(start, "start");
            return this;
        }

        /**
         * How many years to simulate (default 1).
         *
         * @throws IllegalArgumentException if not between 1 and 100
         */
        public Builder years(int n) {
            if (n < 1 || n > 100) {
                throw new IllegalArgumentException("years must be between 1 and 100, got " + n);
            }
            years = n;
            return this;
        }

        /** The zone the schedule is read in (default: the schedule's own {@link BackupSchedule#zone()}, else the policy's). */
        public Builder zone(ZoneId z) {
            zone = requireNonNull(z, "zone");
            return this;
        }

        /** Which runs fail (default none). */
        public Builder missedRuns(MissedRuns m) {
            missed = requireNonNull(m, "missedRuns");
            return this;
        }

        /** The host name of the simulated snapshots (default {@code sim}). */
        public Builder host(String h) {
            host = requireNonNull(h, "host");
            return this;
        }

        /** The age bands of the gap report (default {@link AgeBand#DEFAULTS}). */
        public Builder ageBands(List<AgeBand> b) {
            bands = List.copyOf(b);
            return this;
        }

        /**
         * The simulation, ready to {@link RetentionSimulation#run()}.
         *
         * @throws IllegalStateException if policy, schedule or start date is missing
         */
        public RetentionSimulation build() {
            if (policy == null || schedule == null || from == null) {
                throw new IllegalStateException("a simulation needs policy(...), schedule(...) and from(...)");
            }
            return new RetentionSimulation(this);
        }

        /** Shorthand for {@code build().run()}. */
        public SimulationResult run() {
            return build().run();
        }
    }
}
