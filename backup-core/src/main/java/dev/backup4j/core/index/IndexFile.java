package dev.backup4j.core.index;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.Json;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.pack.PackedBlob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of one index file: packs and their blobs, and the index files it supersedes.
 *
 * @param packs each pack's blobs, in the order written
 * @param supersedes index files this one replaces (written by prune)
 */
public record IndexFile(Map<Id, List<PackedBlob>> packs, List<Id> supersedes) {
    /** Copies the inputs. */
    public IndexFile {
        packs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(packs));
        supersedes = List.copyOf(supersedes);
    }

    /** The JSON restic writes for an index file. */
    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            if (!supersedes.isEmpty()) {
                g.writeArrayFieldStart("supersedes");
                for (Id id : supersedes) {
                    g.writeString(id.toString());
                }
                g.writeEndArray();
            }
            g.writeArrayFieldStart("packs");
            for (Map.Entry<Id, List<PackedBlob>> e : packs.entrySet()) {
                g.writeStartObject();
                g.writeStringField("id", e.getKey().toString());
                g.writeArrayFieldStart("blobs");
                for (PackedBlob b : e.getValue()) {
                    g.writeStartObject();
                    g.writeStringField("id", b.id().toString());
                    g.writeStringField("type", b.type().json());
                    g.writeNumberField("offset", b.offset());
                    g.writeNumberField("length", b.length());
                    if (b.compressed()) {
                        g.writeNumberField("uncompressed_length", b.uncompressedLength());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * Parses an index file's JSON (restic's current format; the legacy bare-array format is refused).
     *
     * @throws CorruptDataException if it is not a valid index
     */
    public static IndexFile parse(byte[] json, String what) throws CorruptDataException {
        // streamed: a repository's index holds one entry per blob, and every open reads all of it
        Map<Id, List<PackedBlob>> packs = new LinkedHashMap<>();
        List<Id> supersedes = new ArrayList<>();
        boolean sawPacks = false;
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CorruptDataException(what + ": not an index (no 'packs' array)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("packs") && t == JsonToken.START_ARRAY) {
                    sawPacks = true;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        parsePack(p, packs, what);
                    }
                    Json.expect(p, JsonToken.END_ARRAY, what);
                } else if (field.equals("supersedes") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        supersedes.add(Id.parse(p.getText()));
                    }
                    Json.expect(p, JsonToken.END_ARRAY, what);
                } else {
                    p.skipChildren();
                }
            }
            Json.expect(p, JsonToken.END_OBJECT, what);
            if (!sawPacks) {
                throw new CorruptDataException(what + ": not an index (no 'packs' array)");
            }
        } catch (CorruptDataException e) {
            throw e;
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CorruptDataException(what + ": invalid index entry: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CorruptDataException(what + ": invalid JSON: " + e.getMessage(), e);
        }
        return new IndexFile(packs, supersedes);
    }

    /** One entry of "packs"; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private static void parsePack(JsonParser p, Map<Id, List<PackedBlob>> packs, String what) throws IOException {
        Id pack = null;
        List<PackedBlob> blobs = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if (field.equals("id") && t == JsonToken.VALUE_STRING) {
                pack = Id.parse(p.getText());
            } else if (field.equals("blobs") && t == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    blobs.add(parseBlob(p, what));
                }
                Json.expect(p, JsonToken.END_ARRAY, what);
            } else {
                p.skipChildren();
            }
        }
        Json.expect(p, JsonToken.END_OBJECT, what);
        if (pack == null) {
            throw new CorruptDataException(what + ": missing or non-text field 'id'");
        }
        packs.merge(pack, blobs, (a, c) -> {
            List<PackedBlob> all = new ArrayList<>(a);
            all.addAll(c);
            return all;
        });
    }

    private static PackedBlob parseBlob(JsonParser p, String what) throws IOException {
        Id id = null;
        BlobType type = null;
        long offset = -1;
        long length = -1;
        long uncompressed = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "id" -> id = t == JsonToken.VALUE_STRING ? Id.parse(p.getText()) : null;
                case "type" -> type = t == JsonToken.VALUE_STRING ? BlobType.fromJson(p.getText()) : null;
                case "offset" -> offset = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                case "length" -> length = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                case "uncompressed_length" -> uncompressed = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                default -> p.skipChildren();
            }
        }
        Json.expect(p, JsonToken.END_OBJECT, what);
        if (id == null || type == null) {
            throw new CorruptDataException(what + ": missing or non-text field '" + (id == null ? "id" : "type") + "'");
        }
        return new PackedBlob(type, id, offset, Math.toIntExact(length), Math.toIntExact(uncompressed));
    }
}
