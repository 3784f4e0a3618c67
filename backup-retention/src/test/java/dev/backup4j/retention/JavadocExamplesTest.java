package dev.backup4j.retention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Every {@code <pre>{@code ...}</pre>} example in this module's javadoc compiles as written, from a caller's package
 * (public API only). Each example becomes the body of a method in its own class, which has these fields for the
 * names examples take as given: {@code snapshots}, {@code clock}, {@code zone}, {@code policy}, {@code simulation}.
 * A local variable of the example may shadow them.
 */
class JavadocExamplesTest {

    private static final Pattern EXAMPLE = Pattern.compile("<pre>\\{@code\\n(.*?)}</pre>", Pattern.DOTALL);

    private static final String GIVENS = """
                static List<RetentionSnapshot> snapshots = List.of();
                static Clock clock = Clock.systemUTC();
                static ZoneId zone = ZoneId.of("UTC");
                static RetentionPolicy policy;
                static RetentionSimulation simulation;
            """;

    record Example(String file, int line, String code) {
    }

    static List<Example> examples() throws IOException {
        List<Example> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Matcher m = EXAMPLE.matcher(text);
                while (m.find()) {
                    StringBuilder code = new StringBuilder();
                    for (String l : m.group(1).split("\n")) {
                        code.append(l.replaceFirst("^\\s*\\* ?", "")).append('\n');
                    }
                    int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                    found.add(new Example(f.getFileName().toString(), line, code.toString()));
                }
            }
        }
        return found;
    }

    @Test
    void everyJavadocExampleCompiles(@TempDir Path out) throws IOException {
        List<Example> examples = examples();
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            String name = "Example" + i;
            String source = "package javadoc.examples;\n"
                    + "import dev.backup4j.retention.*;\nimport java.nio.file.*;\nimport java.time.*;\n"
                    + "import java.util.*;\nimport java.util.function.*;\n"
                    + "/** " + e.file() + ":" + e.line() + " */\n"
                    + "class " + name + " {\n" + GIVENS + "    void example() throws Exception {\n" + e.code() + "    }\n}\n";
            sources.add(new SimpleJavaFileObject(URI.create("string:///javadoc/examples/" + name + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        boolean ok = javac.getTask(output, null, diagnostics,
                List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none", "-Xlint:none"),
                null, sources).call();
        StringBuilder report = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                int i = Integer.parseInt(d.getSource().getName().replaceAll("\\D", ""));
                Example e = examples.get(i);
                report.append(e.file()).append(':').append(e.line()).append(": ").append(d.getMessage(null)).append('\n')
                        .append(e.code()).append('\n');
            }
        }
        System.out.println("javadoc examples compiled: " + examples.size());
        assertTrue(ok && report.isEmpty(), "javadoc examples that do not compile:\n" + report + output);
        // A pattern that silently stopped matching would make this test pass on nothing.
        assertTrue(examples.size() >= 18, "examples found: " + examples.size());
    }
}
