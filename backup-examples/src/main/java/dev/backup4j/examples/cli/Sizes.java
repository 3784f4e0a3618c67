package dev.backup4j.examples.cli;

import java.util.Locale;

/** Byte counts for people. */
final class Sizes {
    private Sizes() {
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.3f %s", v, units[u]);
    }

    /**
     * A byte count as restic's {@code formatBytes} prints it: "1023 B", and from 1 KiB + 1 byte on, three decimals
     * of the largest unit that is exceeded ("1024 B", "1.001 KiB", "3.311 KiB").
     */
    static String restic(long bytes) {
        double b = bytes;
        if (Long.compareUnsigned(bytes, 1L << 40) > 0) {
            return String.format(Locale.ROOT, "%.3f TiB", b / (1L << 40));
        } else if (Long.compareUnsigned(bytes, 1L << 30) > 0) {
            return String.format(Locale.ROOT, "%.3f GiB", b / (1L << 30));
        } else if (Long.compareUnsigned(bytes, 1L << 20) > 0) {
            return String.format(Locale.ROOT, "%.3f MiB", b / (1L << 20));
        } else if (Long.compareUnsigned(bytes, 1L << 10) > 0) {
            return String.format(Locale.ROOT, "%.3f KiB", b / (1L << 10));
        }
        return bytes + " B";
    }
}
