package dev.backup4j.core.snapshot;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * File names as byte strings. On Linux a name is any sequence of bytes without '/' and NUL; restic stores it as such
 * (a Go string). A Java {@link String} holds such a name like Python's {@code surrogateescape}: valid UTF-8 is
 * decoded as usual, and each byte that is not part of valid UTF-8 becomes the lone surrogate {@code U+DC80..U+DCFF}
 * ({@code U+DC00} plus the byte). Every byte string has exactly one such form, and {@link #encode} gives the bytes
 * back, so names that are not UTF-8 are backed up and restored under their exact bytes.
 *
 * <p>The JDK gives file names as strings decoded with {@code sun.jnu.encoding}, which replaces bytes it cannot
 * decode. {@link #nameOf} and {@link #resolve} take the exact bytes through the JDK's {@code file:} URIs (built from,
 * and parsed into, a path's bytes) whenever the plain conversion could lose something: names that are not valid
 * UTF-8, or any non-ASCII name when the JVM runs under a locale that is not UTF-8. Symlink targets likewise, with one
 * limit: without {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED} (on the module path
 * {@code =dev.backup4j.core}; the CLI's jar opens it), a target is made from
 * its elements, so repeated and trailing slashes in it are not kept ({@code a//b/} is created as {@code a/b}).
 */
public final class FileNames {
    private static final boolean JNU_UTF8 = isUtf8(System.getProperty("sun.jnu.encoding"));
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** {@code new sun.nio.fs.UnixPath(UnixFileSystem, byte[])}, when the application opened that package to us. */
    private static final MethodHandle RAW_PATH = rawPathConstructor();

    /** Off in tests of the fallback (file URIs and path elements only). */
    private static volatile boolean useRawPaths = true;

    private FileNames() {
    }

    /** Turns the raw-path constructor off or on (tests of the fallback); returns the previous setting. */
    static boolean rawPaths(boolean on) {
        boolean was = useRawPaths;
        useRawPaths = on;
        return was;
    }

    private static boolean isUtf8(String charset) {
        try {
            return charset != null && Charset.forName(charset).equals(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static MethodHandle rawPathConstructor() {
        try {
            FileSystem fs = FileSystems.getDefault();
            Class<?> c = Class.forName("sun.nio.fs.UnixPath");
            if (!Object.class.getModule().isOpen("sun.nio.fs", FileNames.class.getModule())
                    || !c.isInstance(fs.getPath("/"))) {
                return null;
            }
            Class<?> fsClass = Class.forName("sun.nio.fs.UnixFileSystem");
            MethodHandle h = MethodHandles.privateLookupIn(c, MethodHandles.lookup())
                    .findConstructor(c, MethodType.methodType(void.class, fsClass, byte[].class));
            return h.asType(MethodType.methodType(Path.class, FileSystem.class, byte[].class));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * The bytes of a name: UTF-8, except that each {@code U+DC80..U+DCFF} not paired with a high surrogate is the byte
     * it stands for.
     *
     * @throws IllegalArgumentException for another lone surrogate, which stands for no byte string
     */
    public static byte[] encode(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] out = new byte[n * 3];
        int o = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xC0 | c >> 6);
                out[o++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[o++] = (byte) (0xF0 | cp >> 18);
                out[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[o++] = (byte) (0x80 | cp & 0x3F);
            } else if (c >= 0xDC80 && c <= 0xDCFF) {
                out[o++] = (byte) (c - 0xDC00);
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("name holds a lone surrogate U+" + Integer.toHexString(c)
                        .toUpperCase(java.util.Locale.ROOT) + " that stands for no byte: '" + printable(s.substring(0,
                        i)) + "...'");
            } else {
                out[o++] = (byte) (0xE0 | c >> 12);
                out[o++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[o++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return java.util.Arrays.copyOf(out, o);
    }

    /** The name for a byte string (see the class comment). */
    public static String decode(byte[] b) {
        return decode(b, 0, b.length);
    }

    /** The name for {@code len} bytes of {@code b} from {@code off}. */
    public static String decode(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && b[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        StringBuilder sb = new StringBuilder(len);
        for (int k = off; k < i; k++) {
            sb.append((char) b[k]);
        }
        while (i < end) {
            int w = validSequence(b, i, end);
            int c0 = b[i] & 0xFF;
            if (w == 1) {
                sb.append((char) c0);
            } else if (w == 0) {
                sb.append((char) (0xDC00 + c0));
                w = 1;
            } else if (w == 2) {
                sb.append((char) ((c0 & 0x1F) << 6 | b[i + 1] & 0x3F));
            } else if (w == 3) {
                sb.append((char) ((c0 & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F));
            } else {
                sb.appendCodePoint((c0 & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6
                        | b[i + 3] & 0x3F);
            }
            i += w;
        }
        return sb.toString();
    }

    /**
     * The length of the valid UTF-8 sequence at {@code b[i]} (1 to 4), or 0 if that byte does not start one: the same
     * decision as Go's {@code utf8.DecodeRune} (no overlong forms, no surrogates, nothing above U+10FFFF).
     */
    static int validSequence(byte[] b, int i, int end) {
        int c0 = b[i] & 0xFF;
        if (c0 < 0x80) {
            return 1;
        }
        if (c0 < 0xC2 || c0 > 0xF4) {
            return 0;
        }
        int need = c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
        if (i + need > end) {
            return 0;
        }
        int c1 = b[i + 1] & 0xFF;
        int lo = 0x80;
        int hi = 0xBF;
        if (c0 == 0xE0) {
            lo = 0xA0;
        } else if (c0 == 0xED) {
            hi = 0x9F;
        } else if (c0 == 0xF0) {
            lo = 0x90;
        } else if (c0 == 0xF4) {
            hi = 0x8F;
        }
        if (c1 < lo || c1 > hi) {
            return 0;
        }
        for (int k = 2; k < need; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return need;
    }

    /** The canonical form of a name: the one {@link #decode} gives for its bytes. */
    public static String canonical(String s) {
        return hasSurrogates(s) ? decode(encode(s)) : s;
    }

    private static boolean hasSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** True if the name holds bytes that are not valid UTF-8 (lone surrogates). */
    public static boolean hasRawBytes(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The name as Go's {@code encoding/json} would print its bytes: each byte that is not valid UTF-8 becomes
     * U+FFFD. This is how restic shows names in its JSON output ({@code ls --json}).
     */
    public static String lossy(String s) {
        if (!hasRawBytes(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A name for messages: Go's quoted form without the quotes (what restic stores), so that control characters,
     * quotes and raw bytes are visible and a name is never mistaken for two.
     */
    public static String printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '\\' || c == '"' || c >= 0x7F) {
                return GoQuote.quote(s);
            }
        }
        return s;
    }

    /**
     * The exact name of {@code entry}'s last element.
     *
     * @param entry a path with at least one element, e.g. one returned by a directory stream
     */
    public static String nameOf(Path entry) {
        Path last = entry.getFileName();
        if (last == null) {
            throw new IllegalArgumentException("path has no name: " + entry);
        }
        String s = last.toString();
        if (plainFromJdk(s) || !isDefault(entry)) {
            return s;
        }
        String raw = entry.toAbsolutePath().toUri().getRawPath();
        int end = raw.length();
        if (end > 1 && raw.charAt(end - 1) == '/') {
            end--; // the JDK adds a slash for a directory
        }
        return decode(percentDecode(raw, raw.lastIndexOf('/', end - 1) + 1, end));
    }

    /** True if the JDK's string for a name is certainly its exact bytes decoded. */
    private static boolean plainFromJdk(String s) {
        if (JNU_UTF8) {
            return s.indexOf('\uFFFD') < 0; // the UTF-8 decoder replaces what it cannot decode, and nothing else
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** True if the JDK turns {@code s} into a path under its exact bytes. */
    private static boolean plainToJdk(String s) {
        if (JNU_UTF8) {
            return !hasRawBytes(s);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDefault(Path p) {
        return p.getFileSystem() == FileSystems.getDefault();
    }

    /**
     * {@code dir} joined with the entry {@code name}, under the name's exact bytes.
     *
     * @throws IllegalArgumentException if the name has raw bytes and {@code dir} is not on the default file system
     */
    public static Path resolve(Path dir, String name) {
        if (plainToJdk(name)) {
            return dir.resolve(name);
        }
        return dir.resolve(element(dir.getFileSystem(), encode(name)));
    }

    /** A one-element relative path with exactly these bytes. */
    private static Path element(FileSystem fs, byte[] bytes) {
        if (fs != FileSystems.getDefault()) {
            throw new IllegalArgumentException("cannot name '" + printable(decode(bytes)) + "' exactly on " + fs);
        }
        if (RAW_PATH != null && useRawPaths) {
            try {
                return (Path) RAW_PATH.invokeExact(fs, bytes);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        Path abs = Path.of(URI.create("file:///" + percentEncode(bytes)));
        return abs.getFileName();
    }

    /** The exact target of a symbolic link. */
    public static String readLink(Path link) throws IOException {
        Path t = Files.readSymbolicLink(link);
        String s = t.toString();
        if (plainFromJdk(s) || !isDefault(t)) {
            return s;
        }
        // the URI of "/" + target holds the target's bytes
        Path abs = t.isAbsolute() ? t : t.getFileSystem().getPath("/").resolve(t);
        String raw = abs.toUri().getRawPath();
        int end = raw.length();
        if (end > 1 && raw.charAt(end - 1) == '/' && !s.endsWith("/")) {
            end--;
        }
        return decode(percentDecode(raw, t.isAbsolute() ? 0 : 1, end));
    }

    /**
     * A path to give {@link Files#createSymbolicLink} as the target, under the target's exact bytes (see the class
     * comment for the one limit).
     */
    public static Path linkTarget(FileSystem fs, String target) {
        boolean plainSlashes = !target.contains("//") && (target.length() < 2 || !target.endsWith("/"));
        if (plainToJdk(target) && plainSlashes) {
            return fs.getPath(target);
        }
        if (fs == FileSystems.getDefault() && RAW_PATH != null && useRawPaths) {
            try {
                return (Path) RAW_PATH.invokeExact(fs, encode(target));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        Path p = target.startsWith("/") ? fs.getPath("/") : null;
        for (String part : target.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Path e = plainToJdk(part) ? fs.getPath(part) : element(fs, encode(part));
            p = p == null ? e : p.resolve(e);
        }
        return p == null ? fs.getPath(target) : p;
    }

    private static String percentEncode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte x : bytes) {
            int c = x & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    private static byte[] percentDecode(String s, int from, int to) {
        byte[] out = new byte[to - from];
        int o = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < to + 1) {
                out[o++] = (byte) Integer.parseInt(s.substring(i + 1, i + 3), 16);
                i += 2;
            } else {
                out[o++] = (byte) c;
            }
        }
        return java.util.Arrays.copyOf(out, o);
    }
}
