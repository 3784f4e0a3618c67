package dev.backup4j.bench;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.compress.Zstd;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * zstd level 3 of 1 MiB blocks, random (incompressible) and text-like (generated log lines). MB/s is of the
 * uncompressed bytes both ways. {@code compressReusedBuffer} calls zstd-jni directly into a reused buffer, to show
 * what {@link Zstd#compress}'s per-call {@code compressBound} allocation and trimming copy cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ZstdBench {
    @Param({"random", "text"})
    public String data;

    byte[] plain;
    byte[] compressed;
    byte[] dst;

    @Setup
    public void setup() {
        plain = Data.of(data, Data.MIB);
        compressed = Zstd.compress(plain, 0, plain.length, Zstd.DEFAULT_LEVEL);
        dst = new byte[(int) com.github.luben.zstd.Zstd.compressBound(plain.length)];
        System.err.printf("%n[zstd] %s: 1 MiB -> %d bytes at level 3 (ratio %.2f)%n", data, compressed.length,
                (double) plain.length / compressed.length);
    }

    @Benchmark
    @Bytes(Data.MIB)
    public byte[] compress() {
        return Zstd.compress(plain, 0, plain.length, 3);
    }

    @Benchmark
    @Bytes(Data.MIB)
    public byte[] decompress() throws CorruptDataException {
        return Zstd.decompress(compressed, Data.MIB);
    }

    @Benchmark
    @Bytes(Data.MIB)
    public long compressReusedBuffer() {
        return com.github.luben.zstd.Zstd.compressByteArray(dst, 0, dst.length, plain, 0, plain.length, 3);
    }
}
