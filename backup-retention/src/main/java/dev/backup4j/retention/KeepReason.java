package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why one snapshot is kept: the rule, the period it was chosen for, and for count rules how many periods that rule
 * may still keep after this one (restic's "counters").
 *
 * @param rule the rule's name, for example {@code daily snapshot}, {@code last of each day, last 7d}, {@code held}
 * @param period the period the snapshot was chosen to represent, if the rule works by periods
 * @param counter for count rules with a finite count: the count left after this snapshot
 */
public record KeepReason(String rule, Optional<PeriodKey> period, OptionalInt counter) {

    /** @throws NullPointerException if an argument is null */
    public KeepReason {
        requireNonNull(rule, "rule");
        requireNonNull(period, "period");
        requireNonNull(counter, "counter");
    }

    /** A reason with no period and no counter. */
    public static KeepReason of(String rule) {
        return new KeepReason(rule, Optional.empty(), OptionalInt.empty());
    }

    /** For example {@code daily snapshot [day:2024-03-17, 6 left]}. */
    @Override
    public String toString() {
        if (period.isEmpty() && counter.isEmpty()) {
            return rule;
        }
        StringBuilder b = new StringBuilder(rule).append(" [");
        period.ifPresent(b::append);
        if (counter.isPresent()) {
            b.append(period.isPresent() ? ", " : "").append(counter.getAsInt()).append(" left");
        }
        return b.append(']').toString();
    }

    String toJson() {
        StringBuilder b = new StringBuilder("{\"rule\":").append(Json.quote(rule));
        b.append(",\"period\":").append(period.map(p -> Json.quote(p.toString())).orElse("null"));
        b.append(",\"counter\":").append(counter.isPresent() ? Integer.toString(counter.getAsInt()) : "null");
        return b.append('}').toString();
    }
}
