package dev.backup4j.core.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written time codec in {@link Json} against {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}. */
class JsonTimeTest {
    private static OffsetDateTime time(long epochSecond, int nano, int offsetSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSecond, nano), ZoneOffset.ofTotalSeconds(offsetSeconds));
    }

    /** Nanos with a random number of trailing zeros, as file systems give them (often whole micros or seconds). */
    private static int nanos(long seed) {
        Random r = new Random(seed);
        int nano = r.nextInt(1_000_000_000);
        int zeros = r.nextInt(10);
        for (int i = 0; i < zeros; i++) {
            nano -= nano % (int) Math.pow(10, i + 1);
        }
        return nano;
    }

    @Test
    void formatAndParseAgreeWithTheJdkFormatter() {
        // years -1000..12000 (outside 0..9999 takes the slow path), offsets -18h..+18h including odd seconds
        qt().withExamples(20_000).forAll(longs().between(-93_700_000_000L, 316_500_000_000L), longs().all(),
                integers().between(-18 * 3600, 18 * 3600)).checkAssert((sec, seed, off) -> {
                    int offset = new Random(seed).nextBoolean() ? off - off % 60 : off;
                    OffsetDateTime t = time(sec, nanos(seed), offset);
                    String expected = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
                    String actual = Json.formatTime(t);
                    assertEquals(expected, actual);
                    try {
                        assertEquals(t, Json.parseTime(actual, "t"));
                    } catch (CorruptDataException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    @Test
    void parsesWhatGoWrites() throws Exception {
        assertEquals(OffsetDateTime.of(2022, 10, 3, 14, 5, 6, 123_450_000, ZoneOffset.ofHours(2)),
                Json.parseTime("2022-10-03T14:05:06.12345+02:00", "t"));
        assertEquals(OffsetDateTime.of(2022, 10, 3, 14, 5, 6, 0, ZoneOffset.UTC),
                Json.parseTime("2022-10-03T14:05:06Z", "t"));
        assertEquals(OffsetDateTime.of(2022, 10, 3, 14, 5, 6, 1, ZoneOffset.ofHoursMinutes(-9, -30)),
                Json.parseTime("2022-10-03T14:05:06.000000001-09:30", "t"));
        assertEquals("2022-10-03T14:05:06.00000001-09:30",
                Json.formatTime(OffsetDateTime.of(2022, 10, 3, 14, 5, 6, 10, ZoneOffset.ofHoursMinutes(-9, -30))));
    }

    @Test
    void refusesWhatTheJdkRefuses() {
        String[] bad = {"", "2022-10-03", "2022-10-03T14:05:06", "2022-13-03T14:05:06Z", "2022-02-30T14:05:06Z",
            "2022-10-03T24:05:06Z", "2022-10-03T14:05:60Z", "2022-10-03T14:05:06.Z", "2022-10-03T14:05:06.1234567891Z",
            "2022-10-03T14:05:06+19:00", "2022-10-03T14:05:06+02:60", "2022-10-03T14:05:06+0200",
            "2022-10-03t14:05:06Z", "2022-10-03T14:05:06Zjunk", "２０２２-10-03T14:05:06Z", "2022-10-03T14:05:06z"};
        for (String s : bad) {
            boolean jdkRefuses;
            try {
                OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                jdkRefuses = false;
            } catch (DateTimeParseException e) {
                jdkRefuses = true;
            }
            if (jdkRefuses) {
                CorruptDataException e = assertThrows(CorruptDataException.class, () -> Json.parseTime(s, "tree x"));
                assertEquals("tree x: invalid time '" + s + "'", e.getMessage());
            } else {
                assertEquals(OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                        assertDoesNotThrow(s));
            }
        }
    }

    private static OffsetDateTime assertDoesNotThrow(String s) {
        try {
            return Json.parseTime(s, "t");
        } catch (CorruptDataException e) {
            throw new AssertionError(s, e);
        }
    }
}
