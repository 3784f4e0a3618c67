package dev.backup4j.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;

/** Our scrypt against RFC 7914's test vectors and against Bouncy Castle's on random parameters. */
class ScryptTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void rfc7914TestVectors() {
        HexFormat hex = HexFormat.of();
        assertArrayEquals(hex.parseHex("77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                        + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
                Scrypt.derive(new byte[0], new byte[0], 16, 1, 1, 64));
        assertArrayEquals(hex.parseHex("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                        + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
                Scrypt.derive(ascii("password"), ascii("NaCl"), 1024, 8, 16, 64));
        assertArrayEquals(hex.parseHex("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                        + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"),
                Scrypt.derive(ascii("pleaseletmein"), ascii("SodiumChloride"), 16384, 8, 1, 64));
    }

    @Test
    void agreesWithBouncyCastle() {
        // small N and r keep each example fast; p above the core count exercises the parallel lanes
        qt().withExamples(150).forAll(longs().all(), integers().between(1, 10), integers().between(1, 4),
                integers().between(1, 5)).checkAssert((seed, logN, r, p) -> {
                    Random rnd = new Random(seed);
                    byte[] password = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(100)];
                    byte[] salt = new byte[rnd.nextInt(80)];
                    rnd.nextBytes(password);
                    rnd.nextBytes(salt);
                    int len = 1 + rnd.nextInt(100);
                    assertArrayEquals(SCrypt.generate(password, salt, 1 << logN, r, p, len),
                            Scrypt.derive(password, salt, 1 << logN, r, p, len));
                });
    }

    @Test
    void refusesBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> Scrypt.derive(new byte[1], new byte[1], 1000, 8, 1, 64));
        assertThrows(IllegalArgumentException.class, () -> Scrypt.derive(new byte[1], new byte[1], 1, 8, 1, 64));
        assertThrows(IllegalArgumentException.class, () -> Scrypt.derive(new byte[1], new byte[1], 16, 0, 1, 64));
        assertThrows(IllegalArgumentException.class, () -> Scrypt.derive(new byte[1], new byte[1], 16, 1, 0, 64));
        assertThrows(IllegalArgumentException.class,
                () -> Scrypt.derive(new byte[1], new byte[1], 1 << 30, 8, 1, 64));
    }
}
