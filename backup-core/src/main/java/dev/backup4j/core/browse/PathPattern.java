package dev.backup4j.core.browse;

import dev.backup4j.core.snapshot.FileNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The patterns of {@code restic find}, matched against an entry's full path the way restic's filter package does.
 * Each pattern is split at '/' into elements, each element a Go {@code filepath.Match} glob ({@code *}, {@code ?},
 * {@code [a-z]}, {@code [^a-z]}, {@code \} escapes; {@code *} and {@code ?} never cross a '/'), and {@code **}
 * stands for any number of elements. A pattern starting with '/' must match the path from the root; any other
 * pattern matches any run of consecutive elements ({@code sub} matches {@code /a/sub} and {@code /a/sub/x}), and
 * both kinds also match everything below a match ({@code /a/sub} matches {@code /a/sub/x}). The empty pattern
 * matches every path. Names are compared as their bytes. Immutable.
 *
 * <pre>{@code
 * PathPattern p = PathPattern.of(List.of("*.csv", "/srv/lms/course42")).ignoringCase();
 * p.matches("/srv/lms/GRADES.CSV");       // true
 * p.childMayMatch("/srv/www");            // true: "*.csv" may match below it
 * }</pre>
 */
public final class PathPattern {
    /** One element of a pattern: its bytes, or null for {@code **}; simple if it has no glob characters. */
    private record Part(byte[] glob, boolean simple) {
        boolean doubleStar() {
            return glob == null;
        }
    }

    private static final Part ROOT = new Part(new byte[] {'/'}, true);

    private final List<String> patterns;
    private final List<List<Part>> compiled;
    private final boolean ignoreCase;

    private PathPattern(List<String> patterns, boolean ignoreCase) {
        this.patterns = List.copyOf(patterns);
        this.ignoreCase = ignoreCase;
        List<List<Part>> c = new ArrayList<>();
        for (String p : this.patterns) {
            c.add(p.isEmpty() ? null : compile(ignoreCase ? lower(p) : p));
        }
        this.compiled = java.util.Collections.unmodifiableList(c);
    }

