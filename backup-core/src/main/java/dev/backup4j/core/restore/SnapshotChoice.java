package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.Snapshot;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The snapshot a {@link SnapshotSelector} chose, and how far its time is from the one asked for.
 *
 * @param snapshot the chosen snapshot (saved, with an id)
 * @param selector the selector, as text
 * @param requested the instant asked for, for a time-based selection
 */
public record SnapshotChoice(Snapshot snapshot, String selector, java.util.Optional<java.time.Instant> requested) {
    /** Checks the fields. */
    public SnapshotChoice {
        Objects.requireNonNull(snapshot, "snapshot");
        snapshot.requireId();
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(requested, "requested");
    }

    /**
     * The snapshot's time minus the requested time: negative when the snapshot is older than asked (a backup from
     * a few days earlier), positive when newer; empty unless a time was requested.
     */
    public Optional<Duration> distance() {
        return requested.map(r -> Duration.between(r, snapshot.instant()));
    }

    @Override
    public String toString() {
        String s = "snapshot " + snapshot.requireId().shortString() + " of " + snapshot.time();
        return distance().map(d -> s + " (" + describe(d) + " the requested " + requested.get() + ")").orElse(s);
    }

    private static String describe(Duration d) {
        if (d.isZero()) {
            return "exactly at";
        }
        Duration a = d.abs();
        String amount = a.toDays() > 0 ? a.toDays() + "d " + a.toHoursPart() + "h"
                : a.toHours() > 0 ? a.toHours() + "h " + a.toMinutesPart() + "m" : a.toMinutes() + "m " + a.toSecondsPart() + "s";
        return amount + (d.isNegative() ? " before" : " after");
    }
}
