package dev.backup4j.bench;

import dev.backup4j.core.chunker.ChunkStream;
import dev.backup4j.core.chunker.Chunker;
import dev.backup4j.core.chunker.Polynomial;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Content-defined chunking (Rabin fingerprint) of 64 MiB of random data held in memory. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkerBench {
    static final int SIZE = 64 * Data.MIB;

    byte[] data;
    Chunker chunker;

    @Setup
    public void setup() {
        long pol = Polynomial.parseHex(Data.POLYNOMIAL_HEX);
        if (!Polynomial.isIrreducible(pol)) {
            throw new IllegalStateException(Data.POLYNOMIAL_HEX + " is not irreducible");
        }
        chunker = Chunker.of(pol);
        data = Data.random(SIZE, 7);
    }

    /** Splits the whole 64 MiB; returns the number of chunks (about 64 for random data: ~1 MiB average). */
    @Benchmark
    @Bytes(SIZE)
    public long split() throws IOException {
        long chunks = 0;
        long total = 0;
        try (ChunkStream s = chunker.split(new ByteArrayInputStream(data))) {
            for (int n; (n = s.next()) >= 0; ) {
                chunks++;
                total += n;
                // touch the chunk so the buffer hand-off cannot be optimised away
                total += s.buffer()[n - 1];
            }
        }
        return chunks * 31 + total;
    }
}
