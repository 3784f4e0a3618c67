package dev.backup4j.bench;

import dev.backup4j.core.common.Id;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** SHA-256 (blob ids) of 1 MiB blocks. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HashBench {
    byte[] block;

    @Setup
    public void setup() {
        block = Data.random(Data.MIB, 1);
    }

    @Benchmark
    @Bytes(Data.MIB)
    public Id sha256() {
        return Id.hash(block);
    }
}