    /**
     * The patterns; a path matches if any of them matches.
     *
     * @throws IllegalArgumentException if a pattern is malformed (an unclosed {@code [}, a trailing {@code \})
     */
    public static PathPattern of(List<String> patterns) {
        Objects.requireNonNull(patterns, "patterns");
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no pattern given");
        }
        patterns.forEach(p -> Objects.requireNonNull(p, "pattern"));
        return new PathPattern(patterns, false);
    }

    /** This pattern, comparing lower case forms of pattern and path ({@code restic find --ignore-case}). */
    public PathPattern ignoringCase() {
        return new PathPattern(patterns, true);
    }

    /** The patterns as given. */
    public List<String> patterns() {
        return patterns;
    }

    /** True if case is ignored. */
    public boolean ignoresCase() {
        return ignoreCase;
    }

    /** True if the absolute path (e.g. "/srv/lms/a.txt") matches one of the patterns. */
    public boolean matches(String path) {
        List<byte[]> elements = elements(path);
        for (List<Part> p : compiled) {
            if (p == null || match(p, elements)) {
                return true;
            }
        }
        return false;
    }

    /** True if something below the directory {@code path} could match one of the patterns. */
    public boolean childMayMatch(String path) {
        List<byte[]> elements = elements(path);
        for (List<Part> p : compiled) {
            if (p == null || childMatch(p, elements)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PathPattern" + patterns + (ignoreCase ? " ignoring case" : "");
    }

    // ---- compiling

    private static List<Part> compile(String pattern) {
        List<Part> parts = new ArrayList<>();
        String cleaned = goClean(pattern);
        String[] split = cleaned.split("/", -1);
        for (int i = 0; i < split.length; i++) {
            String s = split[i];
            if (i == 0 && s.isEmpty()) {
                parts.add(ROOT);
                continue;
            }
            if (s.equals("**") || s.isEmpty()) { // "" only after a lone "/": restic reads it as "**" too
                parts.add(new Part(null, false));
                continue;
            }
            byte[] b = FileNames.encode(s);
            boolean simple = true;
            for (byte x : b) {
                if (x == '\\' || x == '[' || x == ']' || x == '*' || x == '?') {
                    simple = false;
                    break;
                }
            }
            if (!simple) {
                GoGlob.validate(b, pattern);
            }
            parts.add(new Part(b, simple));
        }
        return List.copyOf(parts);
    }

    /** Go's {@code path.Clean} (patterns may be relative: "a/../b" is "b", "" and "." are "."). */
    private static String goClean(String p) {
        boolean rooted = p.startsWith("/");
        List<String> out = new ArrayList<>();
        int dotdots = 0;
        for (String e : p.split("/", -1)) {
            if (e.isEmpty() || e.equals(".")) {
                continue;
            }
            if (e.equals("..")) {
                if (out.size() > dotdots) {
                    out.remove(out.size() - 1);
                } else if (!rooted) {
                    out.add("..");
                    dotdots++;
                }
                continue;
            }
            out.add(e);
        }
        String s = String.join("/", out);
        if (rooted) {
            return "/" + s;
        }
        return s.isEmpty() ? "." : s;
    }

    private List<byte[]> elements(String path) {
        Objects.requireNonNull(path, "path");
        String p = ignoreCase ? lower(path) : path;
        List<byte[]> out = new ArrayList<>();
        String[] split = p.split("/", -1);
        for (int i = 0; i < split.length; i++) {
            if (i == 0 && split[i].isEmpty()) {
                out.add(ROOT.glob());
            } else {
                out.add(FileNames.encode(split[i]));
            }
        }
        return out;
    }

    /**
     * Lower case as Go's {@code strings.ToLower}: each code point by its simple mapping; a raw byte (not UTF-8)
     * becomes U+FFFD, as Go's {@code strings.Map} replaces it.
     */
    static String lower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                b.append('\uFFFD');
            } else {
                b.appendCodePoint(Character.toLowerCase(cp));
            }
        }
        return b.toString();
    }

    // ---- matching, as restic's filter.match and filter.childMatch

    private static boolean match(List<Part> pattern, List<byte[]> strs) {
        int pos = doubleStar(pattern);
        if (pos >= 0) {
            // "**" stands for 0, 1, 2, ... elements: try each as that many "*" elements
            for (int i = 0; i <= strs.size() - pattern.size() + 1; i++) {
                List<Part> expanded = new ArrayList<>(pattern.subList(0, pos));
                for (int k = 0; k < i; k++) {
                    expanded.add(new Part(new byte[] {'*'}, false));
                }
                expanded.addAll(pattern.subList(pos + 1, pattern.size()));
                if (match(expanded, strs)) {
                    return true;
                }
            }
            return false;
        }
        if (pattern.isEmpty()) {
            return strs.isEmpty();
        }
        if (pattern.size() > strs.size()) {
            return false;
        }
        int minOffset = 0;
        int maxOffset = strs.size() - pattern.size();
        if (pattern.get(0) == ROOT) {
            maxOffset = 0;
        } else if (strs.get(0) == ROOT.glob()) {
            minOffset = 1; // a relative pattern does not match the root marker
        }
        outer:
        for (int offset = maxOffset; offset >= minOffset; offset--) {
            for (int i = pattern.size() - 1; i >= 0; i--) {
                Part part = pattern.get(i);
                byte[] s = strs.get(offset + i);
                boolean ok = part.simple() ? java.util.Arrays.equals(part.glob(), s) : GoGlob.match(part.glob(), s);
                if (!ok) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean childMatch(List<Part> pattern, List<byte[]> strs) {
        if (pattern.get(0) != ROOT) {
            return true; // a relative pattern may always match further down
        }
        int pos = doubleStar(pattern);
        List<byte[]> s = strs;
        if (pos >= 0 && s.size() >= pos) {
            s = s.subList(0, pos);
        }
        int l = Math.min(s.size(), pattern.size());
        return match(pattern.subList(0, l), s);
    }

    private static int doubleStar(List<Part> pattern) {
        for (int i = 0; i < pattern.size(); i++) {
            if (pattern.get(i).doubleStar()) {
                return i;
            }
        }
        return -1;
    }
}
