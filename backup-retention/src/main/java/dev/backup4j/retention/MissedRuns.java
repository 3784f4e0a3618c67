package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Which scheduled backups fail in a simulation: none, every run on given local dates, or each run independently with a
 * seeded probability (so a simulation is reproducible).
 *
 * <pre>{@code
 * MissedRuns.onDates(Set.of(LocalDate.of(2024, 3, 31))).and(MissedRuns.randomly(0.05, 42));
 * }</pre>
 */
public final class MissedRuns {

    private final Set<LocalDate> dates;
    private final double rate;
    private final long seed;
    private final MissedRuns other;

    private MissedRuns(Set<LocalDate> dates, double rate, long seed, MissedRuns other) {
        this.dates = dates;
        this.rate = rate;
        this.seed = seed;
        this.other = other;
    }

    /** No run fails. */
    public static MissedRuns none() {
        return new MissedRuns(Set.of(), 0, 0, null);
    }

    /** Every run on these local dates fails. */
    public static MissedRuns onDates(Set<LocalDate> dates) {
        return new MissedRuns(Set.copyOf(dates), 0, 0, null);
    }

    /**
     * Each run fails with probability {@code rate}, drawn from a generator seeded with {@code seed}.
     *
     * @throws IllegalArgumentException if {@code rate} is not in [0, 1]
     */
    public static MissedRuns randomly(double rate, long seed) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("failure rate must be between 0 and 1, got " + rate);
        }
        return new MissedRuns(Set.of(), rate, seed, null);
    }

    /** Runs missed by this or by {@code more}. */
    public MissedRuns and(MissedRuns more) {
        requireNonNull(more, "more");
        return new MissedRuns(dates, rate, seed, other == null ? more : other.and(more));
    }

    /** A fresh decision sequence for one simulation. */
    Decider start() {
        SplittableRandom random = new SplittableRandom(seed);
        Decider next = other == null ? null : other.start();
        return date -> {
            // Draw for every run, even when the date already fails it, so adding dates does not reshuffle the rest.
            boolean randomFail = rate > 0 && random.nextDouble() < rate;
            boolean nextFail = next != null && next.missed(date);
            return randomFail || dates.contains(date) || nextFail;
        };
    }

    /** Decides, run after run, whether a run fails. */
    interface Decider {
        boolean missed(LocalDate localDate);
    }

    @Override
    public String toString() {
        String s = rate > 0 ? "random " + rate + " (seed " + seed + ")" : dates.isEmpty() ? "none" : dates.size() + " dates";
        return other == null ? s : s + " and " + other;
    }
}
