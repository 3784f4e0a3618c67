package dev.backup4j.core.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * JSON and time helpers shared by the on-disk formats, matching what restic (Go's {@code encoding/json}) writes:
 * times as RFC 3339 with nanoseconds and trailing zeros trimmed, byte arrays as padded base64.
 */
public final class Json {
    /** The one mapper; thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

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
     * Parses a JSON document.
     *
     * @param what names the document for the error message, e.g. the file's path
     * @throws CorruptDataException if it is not JSON
     */
    public static JsonNode parse(byte[] data, String what) throws CorruptDataException {
        try (JsonParser p = FACTORY.createParser(data)) {
            JsonNode n = MAPPER.readTree(p);
            if (n == null) {
                throw new CorruptDataException(what + ": empty JSON document");
            }
            return n;
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException e) {
            throw new CorruptDataException(what + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    /** Formats a time as Go's {@code time.RFC3339Nano}. */
    public static String formatTime(OffsetDateTime t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
    }

    /**
     * Parses an RFC 3339 time with optional fraction.
     *
     * @throws CorruptDataException if it is not one
     */
    public static OffsetDateTime parseTime(String s, String what) throws CorruptDataException {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new CorruptDataException(what + ": invalid time '" + s + "'", e);
        }
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
