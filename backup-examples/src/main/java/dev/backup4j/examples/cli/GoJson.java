package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text as Go's {@code encoding/json} writes it, so that the output of {@code ls}, {@code find}, {@code diff}
 * and {@code stats} matches restic's byte for byte: fields in insertion order, no spaces, {@code <}, {@code >},
 * {@code &} and control characters as lower-case <code>&#92;u00XX</code> escapes (\n, \r, \t, \" and \\ as
 * such), U+2028 and U+2029 escaped, and a lone surrogate (a raw byte of a name, see {@code FileNames}) as
 * <code>&#92;ufffd</code>, the way Go writes bytes that are not UTF-8.
 */
final class GoJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    static String write(JsonNode n) {
        StringBuilder b = new StringBuilder();
        write(b, n);
        return b.toString();
    }

    private static void write(StringBuilder b, JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                b.append('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case ARRAY -> {
                b.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(b, n.get(i));
                }
                b.append(']');
            }
            case STRING -> string(b, n.textValue());
            case NUMBER -> b.append(n.isIntegralNumber() ? n.bigIntegerValue().toString() : n.asText());
            case BOOLEAN -> b.append(n.booleanValue());
            default -> b.append("null");
        }
    }

    /** A quoted string, escaped as Go's encoder escapes it (HTML-safe). */
    static void string(StringBuilder b, String s) {
        b.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
                b.append(c);
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x80) {
                unicode(b, c);
            } else if (c == '\u2028' || c == '\u2029') {
                unicode(b, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                b.append("\\ufffd");
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    private static void unicode(StringBuilder b, char c) {
        b.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
    }
}
