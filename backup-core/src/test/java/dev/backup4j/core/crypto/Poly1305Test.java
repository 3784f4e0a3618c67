package dev.backup4j.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** Our Poly1305 against RFC 8439 and against Bouncy Castle's on random keys, pads and messages. */
class Poly1305Test {
    private static byte[] reference(byte[] r, byte[] s, byte[] msg, int off, int len) {
        byte[] key = new byte[32];
        System.arraycopy(r, 0, key, 0, 16);
        System.arraycopy(s, 0, key, 16, 16);
        org.bouncycastle.crypto.macs.Poly1305 p = new org.bouncycastle.crypto.macs.Poly1305();
        p.init(new KeyParameter(key)); // Bouncy Castle clamps r too
        p.update(msg, off, len);
        byte[] out = new byte[16];
        p.doFinal(out, 0);
        return out;
    }

    @Test
    void rfc8439TestVector() {
        HexFormat hex = HexFormat.of();
        byte[] key = hex.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] msg = "Cryptographic Forum Research Group".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[20];
        Poly1305.mac(Arrays.copyOf(key, 16), Arrays.copyOfRange(key, 16, 32), msg, 0, msg.length, out, 2);
        assertArrayEquals(hex.parseHex("a8061dc1305136c6c22b8baf0c0127a9"), Arrays.copyOfRange(out, 2, 18));
    }

    @Test
    void agreesWithBouncyCastle() {
        qt().withExamples(3000).forAll(longs().all(), integers().between(0, 300)).checkAssert((seed, len) -> {
            Random rnd = new Random(seed);
            byte[] r = new byte[16];
            byte[] s = new byte[16];
            int kind = rnd.nextInt(4);
            // extremes as well as random bytes: all-ones keys and messages push every limb to its carry limits
            if (kind == 0) {
                Arrays.fill(r, (byte) 0xff);
                Arrays.fill(s, (byte) 0xff);
            } else {
                rnd.nextBytes(r);
                rnd.nextBytes(s);
            }
            int off = rnd.nextInt(5);
            byte[] msg = new byte[off + len + rnd.nextInt(5)];
            if (kind == 1) {
                Arrays.fill(msg, (byte) 0xff);
            } else {
                rnd.nextBytes(msg);
            }
            byte[] out = new byte[16];
            Poly1305.mac(r, s, msg, off, len, out, 0);
            assertArrayEquals(reference(r, s, msg, off, len), out);
        });
    }
}
