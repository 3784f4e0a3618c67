package dev.backup4j.bench;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.crypto.MasterKey;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * AES-256-CTR + Poly1305-AES ({@link MasterKey#seal}/{@link MasterKey#open}) of 1 MiB blocks, and, to see which half
 * costs what, the two halves alone: the JDK's AES-256-CTR and Bouncy Castle's Poly1305 over the same 1 MiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBench {
    MasterKey key;
    byte[] plain;
    byte[] sealed;

    // parts, for the breakdown
    Cipher ctr;
    SecretKeySpec aesKey;
    byte[] iv = new byte[16];
    byte[] out;
    Poly1305 poly;
    byte[] polyKey;
    byte[] tag = new byte[16];

    @Setup
    public void setup() throws GeneralSecurityException {
        key = MasterKey.random();
        plain = Data.random(Data.MIB, 2);
        sealed = key.seal(plain);
        ctr = Cipher.getInstance("AES/CTR/NoPadding");
        aesKey = new SecretKeySpec(Data.random(32, 3), "AES");
        iv[0] = 1;
        out = new byte[Data.MIB];
        poly = new Poly1305();
        polyKey = Data.random(32, 4);
    }

    @Benchmark
    @Bytes(Data.MIB)
    public byte[] seal() {
        return key.seal(plain);
    }

    @Benchmark
    @Bytes(Data.MIB)
    public byte[] open() throws CorruptDataException {
        return key.open(sealed);
    }

    /** The JDK's AES-256-CTR alone (cipher reused, re-initialised per block as seal does, output reused). */
    @Benchmark
    @Bytes(Data.MIB)
    public byte[] partAesCtr() throws GeneralSecurityException {
        iv[15]++;
        ctr.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
        ctr.doFinal(plain, 0, plain.length, out, 0);
        return out;
    }

    /**
     * As {@link #partAesCtr}, but fed to the cipher in 64 KiB {@code update} calls. The JDK's vectorised AES-CTR
     * stub is only used once the caller of {@code CounterMode.implCrypt} is C2-compiled, which takes thousands of
     * calls: one call per 1 MiB blob reaches that late, 16 calls per blob much sooner.
     */
    @Benchmark
    @Bytes(Data.MIB)
    public byte[] partAesCtrSliced() throws GeneralSecurityException {
        iv[15]++;
        ctr.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
        final int slice = 64 * 1024;
        for (int off = 0; off < plain.length; off += slice) {
            ctr.update(plain, off, Math.min(slice, plain.length - off), out, off);
        }
        return out;
    }

    /** Bouncy Castle's Poly1305 alone (the MAC over the ciphertext). */
    @Benchmark
    @Bytes(Data.MIB)
    public byte[] partPoly1305() {
        poly.init(new KeyParameter(polyKey));
        poly.update(plain, 0, plain.length);
        poly.doFinal(tag, 0);
        return tag;
    }
}
