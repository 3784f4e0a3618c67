package dev.backup4j.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.WrongPasswordException;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
    private static final MasterKey KEY = MasterKey.random();

    @Test
    void sealThenOpenRoundTripsAnyLength() {
        qt().withExamples(300).forAll(integers().between(0, 70_000), longs().all()).checkAssert((len, seed) -> {
            byte[] plain = new byte[len];
            new Random(seed).nextBytes(plain);
            byte[] sealed = KEY.seal(plain);
            assertEquals(len + MasterKey.OVERHEAD, sealed.length);
            try {
                assertArrayEquals(plain, KEY.open(sealed));
            } catch (CorruptDataException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void sealingInPlaceOpensLikeSealing() {
        // lengths across the 64 KiB slices the cipher is fed in, at offsets inside a larger buffer
        qt().withExamples(200).forAll(integers().between(0, 200_000), integers().between(0, 100), longs().all())
                .checkAssert((len, off, seed) -> {
                    byte[] plain = new byte[len];
                    new Random(seed).nextBytes(plain);
                    byte[] buf = new byte[off + len + MasterKey.OVERHEAD + 7];
                    System.arraycopy(plain, 0, buf, off + MasterKey.IV, len);
                    assertEquals(len + MasterKey.OVERHEAD, KEY.sealInPlace(buf, off, len));
                    try {
                        assertArrayEquals(plain, KEY.open(buf, off, len + MasterKey.OVERHEAD));
                    } catch (CorruptDataException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void openingInPlaceYieldsThePlaintextAndLeavesDamagedInputUntouched() throws Exception {
        byte[] plain = new byte[100_000];
        new Random(3).nextBytes(plain);
        byte[] sealed = KEY.seal(plain);
        byte[] buf = new byte[sealed.length + 10];
        System.arraycopy(sealed, 0, buf, 5, sealed.length);
        assertEquals(plain.length, KEY.openInPlace(buf, 5, sealed.length));
        assertArrayEquals(plain, java.util.Arrays.copyOfRange(buf, 5 + MasterKey.IV, 5 + MasterKey.IV + plain.length));

        byte[] bad = sealed.clone();
        bad[40] ^= 1;
        byte[] before = bad.clone();
        assertThrows(CorruptDataException.class, () -> KEY.openInPlace(bad, 0, bad.length));
        assertArrayEquals(before, bad, "nothing decrypted when the MAC does not verify");
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] plain = new byte[200];
        new Random(1).nextBytes(plain);
        byte[] sealed = KEY.seal(plain);
        qt().withExamples(1000).forAll(integers().between(0, sealed.length * 8 - 1)).checkAssert(bit -> {
            byte[] bad = sealed.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(CorruptDataException.class, () -> KEY.open(bad));
        });
    }

    @Test
    void anotherKeyCannotOpen() {
        byte[] sealed = KEY.seal(new byte[] {1, 2, 3});
        assertThrows(CorruptDataException.class, () -> MasterKey.random().open(sealed));
        assertThrows(CorruptDataException.class, () -> KEY.open(new byte[10]));
    }

    @Test
    void sealingTwiceGivesDifferentCiphertexts() {
        byte[] p = new byte[64];
        assertFalse(java.util.Arrays.equals(KEY.seal(p), KEY.seal(p)), "a fresh IV each time");
    }

    @Test
    void keyFileOpensWithItsPasswordOnly() throws Exception {
        KeyFile kf = KeyFile.create(KEY, "s3cret".toCharArray(), KdfParams.insecureFastForTests(),
                OffsetDateTime.parse("2024-05-06T07:08:09.123+02:00"), "alice", "host-a");
        KeyFile parsed = KeyFile.parse(kf.toJson(), "keys/test");
        assertEquals(KEY, parsed.open("s3cret".toCharArray()));
        assertThrows(WrongPasswordException.class, () -> parsed.open("S3cret".toCharArray()));
        assertEquals("alice", parsed.username());
        assertEquals(KdfParams.insecureFastForTests(), parsed.params());
        assertFalse(kf.toString().contains("data"), "no key material in toString");
        assertFalse(KEY.toString().matches(".*[0-9a-f]{16}.*"));
    }
}
