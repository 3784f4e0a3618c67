package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A snapshot a policy keeps, with every reason it is kept (never empty).
 *
 * @param snapshot the snapshot
 * @param group the key of the group it was judged in ({@link GroupBy#keyOf}); empty when not grouped
 * @param reasons why it is kept, in rule order; at least one
 */
public record KeptSnapshot(RetentionSnapshot snapshot, String group, List<KeepReason> reasons) {

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code reasons} is empty
     */
    public KeptSnapshot {
        requireNonNull(snapshot, "snapshot");
        requireNonNull(group, "group");
        reasons = List.copyOf(reasons);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a kept snapshot needs at least one reason");
        }
    }
}
