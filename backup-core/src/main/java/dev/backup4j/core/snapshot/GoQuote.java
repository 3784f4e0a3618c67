package dev.backup4j.core.snapshot;

/**
 * Go's {@code strconv.Quote} and {@code strconv.Unquote}, without the surrounding quotes, over the byte strings that
 * {@link FileNames} holds in Java strings. restic stores every node name in this quoted form (then encodes it as JSON)
 * and reads it back with {@code Unquote}: a backslash, a quote, a control character or a byte that is not UTF-8 in a
 * name is written as an escape ({@code \\}, {@code \"}, {@code \n}, {@code \x7f}, <code>&#92;u200f</code>).
 */
final class GoQuote {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoQuote() {
    }

    /** The inside of {@code strconv.Quote} of the name's bytes. */
    static String quote(String name) {
        if (isPlainAscii(name)) {
            return name;
        }
        byte[] b = FileNames.encode(name);
        StringBuilder sb = new StringBuilder(b.length + 8);
        int i = 0;
        while (i < b.length) {
            int c0 = b[i] & 0xFF;
            if (c0 < 0x80) {
                escapeRune(sb, c0);
                i++;
                continue;
            }
            int w = FileNames.validSequence(b, i, b.length);
            if (w == 0) {
                sb.append("\\x").append(HEX[c0 >> 4]).append(HEX[c0 & 0xF]);
                i++;
                continue;
            }
            int r = w == 2 ? (c0 & 0x1F) << 6 | b[i + 1] & 0x3F
                    : w == 3 ? (c0 & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | b[i + 2] & 0x3F
                    : (c0 & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | b[i + 3] & 0x3F;
            escapeRune(sb, r);
            i += w;
        }
        return sb.toString();
    }

    /** True if quoting leaves {@code s} as it is: printable ASCII without backslash and quote. */
    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '\\' || c == '"') {
                return false;
            }
        }
        return true;
    }

    private static void escapeRune(StringBuilder sb, int r) {
        if (r == '"' || r == '\\') {
            sb.append('\\').append((char) r);
            return;
        }
        if (isPrint(r)) {
            sb.appendCodePoint(r);
            return;
        }
        switch (r) {
            case 0x07 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 0x0B -> sb.append("\\v");
            default -> {
                if (r < ' ' || r == 0x7F) {
                    sb.append("\\x").append(HEX[r >> 4]).append(HEX[r & 0xF]);
                } else if (r < 0x10000) {
                    sb.append("\\u");
                    for (int s = 12; s >= 0; s -= 4) {
                        sb.append(HEX[r >> s & 0xF]);
                    }
                } else {
                    sb.append("\\U");
                    for (int s = 28; s >= 0; s -= 4) {
                        sb.append(HEX[r >> s & 0xF]);
                    }
                }
            }
        }
    }

    /**
     * Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. The JDK 17 and
     * Go 1.19 (which built restic 0.14) both follow Unicode 13; a rune the two judge differently is only escaped
     * differently, and reads back the same.
     */
    static boolean isPrint(int r) {
        if (r < 0x80) {
            return r >= 0x20 && r < 0x7F;
        }
        return switch (Character.getType(r)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                    Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                    Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                    Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                    Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /**
     * {@code strconv.Unquote} of {@code "\"" + quoted + "\""}: the name it stands for.
     *
     * @throws IllegalArgumentException where Go's {@code Unquote} fails (an unescaped quote or newline, an unknown
     *     or incomplete escape, {@code \'}, a <code>&#92;u</code> escape that is no Unicode scalar value)
     */
    static String unquote(String quoted) {
        if (quoted.indexOf('\\') < 0) {
            if (quoted.indexOf('"') >= 0 || quoted.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("unescaped quote or newline");
            }
            return quoted;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(quoted.length());
        int n = quoted.length();
        int i = 0;
        while (i < n) {
            char c = quoted.charAt(i);
            if (c == '"' || c == '\n') {
                throw new IllegalArgumentException("unescaped quote or newline");
            }
            if (c != '\\') {
                int cp = quoted.codePointAt(i);
                // the JSON layer gave a valid string; a lone surrogate here can only have come from a JSON escape,
                // which Go's decoder would have made U+FFFD
                if (Character.isSurrogate(c) && Character.charCount(cp) == 1) {
                    cp = 0xFFFD;
                }
                writeUtf8(out, cp);
                i += Character.charCount(cp);
                continue;
            }
            if (i + 1 >= n) {
                throw new IllegalArgumentException("trailing backslash");
            }
            char e = quoted.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> out.write(0x07);
                case 'b' -> out.write('\b');
                case 'f' -> out.write('\f');
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(0x0B);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case 'x' -> {
                    out.write(hex(quoted, i, 2));
                    i += 2;
                }
                case 'u', 'U' -> {
                    int len = e == 'u' ? 4 : 8;
                    long v = hex(quoted, i, len);
                    i += len;
                    if (v > 0x10FFFF || v >= 0xD800 && v <= 0xDFFF) {
                        throw new IllegalArgumentException("escape \\" + e + " is not a Unicode scalar value");
                    }
                    writeUtf8(out, (int) v);
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > n) {
                        throw new IllegalArgumentException("incomplete octal escape");
                    }
                    int v = e - '0';
                    for (int k = 0; k < 2; k++) {
                        char d = quoted.charAt(i + k);
                        if (d < '0' || d > '7') {
                            throw new IllegalArgumentException("invalid octal escape");
                        }
                        v = v * 8 + (d - '0');
                    }
                    if (v > 255) {
                        throw new IllegalArgumentException("octal escape above 255");
                    }
                    out.write(v);
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e);
            }
        }
        return FileNames.decode(out.toByteArray());
    }

    private static int hex(String s, int at, int len) {
        if (at + len > s.length()) {
            throw new IllegalArgumentException("incomplete escape");
        }
        long v = 0;
        for (int k = 0; k < len; k++) {
            int d = Character.digit(s.charAt(at + k), 16);
            if (d < 0) {
                throw new IllegalArgumentException("invalid hex digit in escape");
            }
            v = v * 16 + d;
        }
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
    }

    private static void writeUtf8(java.io.ByteArrayOutputStream out, int cp) {
        if (cp < 0x80) {
            out.write(cp);
        } else if (cp < 0x800) {
            out.write(0xC0 | cp >> 6);
            out.write(0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            out.write(0xE0 | cp >> 12);
            out.write(0x80 | cp >> 6 & 0x3F);
            out.write(0x80 | cp & 0x3F);
        } else {
            out.write(0xF0 | cp >> 18);
            out.write(0x80 | cp >> 12 & 0x3F);
            out.write(0x80 | cp >> 6 & 0x3F);
            out.write(0x80 | cp & 0x3F);
        }
    }
}
