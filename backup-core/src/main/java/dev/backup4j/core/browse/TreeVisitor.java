package dev.backup4j.core.browse;

import java.io.IOException;

/**
 * Called by {@link SnapshotBrowser#walk} for each entry, depth first: a directory before its entries, entries of a
 * directory in the byte order of their names (the order restic walks in).
 *
 * <pre>{@code
 * browser.walk("/srv/lms", e -> e.path().endsWith("/cache") ? WalkAction.SKIP_SUBTREE : WalkAction.CONTINUE);
 * }</pre>
 */
@FunctionalInterface
public interface TreeVisitor {
    /**
     * Visits one entry.
     *
     * @return what to do next; never null
     * @throws IOException to stop the walk with that exception
     */
    WalkAction visit(TreeEntry entry) throws IOException;
}
