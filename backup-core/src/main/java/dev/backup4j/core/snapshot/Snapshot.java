package dev.backup4j.core.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot: when, from where and what was backed up, and the root tree. Immutable.
 *
 * @param id the snapshot file's id (SHA-256 of its stored bytes); {@code Optional.empty()} before it is saved
 * @param time when the backup was taken, with the offset it was recorded in
 * @param tree the root tree blob
 * @param parent the snapshot this one was made incrementally from, if any
 * @param paths the backed-up paths
 * @param hostname the host
 * @param username the user
 * @param uid the user's numeric id
 * @param gid the user's group id
 * @param tags the tags
 * @param excludes the exclude patterns used
 * @param original for a copied snapshot, the id of the snapshot it was copied from
 * @param errors number of entries the backup could not read and left out; 0 for a complete snapshot. Stored as our
 *     one JSON extension, {@code "backup4j":{"incomplete":true,"errors":N}}, which restic ignores.
 */
public record Snapshot(Optional<Id> id, OffsetDateTime time, Id tree, Optional<Id> parent, List<String> paths,
        String hostname, String username, long uid, long gid, List<String> tags, List<String> excludes,
        Optional<Id> original, long errors) {

    /** A complete snapshot (no read errors). */
    public Snapshot(Optional<Id> id, OffsetDateTime time, Id tree, Optional<Id> parent, List<String> paths,
            String hostname, String username, long uid, long gid, List<String> tags, List<String> excludes,
            Optional<Id> original) {
        this(id, time, tree, parent, paths, hostname, username, uid, gid, tags, excludes, original, 0);
    }

    /** True if the backup left out entries it could not read. */
    public boolean incomplete() {
        return errors > 0;
    }

    /** Checks and copies the fields. */
    public Snapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(parent, "parent");
        paths = List.copyOf(paths);
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(username, "username");
        tags = List.copyOf(tags);
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(original, "original");
    }

    /** The time as an instant. */
    public Instant instant() {
        return time.toInstant();
    }

    /** This snapshot with its id set. */
    public Snapshot withId(Id newId) {
        return new Snapshot(Optional.of(newId), time, tree, parent, paths, hostname, username, uid, gid, tags,
                excludes, original, errors);
    }

    /** The id, for a saved snapshot. */
    public Id requireId() {
        return id.orElseThrow(() -> new IllegalStateException("snapshot has not been saved"));
    }

    /** The JSON restic stores for a snapshot. */
    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("time", Json.formatTime(time));
            if (parent.isPresent()) {
                g.writeStringField("parent", parent.get().toString());
            }
            g.writeStringField("tree", tree.toString());
            g.writeArrayFieldStart("paths");
            for (String p : paths) {
                Json.writeGoString(g, p);
            }
            g.writeEndArray();
            if (!hostname.isEmpty()) {
                g.writeFieldName("hostname");
                Json.writeGoString(g, hostname);
            }
            if (!username.isEmpty()) {
                g.writeFieldName("username");
                Json.writeGoString(g, username);
            }
            if (uid != 0) {
                g.writeNumberField("uid", uid);
            }
            if (gid != 0) {
                g.writeNumberField("gid", gid);
            }
            if (!excludes.isEmpty()) {
                g.writeArrayFieldStart("excludes");
                for (String e : excludes) {
                    Json.writeGoString(g, e);
                }
                g.writeEndArray();
            }
            if (!tags.isEmpty()) {
                g.writeArrayFieldStart("tags");
                for (String t : tags) {
                    Json.writeGoString(g, t);
                }
                g.writeEndArray();
            }
            if (original.isPresent()) {
                g.writeStringField("original", original.get().toString());
            }
            if (errors > 0) {
                g.writeObjectFieldStart("backup4j");
                g.writeBooleanField("incomplete", true);
                g.writeNumberField("errors", errors);
                g.writeEndObject();
            }
            g.writeEndObject();
        });
    }

    /**
     * Parses a snapshot file's JSON.
     *
     * @throws CorruptDataException if it is not a snapshot
     */
    public static Snapshot parse(byte[] json, Id id, String what) throws CorruptDataException {
        JsonNode n = Json.parse(json, what);
        try {
            return new Snapshot(Optional.of(id), Json.parseTime(Json.text(n, "time", what), what),
                    Id.parse(Json.text(n, "tree", what)), optId(n, "parent"), strings(n, "paths"),
                    Json.optText(n, "hostname"), Json.optText(n, "username"), Json.optLong(n, "uid"),
                    Json.optLong(n, "gid"), strings(n, "tags"), strings(n, "excludes"), optId(n, "original"),
                    n.path("backup4j").path("errors").asLong(0));
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(what + ": invalid snapshot: " + e.getMessage(), e);
        }
    }

    private static Optional<Id> optId(JsonNode n, String field) {
        String s = Json.optText(n, field);
        return s.isEmpty() ? Optional.empty() : Optional.of(Id.parse(s));
    }

    private static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : n.path(field)) {
            out.add(s.asText());
        }
        return out;
    }
}
