package dev.backup4j.bench;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks {@code runs} times and prints each run as a Markdown table in MB/s (10^6 bytes/s, with
 * JMH's 99.9% error scaled the same way), then a table that takes, for each benchmark, the run with the smallest
 * relative error (the machine may be shared: a noisy run shows as a wide error).
 *
 * <p>Each benchmark method runs in its own JMH invocation; with {@code --min-idle P}, each waits (at most
 * {@code --max-wait S} seconds) until the machine's CPU is at least P percent idle, and the table notes records the
 * idle share and load average seen.
 *
 * <pre>
 * java -cp benchmarks.jar dev.backup4j.bench.Report [--runs N] [--out DIR] [--min-idle P] [--max-wait S]
 *     [JMH options...]
 * </pre>
 */
public final class Report {
    private Report() {
    }

    record Row(String name, String params, double mbps, double errMbps, double ops, String unit, double cpu,
            double cpuErr) {
        double relErr() {
            return Double.isNaN(errMbps) ? Double.MAX_VALUE : errMbps / mbps;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = 1;
        int minIdle = 0;
        int maxWaitSeconds = 0;
        Path out = Path.of(System.getProperty("java.io.tmpdir"), "backup4j-jmh");
        List<String> jmhArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--min-idle" -> minIdle = Integer.parseInt(args[++i]);
                case "--max-wait" -> maxWaitSeconds = Integer.parseInt(args[++i]);
                default -> jmhArgs.add(args[i]);
            }
        }
        Files.createDirectories(out);
        CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(String[]::new));
        List<String> includes = cli.getIncludes().isEmpty() ? List.of(".*") : cli.getIncludes();
        List<String> benchmarks = new ArrayList<>();
        for (BenchmarkListEntry e : BenchmarkList.defaultList().find(OutputFormatFactory.createFormatInstance(
                System.out, VerboseMode.SILENT), includes, cli.getExcludes())) {
            if (!benchmarks.contains(e.getUsername())) {
                benchmarks.add(e.getUsername());
            }
        }
        List<Map<String, Row>> all = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Map<String, Row> rows = new LinkedHashMap<>();
            StringBuilder notes = new StringBuilder();
            for (String bench : benchmarks) {
                String simple = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
                String idle = waitForIdle(minIdle, maxWaitSeconds);
                String loadBefore = loadavg();
                Path json = out.resolve("run" + run + "-" + simple + ".json");
                Options opts = new OptionsBuilder().parent(cli).include("^" + Pattern.quote(bench) + "$")
                        .resultFormat(ResultFormatType.JSON).result(json.toString()).build();
                for (RunResult r : run(opts)) {
                    Row row = row(r);
                    rows.put(row.name() + " " + row.params(), row);
                }
                notes.append(String.format(Locale.ROOT, "%s: idle before %s, load %s -> %s%n", simple, idle,
                        loadBefore, loadavg()));
            }
            all.add(rows);
            String table = table(rows.values());
            Files.writeString(out.resolve("run" + run + ".md"), table + "\n" + notes);
            System.out.printf("%n## Run %d of %d (JSON: %s/run%d-*.json)%n%n%s%n%s", run, runs, out, run, table,
                    notes);
        }
        if (runs > 1) {
            Map<String, Row> best = new LinkedHashMap<>();
            Map<String, Integer> from = new LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) {
                for (Map.Entry<String, Row> e : all.get(i).entrySet()) {
                    Row cur = best.get(e.getKey());
                    if (cur == null || e.getValue().relErr() < cur.relErr()) {
                        best.put(e.getKey(), e.getValue());
                        from.put(e.getKey(), i + 1);
                    }
                }
            }
            StringBuilder sb = new StringBuilder();
            sb.append("| benchmark | data | MB/s | ± (99.9%) | MB per CPU-s | ± (99.9%) | picked run |"
                    + " MB/s in each run |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|---|\n");
            for (Map.Entry<String, Row> e : best.entrySet()) {
                Row r = e.getValue();
                StringBuilder each = new StringBuilder();
                for (Map<String, Row> runRows : all) {
                    Row x = runRows.get(e.getKey());
                    each.append(each.length() == 0 ? "" : ", ")
                            .append(x == null ? "-" : String.format(Locale.ROOT, "%.0f ± %.0f", x.mbps(), err(x)));
                }
                sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %s | %s | %d | %s |%n", r.name(),
                        data(r), r.mbps(), err(r), num(r.cpu()), num(r.cpuErr()), from.get(e.getKey()), each));
            }
            Files.writeString(out.resolve("best.md"), sb.toString());
            System.out.printf("%n## Best of %d runs%n%n%s", runs, sb);
        }
    }

    /**
     * Waits until the whole machine's CPU idle share, sampled over 2 s from /proc/stat, is at least {@code minIdle}
     * percent, or {@code maxWaitSeconds} have passed; returns the last sample, e.g. "93%" (or "n/a").
     */
    static String waitForIdle(int minIdle, int maxWaitSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + maxWaitSeconds * 1_000_000_000L;
        while (true) {
            double idle = idleShare(2000);
            if (Double.isNaN(idle)) {
                return "n/a";
            }
            String s = String.format(Locale.ROOT, "%.0f%%", idle * 100);
            if (idle * 100 >= minIdle || System.nanoTime() >= deadline) {
                return s;
            }
            System.out.println("[report] machine busy (idle " + s + " < " + minIdle + "%), waiting");
        }
    }

    static double idleShare(long millis) throws InterruptedException {
        long[] a = cpuTimes();
        Thread.sleep(millis);
        long[] b = cpuTimes();
        if (a == null || b == null || b[0] == a[0]) {
            return Double.NaN;
        }
        return (double) (b[1] - a[1]) / (b[0] - a[0]);
    }

    /** {total, idle+iowait} jiffies from the first line of /proc/stat, or null. */
    static long[] cpuTimes() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The first three fields of /proc/loadavg, to show how busy the (possibly shared) machine was. */
    static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static Collection<RunResult> run(Options opts) throws RunnerException {
        return new Runner(opts).run();
    }

    static Row row(RunResult r) throws IOException {
        BenchmarkParams p = r.getParams();
        String bench = p.getBenchmark();
        int dot = bench.lastIndexOf('.');
        String cls = bench.substring(0, dot);
        String method = bench.substring(dot + 1);
        long bytes = bytesPerOp(cls, method);
        StringBuilder params = new StringBuilder();
        for (String k : p.getParamsKeys()) {
            params.append(k).append('=').append(p.getParam(k)).append(' ');
        }
        Result<?> res = r.getPrimaryResult();
        double score = res.getScore();
        double err = res.getScoreError();
        String unit = res.getScoreUnit();
        if (!unit.equals("ops/s")) {
            throw new IllegalStateException(bench + ": expected ops/s, got " + unit);
        }
        String shortName = cls.substring(cls.lastIndexOf('.') + 1) + "." + method;
        Result<?> cpu = r.getSecondaryResults().get("cpu");
        return new Row(shortName, params.toString().trim(), score * bytes / 1e6, err * bytes / 1e6, score, unit,
                cpu == null ? Double.NaN : cpu.getScore(), cpu == null ? Double.NaN : cpu.getScoreError());
    }

    static long bytesPerOp(String cls, String method) {
        try {
            for (Method m : Class.forName(cls).getMethods()) {
                if (m.getName().equals(method) && m.isAnnotationPresent(Bytes.class)) {
                    return m.getAnnotation(Bytes.class).value();
                }
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException(cls + "." + method + " has no @Bytes");
    }

    static String num(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.0f", d);
    }

    static double err(Row r) {
        return Double.isNaN(r.errMbps()) ? 0 : r.errMbps();
    }

    static String data(Row r) {
        return r.params().isEmpty() ? "random" : r.params().replace("data=", "");
    }

    static String table(Collection<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| benchmark | data | MB/s | ± (99.9%) | MB per CPU-s | ± (99.9%) |\n");
        sb.append("|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %s | %s |%n", r.name(), data(r), r.mbps(),
                    err(r), num(r.cpu()), num(r.cpuErr())));
        }
        return sb.toString();
    }
}
