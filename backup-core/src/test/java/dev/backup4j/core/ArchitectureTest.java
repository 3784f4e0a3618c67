package dev.backup4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of issue #16 for backup-core, checked over its compiled main classes (every class a class file
 * names in its constant pool: imports, fully qualified names, signatures) and its main sources: no package below the
 * root depends on the root package {@code dev.backup4j.core}, no two packages depend on each other through any path,
 * and no main source file is over {@value #MAX_LINES} lines.
 *
 * <p>The allow-list of long files below is a known gap of issue #16. It only shrinks: an entry that is no longer a
 * violation fails the test too, so whoever fixes one removes it here.
 */
class ArchitectureTest {
    static final String ROOT = "dev.backup4j.core";
    static final int MAX_LINES = 500;

    /** Known gap of issue #16: main source files over {@value #MAX_LINES} lines (relative to src/main/java). */
    static final Set<String> ALLOWED_LONG_FILES = Set.of(
            "dev/backup4j/core/Repository.java",
            "dev/backup4j/core/maintenance/Check.java",
            "dev/backup4j/core/maintenance/Locks.java",
            "dev/backup4j/core/restore/RestoreExecutor.java",
            "dev/backup4j/core/restore/RestorePlanner.java");

    private static final Pattern CLASS_NAME = Pattern.compile("dev/backup4j/core/[A-Za-z0-9_/$]+");

    static Path classes;
    static Path sources;
    static Map<String, Set<String>> graph;

    @BeforeAll
    static void readClasses() throws Exception {
        classes = Path.of(Repository.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        sources = classes.getParent().getParent().resolve("src/main/java");
        graph = packageGraph(classes);
    }

    @Test
    void seesTheWholeModule() {
        // a sanity check of the reader itself: the graph has the packages and the edges everybody knows of
        assertTrue(graph.keySet().containsAll(Set.of(ROOT, ROOT + ".backend", ROOT + ".restore", ROOT + ".snapshot")),
                graph.keySet().toString());
        assertTrue(graph.get(ROOT + ".restore").contains(ROOT + ".snapshot"), graph.toString());
        assertTrue(graph.get(ROOT).contains(ROOT + ".backend"), graph.toString());
    }

    @Test
    void noPackageBelowTheRootDependsOnIt() {
        Set<String> dependents = new TreeSet<>();
        graph.forEach((from, to) -> {
            if (!from.equals(ROOT) && to.contains(ROOT)) {
                dependents.add(from);
            }
        });
        assertEquals(Set.of(), dependents,
                "packages that depend on " + ROOT + " (the root is the façade; nothing below may use it)");
    }

    @Test
    void noCycleBetweenPackages() {
        List<String> report = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                report.add("cycle " + String.join(" -> ", cycleThrough(graph, component)) + " (component "
                        + new TreeSet<>(component) + ")");
            }
        }
        assertTrue(report.isEmpty(), String.join("\n", report));
    }

    @Test
    void noMainSourceFileIsOverTheLimit() throws IOException {
        Map<String, Long> longFiles = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                long lines;
                try (Stream<String> s = Files.lines(f)) {
                    lines = s.count();
                }
                if (lines > MAX_LINES) {
                    longFiles.put(sources.relativize(f).toString().replace('\\', '/'), lines);
                }
            }
        }
        assertEquals(new TreeSet<>(ALLOWED_LONG_FILES), longFiles.keySet(),
                "main source files over " + MAX_LINES + " lines: " + longFiles);
    }

    @Test
    void theChecksSeeAViolation() {
        // the checks above on a made-up graph: a subpackage that uses the root, and a cycle of three
        Map<String, Set<String>> g = Map.of(
                "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"), "d", Set.of());
        List<Set<String>> components = stronglyConnected(g);
        assertTrue(components.contains(Set.of("a", "b", "c")), components.toString());
        assertEquals(List.of("a", "b", "c", "a"), cycleThrough(g, Set.of("a", "b", "c")));
    }

    /** Package to the other packages of backup-core its classes name. */
    static Map<String, Set<String>> packageGraph(Path root) throws IOException {
        Map<String, Set<String>> g = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(ArchitectureTest::isClassFile).toList()) {
                String pkg = packageOf(root.relativize(f).toString().replace('\\', '/'));
                Set<String> to = g.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (String name : namedClasses(Files.readAllBytes(f))) {
                    String other = packageOf(name);
                    if (!other.equals(pkg)) {
                        to.add(other);
                    }
                }
            }
        }
        return g;
    }

    private static boolean isClassFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".class") && !n.equals("module-info.class") && !n.equals("package-info.class");
    }

    private static String packageOf(String internalName) {
        return internalName.substring(0, internalName.lastIndexOf('/')).replace('/', '.');
    }

    /** The backup-core classes named in a class file's constant pool (class entries, descriptors, signatures). */
    static Set<String> namedClasses(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        Set<String> out = new HashSet<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> {
                    Matcher m = CLASS_NAME.matcher(in.readUTF());
                    while (m.find()) {
                        out.add(m.group());
                    }
                }
                case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++; // a long or double takes two entries
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return out;
    }

    /** Tarjan's strongly connected components, iteratively. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> g) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String start : new TreeSet<>(g.keySet())) {
            if (!index.containsKey(start)) {
                strongConnect(g, start, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void strongConnect(Map<String, Set<String>> g, String v, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : g.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                strongConnect(g, w, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new HashSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    /** A shortest cycle from the first package of a component (by name) back to it, inside the component. */
    static List<String> cycleThrough(Map<String, Set<String>> g, Set<String> component) {
        String start = new TreeSet<>(component).first();
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String v = queue.poll();
            for (String w : new TreeSet<>(g.getOrDefault(v, Set.of()))) {
                if (w.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String p = v; !p.equals(start); p = parent.get(p)) {
                        path.add(1, p);
                    }
                    path.add(start);
                    return path;
                }
                if (component.contains(w) && !parent.containsKey(w)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        throw new IllegalArgumentException("no cycle through " + start);
    }
}
