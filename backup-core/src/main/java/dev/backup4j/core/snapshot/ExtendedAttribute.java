package dev.backup4j.core.snapshot;

import java.util.Arrays;
import java.util.Objects;

/**
 * One extended attribute of an entry, as restic stores it in a node's {@code extended_attributes}: the full name with
 * its namespace ({@code user.mime_type}, {@code security.selinux}, {@code system.posix_acl_access}) and the value's
 * bytes. Immutable.
 */
public final class ExtendedAttribute {
    private final String name;
    private final byte[] value;

    private ExtendedAttribute(String name, byte[] value) {
        this.name = name;
        this.value = value;
    }

    /**
     * An attribute.
     *
     * @throws IllegalArgumentException if the name is empty
     */
    public static ExtendedAttribute of(String name, byte[] value) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an extended attribute needs a name");
        }
        return new ExtendedAttribute(name, value.clone());
    }

    /** The full name, namespace included. */
    public String name() {
        return name;
    }

    /** A copy of the value. */
    public byte[] value() {
        return value.clone();
    }

    /** The value's length. */
    public int length() {
        return value.length;
    }

    /** True in the {@code user.} namespace, the only one a JVM can read and write (without native code). */
    public boolean isUserNamespace() {
        return name.startsWith("user.");
    }

    byte[] rawValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtendedAttribute a && a.name.equals(name) && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + " (" + value.length + " bytes)";
    }
}
