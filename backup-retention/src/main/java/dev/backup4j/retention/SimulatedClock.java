package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A clock that only moves when told to, forwards. The simulator runs backups and prunes on it; tests can inject it
 * wherever a {@link Clock} is expected. Not thread-safe.
 *
 * <pre>{@code
 * SimulatedClock clock = SimulatedClock.at(Instant.parse("2024-01-01T00:00:00Z"), ZoneId.of("UTC"));
 * clock.advanceTo(Instant.parse("2024-01-02T02:00:00Z"));
 * }</pre>
 */
public final class SimulatedClock extends Clock {
    private final ZoneId zone;
    private Instant now;

    private SimulatedClock(Instant now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock showing {@code start} in {@code zone}. */
    public static SimulatedClock at(Instant start, ZoneId zone) {
        return new SimulatedClock(requireNonNull(start, "start"), requireNonNull(zone, "zone"));
    }

    /**
     * Moves the clock to {@code t}.
     *
     * @throws IllegalArgumentException if {@code t} is before the current time
     */
    public void advanceTo(Instant t) {
        requireNonNull(t, "t");
        if (t.isBefore(now)) {
            throw new IllegalArgumentException("a simulated clock does not go back: " + t + " is before " + now);
        }
        now = t;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same clock state seen in another zone (a copy: advancing one does not move the other). */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new SimulatedClock(now, requireNonNull(newZone, "zone"));
    }
}
