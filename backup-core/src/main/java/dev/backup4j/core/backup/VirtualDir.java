package dev.backup4j.core.backup;

import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.Tree;
import java.util.Map;
import java.util.TreeMap;

/** Directories above the sources' roots, made of path elements. */
final class VirtualDir {
    final String name;
    final String path;
    final Map<String, VirtualDir> dirs = new TreeMap<>(Tree.NAME_ORDER);
    final Map<String, SnapshotSource> leaves = new TreeMap<>(Tree.NAME_ORDER);
    SnapshotSource anySource;

    VirtualDir(String name, String path) {
        this.name = name;
        this.path = path;
    }

    void insert(String absPath, SnapshotSource s) {
        String rest = absPath.substring(path.length() + 1);
        int slash = rest.indexOf('/');
        anySource = anySource == null ? s : anySource;
        if (slash < 0) {
            if (leaves.containsKey(rest) || dirs.containsKey(rest)) {
                throw new IllegalArgumentException("two sources for the same path " + absPath);
            }
            leaves.put(rest, s);
            return;
        }
        String head = rest.substring(0, slash);
        if (leaves.containsKey(head)) {
            throw new IllegalArgumentException("source " + absPath + " lies inside another source "
                    + path + "/" + head);
        }
        dirs.computeIfAbsent(head, h -> new VirtualDir(h, path + "/" + h)).insert(absPath, s);
    }
}
