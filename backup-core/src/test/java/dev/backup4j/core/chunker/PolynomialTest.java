package dev.backup4j.core.chunker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

class PolynomialTest {
    @Test
    void knownIrreduciblesAndReducibles() {
        assertTrue(Polynomial.isIrreducible(0b111), "x^2+x+1");
        assertFalse(Polynomial.isIrreducible(0b101), "x^2+1 = (x+1)^2");
        assertTrue(Polynomial.isIrreducible(0b1011), "x^3+x+1");
        assertTrue(Polynomial.isIrreducible(0x3DA3358B4DC173L), "restic's test polynomial");
        assertFalse(Polynomial.isIrreducible(0x3DA3358B4DC172L), "divisible by x");
    }

    @Test
    void randomPolynomialsAreIrreducibleOfDegree53() {
        for (int i = 0; i < 5; i++) {
            long p = Polynomial.randomIrreducible();
            assertEquals(53, Polynomial.degree(p));
            assertTrue(Polynomial.isIrreducible(p));
            assertEquals(p, Polynomial.parseHex(Polynomial.toHex(p)));
        }
    }

    @Test
    void productsOfTwoPolynomialsAreReducible() {
        qt().withExamples(500).forAll(longs().between(2, (1L << 26) - 1), longs().between(2, (1L << 26) - 1))
                .checkAssert((a, b) -> {
                    long prod = clmul(a, b);
                    assertFalse(Polynomial.isIrreducible(prod), Long.toHexString(prod));
                    assertEquals(0, Polynomial.mod(prod, a));
                });
    }

    private static long clmul(long a, long b) {
        long r = 0;
        for (int i = 0; i < 63; i++) {
            if ((b >>> i & 1) != 0) {
                r ^= a << i;
            }
        }
        return r;
    }
}
