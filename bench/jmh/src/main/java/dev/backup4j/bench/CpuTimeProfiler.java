package dev.backup4j.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler ({@code -prof dev.backup4j.bench.CpuTimeProfiler}) that adds the secondary result {@code ·cpu}:
 * MB (10^6 bytes) processed per second of CPU time used by the benchmark JVM, per iteration. On a shared machine,
 * where other processes take time slices, this is much steadier than wall-clock MB/s; it counts the JVM's GC and
 * JIT threads too (after warm-up, mostly the GC that the benchmark's allocations cause).
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuStart;

    @Override
    public String getDescription() {
        return "MB processed per CPU-second of the benchmark JVM (uses @Bytes)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuStart = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long cpu = os.getProcessCpuTime() - cpuStart;
        long ops = result.getMetadata().getMeasuredOps();
        String bench = benchmarkParams.getBenchmark();
        int dot = bench.lastIndexOf('.');
        long bytes = Report.bytesPerOp(bench.substring(0, dot), bench.substring(dot + 1));
        double mbPerCpuSecond = cpu <= 0 ? Double.NaN : ops * (double) bytes / 1e6 / (cpu / 1e9);
        return List.of(new ScalarResult("cpu", mbPerCpuSecond, "MB/cpu-s", AggregationPolicy.AVG));
    }
}
