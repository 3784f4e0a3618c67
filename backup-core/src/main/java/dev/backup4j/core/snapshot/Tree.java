package dev.backup4j.core.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A directory listing: nodes sorted by name (byte-wise on UTF-8, as restic sorts), stored as a tree blob whose JSON
 * is {@code {"nodes":[...]}} followed by a newline.
 *
 * @param nodes the entries, sorted by name, names unique
 */
public record Tree(List<Node> nodes) {
    /** Orders names as restic does: by their UTF-8 bytes. */
    public static final Comparator<String> NAME_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /**
     * Sorts a copy of the nodes.
     *
     * @throws IllegalArgumentException if two nodes have the same name
     */
    public Tree {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(Node::name, NAME_ORDER));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("duplicate name in tree: '" + sorted.get(i).name() + "'");
            }
        }
        nodes = List.copyOf(sorted);
    }

    /** The node with that name. */
    public Optional<Node> find(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /** The tree blob's bytes. */
    public byte[] toJson() {
        byte[] json = Json.write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("nodes");
            for (Node n : nodes) {
                writeNode(g, n);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
        byte[] out = Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }

    private static void writeNode(JsonGenerator g, Node n) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", n.name());
        g.writeStringField("type", n.type().json());
        if (n.mode() != 0) {
            g.writeNumberField("mode", n.mode());
        }
        g.writeStringField("mtime", Json.formatTime(n.mtime()));
        g.writeStringField("atime", Json.formatTime(n.atime()));
        g.writeStringField("ctime", Json.formatTime(n.ctime()));
        g.writeNumberField("uid", n.uid());
        g.writeNumberField("gid", n.gid());
        if (!n.user().isEmpty()) {
            g.writeStringField("user", n.user());
        }
        if (!n.group().isEmpty()) {
            g.writeStringField("group", n.group());
        }
        if (n.inode() != 0) {
            g.writeNumberField("inode", n.inode());
        }
        if (n.deviceId() != 0) {
            g.writeNumberField("device_id", n.deviceId());
        }
        if (n.size() != 0) {
            g.writeNumberField("size", n.size());
        }
        if (n.links() != 0) {
            g.writeNumberField("links", n.links());
        }
        if (!n.linkTarget().isEmpty()) {
            g.writeStringField("linktarget", n.linkTarget());
        }
        if (n.device() != 0) {
            g.writeNumberField("device", n.device());
        }
        if (n.type() == NodeType.FILE) {
            // restic's check insists that a file has a content list, even an empty one
            g.writeArrayFieldStart("content");
            for (Id id : n.content()) {
                g.writeString(id.toString());
            }
            g.writeEndArray();
        } else {
            g.writeNullField("content");
        }
        if (n.subtree().isPresent()) {
            g.writeStringField("subtree", n.subtree().get().toString());
        }
        if (!n.error().isEmpty()) {
            g.writeStringField("error", n.error());
        }
        g.writeEndObject();
    }

    /**
     * Parses a tree blob. Unknown fields (extended attributes, newer restic additions) are ignored.
     *
     * @throws CorruptDataException if it is not a tree
     */
    public static Tree parse(byte[] json, String what) throws CorruptDataException {
        JsonNode root = Json.parse(json, what);
        JsonNode nodes = root.get("nodes");
        if (nodes == null || !(nodes.isArray() || nodes.isNull())) {
            throw new CorruptDataException(what + ": not a tree (no 'nodes' array)");
        }
        List<Node> out = new ArrayList<>();
        try {
            for (JsonNode j : nodes) {
                Node.Builder b = Node.builder(Json.text(j, "name", what),
                        NodeType.fromJson(Json.text(j, "type", what)));
                b.mode(Json.optLong(j, "mode"));
                String mt = Json.optText(j, "mtime");
                if (!mt.isEmpty()) {
                    b.mtime(Json.parseTime(mt, what));
                }
                String at = Json.optText(j, "atime");
                if (!at.isEmpty()) {
                    b.atime(Json.parseTime(at, what));
                }
                String ct = Json.optText(j, "ctime");
                if (!ct.isEmpty()) {
                    b.ctime(Json.parseTime(ct, what));
                }
                b.owner(Json.optLong(j, "uid"), Json.optLong(j, "gid"));
                b.ownerNames(Json.optText(j, "user"), Json.optText(j, "group"));
                b.inode(Json.optLong(j, "inode"), Json.optLong(j, "device_id"), Json.optLong(j, "links"));
                b.size(Json.optLong(j, "size"));
                b.linkTarget(Json.optText(j, "linktarget"));
                b.device(Json.optLong(j, "device"));
                List<Id> content = new ArrayList<>();
                for (JsonNode c : j.path("content")) {
                    content.add(Id.parse(c.asText()));
                }
                b.content(content);
                String sub = Json.optText(j, "subtree");
                if (!sub.isEmpty()) {
                    b.subtree(Id.parse(sub));
                }
                b.error(Json.optText(j, "error"));
                out.add(b.build());
            }
            return new Tree(out);
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(what + ": invalid tree: " + e.getMessage(), e);
        }
    }
}
