package dev.backup4j.core.browse;

/** What a {@link TreeVisitor} wants the walk to do next (as {@link java.nio.file.FileVisitResult}). */
public enum WalkAction {
    /** Go on; for a directory, visit its entries next. */
    CONTINUE,
    /** For a directory: do not visit its entries. For other entries the same as {@link #CONTINUE}. */
    SKIP_SUBTREE,
    /** Do not descend, and skip the remaining entries of the directory this entry is in. */
    SKIP_SIBLINGS,
    /** Stop the walk. */
    TERMINATE
}
