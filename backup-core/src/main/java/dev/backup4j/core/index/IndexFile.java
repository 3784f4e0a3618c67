package dev.backup4j.core.index;

import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode root = Json.parse(json, what);
        if (!root.isObject() || !root.path("packs").isArray()) {
            throw new CorruptDataException(what + ": not an index (no 'packs' array)");
        }
        Map<Id, List<PackedBlob>> packs = new LinkedHashMap<>();
        List<Id> supersedes = new ArrayList<>();
        try {
            for (JsonNode s : root.path("supersedes")) {
                supersedes.add(Id.parse(s.asText()));
            }
            for (JsonNode p : root.get("packs")) {
                Id pack = Id.parse(Json.text(p, "id", what));
                List<PackedBlob> blobs = new ArrayList<>();
                for (JsonNode b : p.path("blobs")) {
                    blobs.add(new PackedBlob(BlobType.fromJson(Json.text(b, "type", what)),
                            Id.parse(Json.text(b, "id", what)), b.path("offset").asLong(-1),
                            Math.toIntExact(b.path("length").asLong(-1)),
                            Math.toIntExact(b.path("uncompressed_length").asLong(0))));
                }
                packs.merge(pack, blobs, (a, c) -> {
                    List<PackedBlob> all = new ArrayList<>(a);
                    all.addAll(c);
                    return all;
                });
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CorruptDataException(what + ": invalid index entry: " + e.getMessage(), e);
        }
        return new IndexFile(packs, supersedes);
    }
}
