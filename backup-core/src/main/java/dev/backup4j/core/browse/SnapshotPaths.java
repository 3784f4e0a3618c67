package dev.backup4j.core.browse;

import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Paths inside a snapshot ("/a/b", '/'-separated, absolute) and the order restic walks entries in. */
final class SnapshotPaths {
    /**
     * Names in the order of their bytes, as Go compares strings. For names without raw bytes this is code point
     * order; a raw byte (U+DC80..U+DCFF) sorts as the byte it stands for.
     */
    static final Comparator<String> BYTE_ORDER = SnapshotPaths::compareBytes;

    private SnapshotPaths() {
    }

    private static int compareBytes(String a, String b) {
        if (FileNames.hasRawBytes(a) || FileNames.hasRawBytes(b)) {
            return Arrays.compareUnsigned(FileNames.encode(a), FileNames.encode(b));
        }
        return codePointCompare(a, b);
    }

    private static int codePointCompare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The nodes of a tree in byte order of their names (the order restic's walker visits them in). */
    static List<Node> ordered(List<Node> nodes) {
        for (int i = 1; i < nodes.size(); i++) {
            if (compareBytes(nodes.get(i - 1).name(), nodes.get(i).name()) > 0) {
                List<Node> copy = new ArrayList<>(nodes);
                copy.sort(Comparator.comparing(Node::name, BYTE_ORDER));
                return copy;
            }
        }
        return nodes;
    }

    /** {@code dir}/{@code name}; {@code dir} is an absolute path, "/" for the root. */
    static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /**
     * The absolute, lexically cleaned form of a path given by a caller, as Go's {@code path.Clean} of "/" + path:
     * no repeated or trailing slashes, no "." elements, ".." elements resolved (never above the root).
     */
    static String clean(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
                continue;
            }
            out.add(part);
        }
        return out.isEmpty() ? "/" : "/" + String.join("/", out);
    }

    /** The elements of a cleaned path; none for "/". */
    static List<String> elements(String cleanPath) {
        return cleanPath.equals("/") ? List.of() : List.of(cleanPath.substring(1).split("/"));
    }

    /**
     * True if {@code path} is {@code base} or lies below it (both cleaned, absolute), as restic's
     * {@code fs.HasPathPrefix}.
     */
    static boolean hasPrefix(String base, String path) {
        if (base.equals("/") || base.equals(path)) {
            return true;
        }
        return path.length() > base.length() && path.startsWith(base) && path.charAt(base.length()) == '/';
    }
}
