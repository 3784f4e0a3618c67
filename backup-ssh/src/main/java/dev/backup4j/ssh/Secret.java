package dev.backup4j.ssh;

import java.util.Arrays;
import java.util.Objects;

/** A password or passphrase: a private copy of the characters, never printed. */
final class Secret {
    private final char[] chars;

    Secret(char[] chars) {
        this.chars = Objects.requireNonNull(chars, "secret").clone();
    }

    String reveal() {
        return new String(chars);
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && Arrays.equals(chars, s.chars);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(chars);
    }
}
