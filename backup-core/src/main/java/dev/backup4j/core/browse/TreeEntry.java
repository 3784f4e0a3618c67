package dev.backup4j.core.browse;

import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import java.util.Objects;

/**
 * One entry of a snapshot with its full path.
 *
 * @param path the absolute, '/'-separated path inside the snapshot ("/srv/lms/grades.csv"); names may hold raw
 *     bytes as lone surrogates (see {@link dev.backup4j.core.snapshot.FileNames})
 * @param node the entry as the tree stores it
 */
public record TreeEntry(String path, Node node) {
    /** Checks the fields. */
    public TreeEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(node, "node");
    }

    /** True for a directory. */
    public boolean isDirectory() {
        return node.type() == NodeType.DIR;
    }
}
