package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when told to, forwards. The simulator runs backups and prunes on it; tests can inject it
 * wherever a {@link Clock} is expected.
 *
 * <p>Thread-safe: {@link #instant()}, {@link #millis()}, {@link #advanceTo} and {@link #advanceBy} may be called from
 * any number of threads. Every advance is atomic (one compare-and-set on the current instant), so concurrent
 * {@code advanceBy} calls add up without losing any, and the clock is monotonic: a thread that reads the clock never
 * sees an instant earlier than one any thread read or set before (happens-before through the atomic).
 *
 * <pre>{@code
 * SimulatedClock clock = SimulatedClock.at(Instant.parse("2024-01-01T00:00:00Z"), ZoneId.of("UTC"));
 * clock.advanceTo(Instant.parse("2024-01-02T02:00:00Z"));
 * clock.advanceBy(Duration.ofHours(1));
 * }</pre>
 */
public final class SimulatedClock extends Clock {
    private final ZoneId zone;
    private final AtomicReference<Instant> now;

    private SimulatedClock(Instant now, ZoneId zone) {
        this.now = new AtomicReference<>(now);
        this.zone = zone;
    }

    /**
     * A clock showing {@code start} in {@code zone}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static SimulatedClock at(Instant start, ZoneId zone) {
        return new SimulatedClock(requireNonNull(start, "start"), requireNonNull(zone, "zone"));
    }

    /**
     * Moves the clock to {@code t}, atomically: the check that {@code t} is not before the current time and the move
     * are one step, so two threads racing to move it can never take it back.
     *
     * @throws NullPointerException if {@code t} is null
     * @throws IllegalArgumentException if {@code t} is before the current time (then the clock does not move)
     */
    public void advanceTo(Instant t) {
        requireNonNull(t, "t");
        now.updateAndGet(current -> {
            if (t.isBefore(current)) {
                throw new IllegalArgumentException("a simulated clock does not go back: " + t + " is before " + current);
            }
            return t;
        });
    }

    /**
     * Moves the clock forward by {@code d}, atomically; concurrent calls add up.
     *
     * @return the instant after the move
     * @throws NullPointerException if {@code d} is null
     * @throws IllegalArgumentException if {@code d} is negative
     * @throws java.time.DateTimeException if the result is after {@link Instant#MAX} (then the clock does not move)
     * @throws ArithmeticException if the seconds overflow a {@code long} (then the clock does not move)
     */
    public Instant advanceBy(Duration d) {
        requireNonNull(d, "d");
        if (d.isNegative()) {
            throw new IllegalArgumentException("a simulated clock does not go back: " + d + " is negative");
        }
        return now.updateAndGet(current -> current.plus(d));
    }

    /** The current simulated instant; safe to call from any thread. */
    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /**
     * The same clock state seen in another zone (a copy: advancing one does not move the other).
     *
     * @throws NullPointerException if {@code newZone} is null
     */
    @Override
    public Clock withZone(ZoneId newZone) {
        return new SimulatedClock(now.get(), requireNonNull(newZone, "zone"));
    }
}
