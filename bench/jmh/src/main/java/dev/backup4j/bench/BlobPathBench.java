package dev.backup4j.bench;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.compress.Zstd;
import dev.backup4j.core.crypto.MasterKey;
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
 * One data blob's whole CPU path on one core, as {@code Repository.saveBlob} does it with compression AUTO:
 * SHA-256 of the plaintext, zstd level 3 (kept only if smaller), then AES-256-CTR + Poly1305-AES. And the reverse,
 * as restore does it: open, decompress, SHA-256 check. Excludes chunking, pack assembly and I/O.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlobPathBench {
    @Param({"random", "text"})
    public String data;

    MasterKey key;
    byte[] plain;
    byte[] sealed;
    boolean compressed;

    @Setup
    public void setup() {
        key = MasterKey.random();
        plain = Data.of(data, Data.MIB);
        byte[] z = Zstd.compress(plain, 0, plain.length, Zstd.DEFAULT_LEVEL);
        compressed = z.length < plain.length;
        sealed = key.seal(compressed ? z : plain);
    }

    @Benchmark
    @Bytes(Data.MIB)
    public byte[] hashCompressSeal() {
        Id id = Id.hash(plain);
        byte[] z = Zstd.compress(plain, 0, plain.length, Zstd.DEFAULT_LEVEL);
        byte[] sealedBlob = z.length < plain.length ? key.seal(z) : key.seal(plain);
        sealedBlob[0] ^= (byte) id.hashCode(); // keep the id live
        return sealedBlob;
    }

    @Benchmark
    @Bytes(Data.MIB)
    public Id openDecompressHash() throws CorruptDataException {
        byte[] p = key.open(sealed);
        if (compressed) {
            p = Zstd.decompress(p, Data.MIB);
        }
        return Id.hash(p);
    }
}
