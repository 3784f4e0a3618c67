package dev.backup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every code example of the documentation compiles as written: the {@code <pre>{@code ...}</pre>} blocks in the
 * javadoc of backup-retention, backup-core, backup-ssh, backup-s3, backup-ops and backup-examples, and the {@code ```java} blocks of
 * README.md and docs/*.md.
 *
 * <p>Each example becomes the body of {@code void example() throws Exception} in a class of its own, which javac
 * compiles against the modules as this build made them. The library's examples (all but backup-examples' own) are
 * compiled as a named module, {@code module doc.examples { requires dev.backup4j.core; requires dev.backup4j.ssh;
 * requires dev.backup4j.s3; requires dev.backup4j.ops; requires org.slf4j; }}, on the module path: so they use
 * exported packages only, and reach backup-retention through
 * backup-core's {@code requires transitive}, as an application would. backup-examples' own examples are compiled on
 * the class path (that module is not a named module).
 *
 * <p>Imports, the same for every example: every package the library modules export (read from their module
 * descriptors), {@code SnapshotSelector.TimeMatch}, {@code java.io}, {@code java.nio.file}, {@code java.time},
 * {@code java.util}, {@code java.util.function}, {@code java.util.concurrent}, {@code java.security.MessageDigest}
 * {@code java.net.URI}, {@code org.slf4j.Logger} and Micrometer's {@code MeterRegistry} (backup-ops' optional
 * metrics); for backup-examples' examples also its own packages.
 *
 * <p>Declared variables: an example may use, without declaring them, the names listed in {@link #GIVENS}; each
 * always has the type and meaning written there ({@code repo} is always an open {@code Repository}), so a reader can
 * take an example as it is. The class of an example declares, as fields, only the givens the example names (a name
 * followed by {@code (} is a method call, not a given). Every other name an example uses must be declared in it, and
 * a given that no example uses fails the test, so the list stays the one the documentation needs. An example may
 * declare a local variable of a given's name; it then shadows the given.
 *
 * <p>An example that is a module declaration ({@code module my.app { requires ...; }}) is compiled as it is, as the
 * module-info of a module of its own on the same module path.
 */
class DocExamplesTest {

    /** The names examples may take as given: type, name, what it stands for. */
    static final String GIVENS = """
            Repository repo                              // an open repository
            String pw                                    // its password
            String dstPw                                 // another repository's password
            Clock clock                                  // the application's clock
            ZoneId zone                                  // the zone retention computes calendar days in
            Path dir                                     // a local folder: a backup source or a restore target
            Path dumpFile                                // a file backed up as a stream
            Process process                              // a running command whose output is backed up
            Path key                                     // an SSH private key file
            Path kh                                      // an OpenSSH known_hosts file
            SshConfig cfg                                // an SSH login
            Instant asOf                                 // the time a restore point is wanted for
            Instant auditEnd                             // the end of an audit: snapshots before it are held
            Snapshot monday                              // a snapshot
            Snapshot tuesday                             // a later snapshot
            SnapshotBrowser browser                      // a browser over a snapshot
            RestoreTarget target                         // where a restore goes
            RestorePlan plan                             // a restore plan
            RestoreListener progress                     // a restore progress listener
            OutputStream out                             // where a file's content is written
            Logger log                                   // the application's slf4j logger
            ScheduledExecutorService scheduler           // the application's scheduler
            Id blobId                                    // the id of a data blob
            byte[] bytes                                 // some bytes
            InputStream in                               // a stream to back up
            String id                                    // a snapshot id
            List<RetentionSnapshot> snapshots            // snapshots to apply a retention policy to
            RetentionPolicy policy                       // a retention policy
            RetentionSimulation simulation               // a configured retention simulation
            Repository secondSite                        // a second repository: a copy target
            Job nightly                                  // a scheduled job
            Job hourlyDump                               // another scheduled job
            JobTask task                                 // what a job runs
            OpsJournal journal                           // the local journal of drills and checks
            DrillResult drillResult                      // a restore drill's result
            OpsMetrics metrics                           // metrics gathered from the scheduler's events
            Alerts alerts                                // the alert sinks
            CourseStore store                            // backup-examples: an LMS's course store
            """;

    private static final Pattern GIVEN = Pattern.compile("^(\\S.*?)\\s+(\\w+)\\s+//\\s*(.+)$");
    private static final Pattern JAVADOC_EXAMPLE = Pattern.compile("<pre>\\{@code\\n(.*?)}</pre>", Pattern.DOTALL);
    private static final Pattern MODULE_DECLARATION = Pattern.compile("\\A\\s*(open\\s+)?module\\s+[\\w.]+\\s*\\{");
    private static final Pattern MARKDOWN_EXAMPLE = Pattern.compile("^```java\\n(.*?)^```$",
            Pattern.DOTALL | Pattern.MULTILINE);

    private static final List<String> JDK_IMPORTS = List.of("java.io.*", "java.nio.file.*", "java.time.*",
            "java.util.*", "java.util.function.*", "java.util.concurrent.*", "java.security.MessageDigest",
            "org.slf4j.Logger", "java.net.URI", "io.micrometer.core.instrument.MeterRegistry",
            "dev.backup4j.core.restore.SnapshotSelector.TimeMatch");
    private static final List<String> EXAMPLES_IMPORTS = List.of("dev.backup4j.examples.agent.*",
            "dev.backup4j.examples.cli.*", "dev.backup4j.examples.lms.*", "dev.backup4j.examples.ops.*");

    /** Where examples are read from (relative to backup-examples), and whether they are the library's. */
    record Source(Path root, boolean library) {
    }

    static final List<Source> SOURCES = List.of(
            new Source(Path.of("../backup-retention/src/main/java"), true),
            new Source(Path.of("../backup-core/src/main/java"), true),
            new Source(Path.of("../backup-ssh/src/main/java"), true),
            new Source(Path.of("../backup-s3/src/main/java"), true),
            new Source(Path.of("../backup-ops/src/main/java"), true),
            new Source(Path.of("src/main/java"), false),
            new Source(Path.of("../README.md"), true),
            new Source(Path.of("../docs"), true));

    record Example(String where, String code, boolean library) {
    }

    static Map<String, String> givens() {
        Map<String, String> givens = new LinkedHashMap<>();
        for (String line : GIVENS.strip().split("\n")) {
            Matcher m = GIVEN.matcher(line.strip());
            assertTrue(m.matches(), "not 'Type name // meaning': " + line);
            givens.put(m.group(2), m.group(1));
        }
        return givens;
    }

    static List<Example> examples(Source source) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(source.root())) {
            files = s.filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md")).sorted().toList();
        }
        List<Example> found = new ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            boolean markdown = f.toString().endsWith(".md");
            Matcher m = (markdown ? MARKDOWN_EXAMPLE : JAVADOC_EXAMPLE).matcher(text);
            while (m.find()) {
                String code = m.group(1);
                if (!markdown) {
                    code = code.lines().map(l -> l.replaceFirst("^\\s*\\* ?", "")).collect(Collectors.joining("\n"));
                }
                int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                String where = Path.of("..").toAbsolutePath().normalize().relativize(f.toAbsolutePath().normalize())
                        + ":" + line;
                found.add(new Example(where, code + "\n", source.library()));
            }
        }
        return found;
    }

    /** The givens {@code code} names: as a whole word, not a method call, outside string literals and comments. */
    static Set<String> givensNamed(String code, Set<String> givens) {
        String stripped = code.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("//[^\n]*", "");
        Set<String> named = new TreeSet<>();
        for (String g : givens) {
            if (Pattern.compile("(?<![\\w.])" + g + "\\b(?!\\s*\\()").matcher(stripped).find()) {
                named.add(g);
            }
        }
        return named;
    }

    @Test
    void everyExampleInTheDocumentationCompiles(@TempDir Path out) throws IOException {
        Map<String, String> givens = givens();
        List<Path> modulePath = LibraryModulePath.entries();
        Set<String> exported = LibraryModulePath.exportedPackages(modulePath);

        List<Example> examples = new ArrayList<>();
        Map<String, Integer> perSource = new TreeMap<>();
        for (Source s : SOURCES) {
            List<Example> found = examples(s);
            perSource.put(s.root().toString(), found.size());
            examples.addAll(found);
        }
        Set<String> unused = new TreeSet<>(givens.keySet());
        List<JavaFileObject> library = new ArrayList<>();
        List<JavaFileObject> own = new ArrayList<>();
        library.add(source("module-info", "module doc.examples {\n    requires dev.backup4j.core;\n"
                + "    requires dev.backup4j.ssh;\n    requires dev.backup4j.s3;\n    requires dev.backup4j.ops;\n"
                + "    requires micrometer.core;\n    requires org.slf4j;\n}\n"));
        List<List<JavaFileObject>> declarations = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            if (e.library() && MODULE_DECLARATION.matcher(e.code()).find()) {
                declarations.add(List.of(source("module-info", "/** " + e.where() + ", Example" + i + " */\n"
                        + e.code())));
                continue;
            }
            StringBuilder src = new StringBuilder("package doc.examples;\n");
            for (String p : exported) {
                src.append("import ").append(p).append(".*;\n");
            }
            for (String imp : e.library() ? JDK_IMPORTS : concat(JDK_IMPORTS, EXAMPLES_IMPORTS)) {
                src.append("import ").append(imp).append(";\n");
            }
            src.append("/** ").append(e.where()).append(" */\n");
            src.append("class Example").append(i).append(" {\n");
            Set<String> named = givensNamed(e.code(), givens.keySet());
            unused.removeAll(named);
            for (String g : named) {
                src.append("    static ").append(givens.get(g)).append(' ').append(g).append(";\n");
            }
            src.append("    void example() throws Exception {\n").append(e.code()).append("    }\n}\n");
            (e.library() ? library : own).add(source("doc/examples/Example" + i, src.toString()));
        }

        StringBuilder report = new StringBuilder();
        compile(library, List.of("--module-path", LibraryModulePath.asArgument(modulePath),
                "-d", out.resolve("library").toString()), examples, report);
        compile(own, List.of("-classpath", System.getProperty("java.class.path"),
                "-d", out.resolve("own").toString()), examples, report);
        for (int i = 0; i < declarations.size(); i++) {
            compile(declarations.get(i), List.of("--module-path", LibraryModulePath.asArgument(modulePath),
                    "-d", out.resolve("module" + i).toString()), examples, report);
        }

        System.out.println("documentation examples compiled: " + examples.size() + " " + perSource);
        assertTrue(report.isEmpty(), "documentation examples that do not compile:\n" + report);
        assertEquals(Set.of(), unused, "givens no example uses: remove them from GIVENS");
        // A pattern that silently stopped matching would make this test pass on nothing.
        perSource.forEach((where, n) -> assertTrue(n > 0, "no example found in " + where));
        assertTrue(examples.size() >= 60, "examples found: " + examples.size());
    }

    private static void compile(List<JavaFileObject> sources, List<String> paths, List<Example> examples,
            StringBuilder report) {
        if (sources.isEmpty()) {
            return;
        }
        List<String> options = new ArrayList<>(paths);
        options.addAll(List.of("-proc:none", "-Xlint:none", "-implicit:none"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        boolean ok = javac.getTask(output, null, diagnostics, options, null, sources).call();
        Set<Integer> reported = new TreeSet<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String name = d.getSource() == null ? "" : d.getSource().getName();
            Matcher m = Pattern.compile("Example(\\d+)\\.java$").matcher(name);
            if (!m.find()) { // a module declaration: its number is in its comment
                m = Pattern.compile("Example(\\d+) \\*/").matcher(sourceText(d.getSource()));
                if (!m.find()) {
                    report.append(d.getMessage(null)).append('\n');
                    continue;
                }
            }
            Example e = examples.get(Integer.parseInt(m.group(1)));
            report.append(e.where()).append(": ").append(d.getMessage(null)).append('\n');
            if (reported.add(Integer.parseInt(m.group(1)))) {
                report.append(e.code().indent(4));
            }
        }
        if (!ok && report.isEmpty()) {
            report.append(output);
        }
    }

    private static String sourceText(JavaFileObject source) {
        try {
            return source == null ? "" : source.getCharContent(true).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static JavaFileObject source(String name, String code) {
        return new SimpleJavaFileObject(URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
