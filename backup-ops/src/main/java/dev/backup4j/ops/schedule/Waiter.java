package dev.backup4j.ops.schedule;

import static java.util.Objects.requireNonNull;

import dev.backup4j.retention.SimulatedClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How the scheduler's loop waits for the next due time. The scheduler itself never sleeps: it asks "when is the
 * next run due" ({@link Scheduler#nextDue()}), a waiter gets the clock there, and the scheduler runs what is due.
 * {@link #realTime(Clock)} sleeps; {@link #advancing(SimulatedClock)} moves a simulated clock at once, so a test
 * runs a year of schedule in milliseconds, deterministically.
 */
public interface Waiter {

    /**
     * Returns once the clock shows {@code t} or later, or early after {@link #wake()}.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void waitUntil(Instant t) throws InterruptedException;

    /** Makes a current or the next {@link #waitUntil} return early (the scheduler is stopping). */
    void wake();

    /**
     * Sleeps on the real clock, in slices of at most a minute so that a clock that jumps (suspend, NTP) is noticed.
     */
    static Waiter realTime(Clock clock) {
        requireNonNull(clock, "clock");
        return new Waiter() {
            private boolean woken;

            @Override
            public synchronized void waitUntil(Instant t) throws InterruptedException {
                while (!woken) {
                    Duration left = Duration.between(clock.instant(), t);
                    if (left.isNegative() || left.isZero()) {
                        return;
                    }
                    long ms = Math.max(1, Math.min(60_000, left.toMillis()));
                    wait(ms);
                }
                woken = false;
            }

            @Override
            public synchronized void wake() {
                woken = true;
                notifyAll();
            }
        };
    }

    /** Advances {@code clock} to the due time at once (never back); {@link #wake()} does nothing. */
    static Waiter advancing(SimulatedClock clock) {
        requireNonNull(clock, "clock");
        return new Waiter() {
            @Override
            public void waitUntil(Instant t) {
                if (t.isAfter(clock.instant())) {
                    clock.advanceTo(t);
                }
            }

            @Override
            public void wake() {
            }
        };
    }
}
