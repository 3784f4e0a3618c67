package dev.backup4j.retention;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * How snapshots are split into groups before a policy is applied to each group separately, like restic's
 * {@code --group-by}. The default of {@link RetentionPolicy} is {@link #hostAndPaths()}, restic's default.
 *
 * <pre>{@code
 * GroupBy.parse("host,tags");                           // restic syntax
 * GroupBy.custom("course", s -> s.paths().get(0));     // your own key
 * }</pre>
 */
public final class GroupBy {

    /** A snapshot attribute to group by. */
    public enum Field {
        /** {@link RetentionSnapshot#host()}. */
        HOST,
        /** {@link RetentionSnapshot#paths()}, sorted. */
        PATHS,
        /** {@link RetentionSnapshot#tags()}, sorted. */
        TAGS
    }

    private final Set<Field> fields;
    private final String name;
    private final Function<RetentionSnapshot, String> custom;

    private GroupBy(Set<Field> fields, String name, Function<RetentionSnapshot, String> custom) {
        this.fields = fields;
        this.name = name;
        this.custom = custom;
    }

    /** One group for all snapshots. */
    public static GroupBy none() {
        return new GroupBy(EnumSet.noneOf(Field.class), "", null);
    }

    /** Groups by host and sorted paths (restic's default). */
    public static GroupBy hostAndPaths() {
        return of(Field.HOST, Field.PATHS);
    }

    /**
     * Groups by the given fields; none means one group.
     *
     * @throws NullPointerException if an argument is null
     */
    public static GroupBy of(Field... fields) {
        EnumSet<Field> set = EnumSet.noneOf(Field.class);
        for (Field f : fields) {
            set.add(requireNonNull(f, "field"));
        }
        List<String> names = new ArrayList<>();
        set.forEach(f -> names.add(f.name().toLowerCase(Locale.ROOT)));
        return new GroupBy(set, String.join(",", names), null);
    }

    /**
     * Parses restic's {@code --group-by} value: comma-separated {@code host}, {@code paths}, {@code tags} (singular forms
     * too); the empty string means no grouping.
     *
     * @throws IllegalArgumentException for an unknown option
     */
    public static GroupBy parse(String spec) {
        requireNonNull(spec, "spec");
        List<Field> fields = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            switch (part.strip()) {
                case "host", "hosts" -> fields.add(Field.HOST);
                case "path", "paths" -> fields.add(Field.PATHS);
                case "tag", "tags" -> fields.add(Field.TAGS);
                case "" -> {
                }
                default -> throw new IllegalArgumentException("unknown grouping option '" + part + "'; use host, paths and/or tags");
            }
        }
        return of(fields.toArray(Field[]::new));
    }

    /**
     * Groups by a key of your own; the function must be deterministic and must not return null.
     *
     * @param name a short name for explanations
     * @throws NullPointerException if an argument is null
     */
    public static GroupBy custom(String name, Function<RetentionSnapshot, String> key) {
        requireNonNull(name, "name");
        requireNonNull(key, "key");
        return new GroupBy(EnumSet.noneOf(Field.class), "custom:" + name, key);
    }

    /**
     * The group key of a snapshot, for example {@code host=lms1 paths=[/srv/data]}; empty when not grouped.
     *
     * @throws NullPointerException if a custom key function returns null
     */
    public String keyOf(RetentionSnapshot s) {
        if (custom != null) {
            return requireNonNull(custom.apply(s), "custom group key returned null");
        }
        StringBuilder b = new StringBuilder();
        if (fields.contains(Field.HOST)) {
            b.append("host=").append(s.host());
        }
        if (fields.contains(Field.PATHS)) {
            b.append(b.length() > 0 ? " " : "").append("paths=").append(new TreeSet<>(s.paths()));
        }
        if (fields.contains(Field.TAGS)) {
            b.append(b.length() > 0 ? " " : "").append("tags=").append(new TreeSet<>(s.tags()));
        }
        return b.toString();
    }

    /**
     * Equal groupings split snapshots the same way: the same fields, or custom groupings with the same name and the
     * same key function object.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof GroupBy g && g.fields.equals(fields) && g.name.equals(name) && g.custom == custom;
    }

    @Override
    public int hashCode() {
        return fields.hashCode() * 31 + name.hashCode();
    }

    /** restic's form ({@code host,paths}), {@code custom:name}, or empty for no grouping. */
    @Override
    public String toString() {
        return name;
    }
}
