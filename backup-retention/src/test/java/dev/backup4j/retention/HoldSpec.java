package dev.backup4j.retention;

import static dev.backup4j.retention.Histories.between;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.quicktheories.core.Gen;

/**
 * Random holds supplied by the caller: hold tags (from the tags {@link Histories} uses) and a named predicate over ids
 * (a snapshot is held when its id ends with one of {@code idEnds}), with the model of which snapshots they hold and why.
 */
record HoldSpec(String label, Set<String> tags, Set<Character> idEnds) {

    static Gen<HoldSpec> holds() {
        return holds("ids");
    }

    /** Holds whose predicate is named after {@code label} (two policies merged need different names). */
    static Gen<HoldSpec> holds(String label) {
        return in -> {
            Set<String> tags = new TreeSet<>();
            for (String t : List.of("x", "y", "z")) {
                if (between(in, 0, 3) == 0) {
                    tags.add(t);
                }
            }
            Set<Character> ends = new TreeSet<>();
            int n = (int) between(in, 0, 3);
            for (int i = 0; i < n; i++) {
                ends.add("0123456789abcdef".charAt((int) between(in, 0, 15)));
            }
            return new HoldSpec(label, tags, ends);
        };
    }

    RetentionPolicy.Builder addTo(RetentionPolicy.Builder b) {
        if (!tags.isEmpty()) {
            b.holdTags(tags.toArray(String[]::new));
        }
        if (!idEnds.isEmpty()) {
            b.hold(name(), s -> idEnds.contains(s.id().charAt(s.id().length() - 1)));
        }
        return b;
    }

    /** The hold predicate's name, so that two different predicates never share one. */
    String name() {
        return label + " ending in " + idEnds;
    }

    /** Whether these holds, or the snapshot's own flag, hold {@code s}. */
    boolean holds(RetentionSnapshot s) {
        return s.held() || s.tags().stream().anyMatch(tags::contains) || idEnds.contains(s.id().charAt(s.id().length() - 1));
    }

    /** The reasons a held snapshot must carry, in the documented order (own flag, tags in the order given, predicate). */
    List<String> reasonsFor(RetentionSnapshot s) {
        List<String> r = new ArrayList<>();
        if (s.held()) {
            r.add("held");
        }
        tags.stream().filter(s.tags()::contains).forEach(t -> r.add("held: tagged " + t));
        if (idEnds.contains(s.id().charAt(s.id().length() - 1))) {
            r.add("held: " + name());
        }
        return r;
    }
}
