package dev.backup4j.core.crypto;

import dev.backup4j.bench.Bytes;
import dev.backup4j.bench.Data;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Poly1305 over 1 MiB: backup-core's own (package-private, hence this benchmark's package) against Bouncy Castle's,
 * which MasterKey used before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Poly1305Bench {
    byte[] plain;
    byte[] r;
    byte[] s;
    byte[] tag = new byte[16];
    org.bouncycastle.crypto.macs.Poly1305 bc = new org.bouncycastle.crypto.macs.Poly1305();

    @Setup
    public void setup() {
        plain = Data.random(Data.MIB, 2);
        r = Data.random(16, 4);
        s = Data.random(16, 5);
    }

    @Benchmark
    @Bytes(Data.MIB)
    public byte[] ours() {
        Poly1305.mac(r, s, plain, 0, plain.length, tag, 0);
        return tag;
    }

    @Benchmark
    @Bytes(Data.MIB)
    public byte[] bouncyCastle() {
        byte[] key = new byte[32];
        System.arraycopy(r, 0, key, 0, 16);
        System.arraycopy(s, 0, key, 16, 16);
        bc.init(new KeyParameter(key));
        bc.update(plain, 0, plain.length);
        bc.doFinal(tag, 0);
        return tag;
    }
}
