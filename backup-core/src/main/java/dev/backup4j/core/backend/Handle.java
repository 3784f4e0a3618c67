package dev.backup4j.core.backend;

import java.util.Objects;

/**
 * Names one file of a repository: its type and its name (64 hex digits, or {@code "config"} for the config file).
 *
 * @param type the kind of file
 * @param name the file name inside the type's folder
 */
public record Handle(FileType type, String name) {
    /** The handle of the repository's config file. */
    public static final Handle CONFIG = new Handle(FileType.CONFIG, "config");

    /**
     * Checks the name: it must be a plain file name, so that no handle can point outside its folder.
     *
     * @throws IllegalArgumentException for an empty name or one with a path separator, NUL, or a leading dot
     */
    public Handle {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.startsWith(".") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a valid repository file name: '" + name + "'");
        }
        if (type == FileType.CONFIG && !name.equals("config")) {
            throw new IllegalArgumentException("the config file is always named 'config'");
        }
        if (type == FileType.PACK && name.length() < 2) {
            throw new IllegalArgumentException("a pack name needs at least two characters: '" + name + "'");
        }
    }

    /** A handle of the given type named by {@code id}'s hex form. */
    public static Handle of(FileType type, dev.backup4j.core.common.Id id) {
        return new Handle(type, id.toString());
    }

    /** The path relative to the repository root in restic's default layout, with '/' separators. */
    public String relativePath() {
        return switch (type) {
            case CONFIG -> "config";
            case PACK -> "data/" + name.substring(0, 2) + "/" + name;
            default -> type.folder() + "/" + name;
        };
    }

    @Override
    public String toString() {
        return relativePath();
    }
}
