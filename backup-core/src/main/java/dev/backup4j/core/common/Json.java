package dev.backup4j.core.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * JSON and time helpers shared by the on-disk formats, matching what restic (Go's {@code encoding/json}) writes:
 * times as RFC 3339 with nanoseconds and trailing zeros trimmed, byte arrays as padded base64.
 */
public final class Json {
    // Only jackson-core's streaming API and databind's node classes: creating an ObjectMapper loads ~1,000 classes
    // (~150 ms of a CLI run) for nothing the repository formats need.
    // Characters outside the BMP are written as UTF-8, as Go writes them, not as escaped surrogate pairs.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /** A writer of one JSON document. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the document with {@code g}. */
        void write(JsonGenerator g) throws IOException;
    }

    /** Runs {@code w} against a generator and returns the UTF-8 bytes. */
    public static byte[] write(Writer w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Writes a string value as Go's {@code encoding/json} does (restic's encoder), so that a blob we write can be
     * byte for byte the one restic writes: {@code <}, {@code >}, {@code &}, U+2028 and U+2029 and control characters
     * other than newline, return and tab as lower-case <code>&#92;u00xx</code> escapes, and each raw byte of a
     * {@link dev.backup4j.core.snapshot.FileNames} byte string (a lone surrogate) as <code>&#92;ufffd</code>, which is how
     * Go writes a byte that is not UTF-8. Strings that need none of that take Jackson's own path.
     */
    public static void writeGoString(JsonGenerator g, String s) throws IOException {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029
                    || Character.isSurrogate(c)) {
                break;
            }
            i++;
        }
        if (i == n) {
            g.writeString(s);
            return;
        }
        StringBuilder sb = new StringBuilder(n + 16).append('"');
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        sb.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                                .append(HEX[c & 0xF]);
                    } else if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(s.charAt(k + 1))) {
                        sb.append(c).append(s.charAt(++k));
                    } else if (Character.isSurrogate(c)) {
                        sb.append("\\ufffd");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        g.writeRawValue(sb.append('"').toString());
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A parser over {@code data}, for formats read as a token stream. */
    public static JsonParser parser(byte[] data) throws IOException {
        return FACTORY.createParser(data);
    }

    /**
     * Checks that the parser stands on {@code t}, for formats read as a token stream.
     *
     * @throws CorruptDataException naming {@code what} and the position otherwise
     */
    public static void expect(JsonParser p, JsonToken t, String what) throws CorruptDataException {
        if (p.currentToken() != t) {
            throw new CorruptDataException(what + ": expected " + t + " at " + p.currentLocation() + ", found "
                    + p.currentToken());
        }
    }

    /** A new empty JSON object. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A new empty JSON array. */
    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /**
     * Parses a JSON document.
     *
     * @param what names the document for the error message, e.g. the file's path
     * @throws CorruptDataException if it is not JSON
     */
    public static JsonNode parse(byte[] data, String what) throws CorruptDataException {
        try (JsonParser p = FACTORY.createParser(data)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new CorruptDataException(what + ": empty JSON document");
            }
            JsonNode n = readValue(p, t);
            if (p.nextToken() != null) {
                throw new CorruptDataException(what + ": invalid JSON: trailing data at " + p.currentLocation());
            }
            return n;
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException e) {
            throw new CorruptDataException(what + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, readValue(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    a.add(readValue(p, e));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        }
    }

    /** The compact UTF-8 JSON of a node tree. */
    public static byte[] toBytes(JsonNode n) {
        return write(g -> writeNode(g, n));
    }

    /** The compact JSON of a node tree, as a string. */
    public static String toString(JsonNode n) {
        return new String(toBytes(n), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeNode(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    g.writeFieldName(e.getKey());
                    writeNode(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode e : n) {
                    writeNode(g, e);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> {
                if (n.isBigInteger()) {
                    g.writeNumber(n.bigIntegerValue());
                } else if (n.isIntegralNumber()) {
                    g.writeNumber(n.longValue());
                } else if (n.isBigDecimal()) {
                    g.writeNumber(n.decimalValue());
                } else {
                    g.writeNumber(n.doubleValue());
                }
            }
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case BINARY -> g.writeBinary(n.binaryValue());
            case NULL, MISSING -> g.writeNull();
            default -> throw new IOException("cannot write a " + n.getNodeType() + " node");
        }
    }

    /**
     * Formats a time as Go's {@code time.RFC3339Nano}: fraction without trailing zeros, {@code Z} for UTC.
     * Trees hold three times per entry, so the common shape (years 0-9999, whole-minute offsets) is written by
     * hand; {@link DateTimeFormatter} (which allocates a {@code BigDecimal} per fraction) handles the rest.
     */
    public static String formatTime(OffsetDateTime t) {
        int year = t.getYear();
        int off = t.getOffset().getTotalSeconds();
        if (year < 0 || year > 9999 || off % 60 != 0) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        byte[] b = new byte[35];
        digits(b, 0, year, 4);
        b[4] = '-';
        digits(b, 5, t.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, t.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, t.getHour(), 2);
        b[13] = ':';
        digits(b, 14, t.getMinute(), 2);
        b[16] = ':';
        digits(b, 17, t.getSecond(), 2);
        int n = 19;
        int nano = t.getNano();
        if (nano != 0) {
            b[n++] = '.';
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            digits(b, n, nano, width);
            n += width;
        }
        if (off == 0) {
            b[n++] = 'Z';
        } else {
            b[n++] = (byte) (off < 0 ? '-' : '+');
            int m = Math.abs(off) / 60;
            digits(b, n, m / 60, 2);
            b[n + 2] = ':';
            digits(b, n + 3, m % 60, 2);
            n += 5;
        }
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Parses an RFC 3339 time with optional fraction. The shape restic writes
     * ({@code 2006-01-02T15:04:05.999999999+07:00} or {@code Z}) is parsed by hand; anything else goes through
     * {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, so both accept and refuse the same strings.
     *
     * @throws CorruptDataException if it is not one
     */
    public static OffsetDateTime parseTime(String s, String what) throws CorruptDataException {
        OffsetDateTime fast = parseCommon(s);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new CorruptDataException(what + ": invalid time '" + s + "'", e);
        }
    }

    /** The common shape, or null for anything else (left to the slow path, which also makes the error). */
    private static OffsetDateTime parseCommon(String s) {
        int len = s.length();
        if (len < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = num(s, 0, 4);
        int month = num(s, 5, 2);
        int day = num(s, 8, 2);
        int hour = num(s, 11, 2);
        int minute = num(s, 14, 2);
        int second = num(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nano = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < len && i - start < 9 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                nano = nano * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nano *= 10;
            }
        }
        ZoneOffset offset;
        if (i == len - 1 && s.charAt(i) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i == len - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = num(s, i + 1, 2);
            int om = num(s, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return null;
            }
            int total = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
            if (total < -18 * 3600 || total > 18 * 3600) {
                return null;
            }
            offset = ZoneOffset.ofTotalSeconds(total);
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nano, offset);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** The decimal number in s[at, at+width), or -1 if any of those is not a digit. */
    private static int num(String s, int at, int width) {
        int v = 0;
        for (int i = at; i < at + width; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A required text field. */
    public static String text(JsonNode n, String field, String what) throws CorruptDataException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new CorruptDataException(what + ": missing or non-text field '" + field + "'");
        }
        return v.asText();
    }

    /** An optional text field, "" if absent or null. */
    public static String optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** An optional number, 0 if absent. */
    public static long optLong(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? 0 : v.asLong();
    }
}
