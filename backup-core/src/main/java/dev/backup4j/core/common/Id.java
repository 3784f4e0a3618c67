package dev.backup4j.core.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A 32-byte SHA-256 identifier: of a blob's plaintext, or of a repository file's stored bytes.
 *
 * <p>Immutable; the backing array is never exposed. {@link #toString()} is the 64-character lowercase hex form
 * that restic uses for file names and JSON, {@link #shortString()} the 8-character form it prints.
 *
 * <pre>{@code
 * Id id = Id.parse("a3f0...");                                          // 64 hex digits
 * Id same = Id.of(MessageDigest.getInstance("SHA-256").digest(bytes));   // from a digest
 * Id also = Id.hash(bytes);                                              // the same, hashed here
 * }</pre>
 */
public final class Id implements Comparable<Id> {
    /** Length of an id in bytes. */
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Id::sha256);

    private final byte[] bytes;
    private final int hash;

    private Id(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Copies a 32-byte digest into an id.
     *
     * @throws IllegalArgumentException if {@code digest} is not 32 bytes long
     */
    public static Id of(byte[] digest) {
        Objects.requireNonNull(digest, "digest");
        if (digest.length != LENGTH) {
            throw new IllegalArgumentException("an id is 32 bytes, got " + digest.length);
        }
        return new Id(digest.clone());
    }

    /** Reads 32 bytes at {@code offset} of {@code buf}. */
    public static Id of(byte[] buf, int offset) {
        Objects.requireNonNull(buf, "buf");
        if (offset < 0 || offset + LENGTH > buf.length) {
            throw new IllegalArgumentException("not 32 bytes at offset " + offset);
        }
        return new Id(Arrays.copyOfRange(buf, offset, offset + LENGTH));
    }

    /**
     * Parses the 64-character hex form.
     *
     * @throws IllegalArgumentException if {@code hex} is not 64 hex digits
     */
    public static Id parse(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (!isValid(hex)) {
            throw new IllegalArgumentException("not a 64-digit hex id: '" + hex + "'");
        }
        return new Id(HEX.parseHex(hex));
    }

    /** True if {@code s} is exactly 64 hex digits (either case). */
    public static boolean isValid(String s) {
        if (s == null || s.length() != 2 * LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** SHA-256 of {@code data}. */
    public static Id hash(byte[] data) {
        return hash(data, 0, data.length);
    }

    /** SHA-256 of {@code len} bytes of {@code data} from {@code off}. */
    public static Id hash(byte[] data, int off, int len) {
        MessageDigest md = DIGEST.get(); // digest() resets it for the next use
        md.update(data, off, len);
        return new Id(md.digest());
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Writes the 32 bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    /** The first 8 hex digits, as restic prints short ids. */
    public String shortString() {
        return toString().substring(0, 8);
    }

    @Override
    public String toString() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Id other && hash == other.hash && Arrays.equals(bytes, other.bytes));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(Id o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
