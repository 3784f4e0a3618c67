package dev.backup4j.core.snapshot;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Glob patterns over snapshot paths, with restic's reading: a pattern without '/' matches an entry's name anywhere
 * in the tree ({@code *.log}); a pattern starting with '/' matches from the root ({@code /var/www/cache});
 * any other pattern matches a trailing part of the path ({@code lms/cache}). {@code *} and {@code ?} stay within one
 * path element, {@code **} crosses elements. Matching a directory covers everything below it. Immutable.
 */
public final class PathFilter {
    private static final PathFilter NONE = new PathFilter(List.of(), List.of());

    private final List<String> patterns;
    private final List<PathMatcher> matchers;

    private PathFilter(List<String> patterns, List<PathMatcher> matchers) {
        this.patterns = patterns;
        this.matchers = matchers;
    }

    /** A filter that matches nothing. */
    public static PathFilter none() {
        return NONE;
    }

    /**
     * A filter for the given glob patterns.
     *
     * @throws IllegalArgumentException for an empty or malformed pattern
     */
    public static PathFilter of(List<String> globs) {
        List<PathMatcher> ms = new ArrayList<>();
        for (String g : globs) {
            Objects.requireNonNull(g, "pattern");
            if (g.isBlank()) {
                throw new IllegalArgumentException("empty pattern");
            }
            String p = g.endsWith("/") && g.length() > 1 ? g.substring(0, g.length() - 1) : g;
            String glob = p.startsWith("/") ? p : "/**/" + p;
            try {
                ms.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                if (!p.startsWith("/")) {
                    ms.add(FileSystems.getDefault().getPathMatcher("glob:/" + p));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid pattern '" + g + "': " + e.getMessage(), e);
            }
        }
        return new PathFilter(List.copyOf(globs), List.copyOf(ms));
    }

    /** The patterns as given. */
    public List<String> patterns() {
        return patterns;
    }

    /** True if there are no patterns. */
    public boolean isEmpty() {
        return matchers.isEmpty();
    }

    /** True if the absolute, '/'-separated {@code path} itself matches a pattern. */
    public boolean matches(String path) {
        if (matchers.isEmpty()) {
            return false;
        }
        Path p = Path.of(path);
        for (PathMatcher m : matchers) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code path} or one of its ancestors matches. */
    public boolean matchesOrUnder(String path) {
        if (matchers.isEmpty()) {
            return false;
        }
        String p = path;
        while (!p.isEmpty() && !p.equals("/")) {
            if (matches(p)) {
                return true;
            }
            int i = p.lastIndexOf('/');
            p = i <= 0 ? "" : p.substring(0, i);
        }
        return false;
    }

    @Override
    public String toString() {
        return "PathFilter" + patterns;
    }
}
