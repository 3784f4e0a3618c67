package dev.backup4j.core.snapshot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A directory listing: nodes sorted by name (byte-wise on UTF-8, as restic sorts), stored as a tree blob whose JSON
 * is {@code {"nodes":[...]}} followed by a newline.
 *
 * @param nodes the entries, sorted by name, names unique
 */
public record Tree(List<Node> nodes) {
    /**
     * Orders names as restic does: by their bytes, which for UTF-8 is code point order. Compared without encoding
     * where possible: UTF-16 order only differs from code point order for surrogates against U+E000..U+FFFF, and
     * names holding surrogates (raw bytes, see {@link FileNames}, or characters above U+FFFF) are compared as bytes.
     */
    public static final Comparator<String> NAME_ORDER = Tree::compareNames;

    /** The node fields this version reads and writes; others are kept as {@link Node#unknownFields()}. */
    static final Set<String> KNOWN_FIELDS = Set.of("name", "type", "mode", "mtime", "atime", "ctime", "uid", "gid",
            "user", "group", "inode", "device_id", "size", "links", "linktarget", "linktarget_raw",
            "extended_attributes", "device", "content", "subtree", "error");

    private static int compareNames(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return compareBytes(a, b); // a raw byte, or a pair: compare what they stand for
                }
                return x - y; // outside surrogates, UTF-16 order is code point order
            }
        }
        return a.length() - b.length();
    }

    private static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(FileNames.encode(a), FileNames.encode(b));
    }

    /**
     * Sorts a copy of the nodes.
     *
     * @throws IllegalArgumentException if two nodes have the same name
     */
    public Tree {
        List<Node> sorted = new ArrayList<>(nodes);
        if (!isSorted(sorted)) {
            sorted.sort(Comparator.comparing(Node::name, NAME_ORDER));
        }
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("duplicate name in tree: '" + sorted.get(i).name() + "'");
            }
        }
        nodes = List.copyOf(sorted);
    }

    private static boolean isSorted(List<Node> nodes) {
        for (int i = 1; i < nodes.size(); i++) {
            if (compareNames(nodes.get(i - 1).name(), nodes.get(i).name()) > 0) {
                return false;
            }
        }
        return true;
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

    /**
     * One node, field by field as restic's {@code Node} marshals it (same order, same omissions), the name in Go's
     * quoted form as restic stores it, strings escaped as Go escapes them.
     */
    private static void writeNode(JsonGenerator g, Node n) throws IOException {
        g.writeStartObject();
        g.writeFieldName("name");
        Json.writeGoString(g, GoQuote.quote(n.name()));
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
            g.writeFieldName("user");
            Json.writeGoString(g, n.user());
        }
        if (!n.group().isEmpty()) {
            g.writeFieldName("group");
            Json.writeGoString(g, n.group());
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
            g.writeFieldName("linktarget");
            Json.writeGoString(g, n.linkTarget()); // raw bytes become U+FFFD, as Go writes them ...
            if (FileNames.hasRawBytes(n.linkTarget())) {
                // ... so a target that is not UTF-8 also goes as bytes, as restic 0.17+ writes it
                g.writeFieldName("linktarget_raw");
                g.writeBinary(FileNames.encode(n.linkTarget()));
            }
        }
        if (!n.extendedAttributes().isEmpty()) {
            g.writeArrayFieldStart("extended_attributes");
            for (ExtendedAttribute a : n.extendedAttributes()) {
                g.writeStartObject();
                g.writeFieldName("name");
                Json.writeGoString(g, a.name());
                g.writeFieldName("value");
                g.writeBinary(a.rawValue());
                g.writeEndObject();
            }
            g.writeEndArray();
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
            g.writeFieldName("error");
            Json.writeGoString(g, n.error());
        }
        for (Map.Entry<String, String> f : n.unknownFields().entrySet()) {
            g.writeFieldName(f.getKey());
            g.writeRawValue(f.getValue());
        }
        g.writeEndObject();
    }

    /**
     * Parses a tree blob. Node names are read as restic reads them ({@code strconv.Unquote}); a name that does not
     * unquote (written raw by backup4j before 0.1.0) is taken as it is. Fields this version does not know are kept
     * as {@link Node#unknownFields()}. Parsing streams tokens straight into node builders: an unchanged backup parses
     * every tree of its parent snapshot.
     *
     * @throws CorruptDataException if it is not a tree
     */
    public static Tree parse(byte[] json, String what) throws CorruptDataException {
        try (JsonParser p = Json.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CorruptDataException(what + ": not a tree (no 'nodes' array)");
            }
            List<Node> out = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("nodes")) {
                    p.skipChildren();
                } else if (t == JsonToken.START_ARRAY) {
                    out = new ArrayList<>();
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        out.add(parseNode(p, what));
                    }
                    Json.expect(p, JsonToken.END_ARRAY, what);
                } else if (t == JsonToken.VALUE_NULL) {
                    out = new ArrayList<>();
                } else {
                    throw new CorruptDataException(what + ": not a tree (no 'nodes' array)");
                }
            }
            Json.expect(p, JsonToken.END_OBJECT, what);
            if (out == null) {
                throw new CorruptDataException(what + ": not a tree (no 'nodes' array)");
            }
            return new Tree(out);
        } catch (CorruptDataException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException(what + ": invalid tree: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CorruptDataException(what + ": invalid JSON: " + e.getMessage(), e);
        }
    }

    /** One node; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private static Node parseNode(JsonParser p, String what) throws IOException {
        String name = null;
        String type = null;
        long mode = 0;
        long uid = 0;
        long gid = 0;
        long inode = 0;
        long deviceId = 0;
        long links = 0;
        long size = 0;
        long device = 0;
        String user = "";
        String group = "";
        String linkTarget = "";
        String error = "";
        byte[] linkTargetRaw = null;
        List<ExtendedAttribute> xattrs = List.of();
        Map<String, String> unknown = null;
        String mtime = "";
        String atime = "";
        String ctime = "";
        List<Id> content = List.of();
        Id subtree = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = text(p, t, field, what);
                case "type" -> type = text(p, t, field, what);
                case "mode" -> mode = number(p, t, field, what);
                case "mtime" -> mtime = text(p, t, field, what);
                case "atime" -> atime = text(p, t, field, what);
                case "ctime" -> ctime = text(p, t, field, what);
                case "uid" -> uid = number(p, t, field, what);
                case "gid" -> gid = number(p, t, field, what);
                case "user" -> user = text(p, t, field, what);
                case "group" -> group = text(p, t, field, what);
                case "inode" -> inode = number(p, t, field, what);
                case "device_id" -> deviceId = number(p, t, field, what);
                case "links" -> links = number(p, t, field, what);
                case "size" -> size = number(p, t, field, what);
                case "linktarget" -> linkTarget = text(p, t, field, what);
                case "linktarget_raw" -> linkTargetRaw = bytes(p, t, field, what);
                case "extended_attributes" -> xattrs = extendedAttributes(p, t, what);
                case "device" -> device = number(p, t, field, what);
                case "error" -> error = text(p, t, field, what);
                case "subtree" -> {
                    String sub = text(p, t, field, what);
                    subtree = sub.isEmpty() ? null : Id.parse(sub);
                }
                case "content" -> {
                    if (t == JsonToken.START_ARRAY) {
                        List<Id> ids = new ArrayList<>();
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            ids.add(Id.parse(p.getText()));
                        }
                        Json.expect(p, JsonToken.END_ARRAY, what);
                        content = ids;
                    } else if (t != JsonToken.VALUE_NULL) {
                        throw new CorruptDataException(what + ": invalid tree: 'content' is not a list");
                    }
                }
                default -> {
                    if (unknown == null) {
                        unknown = new LinkedHashMap<>();
                    }
                    unknown.put(field, rawJson(p));
                }
            }
        }
        Json.expect(p, JsonToken.END_OBJECT, what);
        if (name == null || type == null) {
            throw new CorruptDataException(what + ": missing or non-text field '" + (name == null ? "name" : "type")
                    + "'");
        }
        Node.Builder b = Node.builder(unquoteName(name), NodeType.fromJson(type)).mode(mode);
        if (!mtime.isEmpty()) {
            b.mtime(Json.parseTime(mtime, what));
        }
        if (!atime.isEmpty()) {
            b.atime(Json.parseTime(atime, what));
        }
        if (!ctime.isEmpty()) {
            b.ctime(Json.parseTime(ctime, what));
        }
        b.owner(uid, gid).ownerNames(user, group).inode(inode, deviceId, links).size(size)
                .linkTarget(linkTargetRaw != null ? FileNames.decode(linkTargetRaw) : linkTarget)
                .device(device).content(content).error(error).extendedAttributes(xattrs);
        if (unknown != null) {
            b.unknownFields(unknown);
        }
        if (subtree != null) {
            b.subtree(subtree);
        }
        return b.build();
    }

    private static String unquoteName(String quoted) {
        try {
            return GoQuote.unquote(quoted);
        } catch (IllegalArgumentException e) {
            return quoted;
        }
    }

    /** The JSON text of the value the parser stands on (its children included). */
    private static String rawJson(JsonParser p) throws IOException {
        return new String(Json.write(g -> g.copyCurrentStructure(p)), StandardCharsets.UTF_8);
    }

    /** A base64 field ([]byte in Go); null reads as empty. */
    private static byte[] bytes(JsonParser p, JsonToken t, String field, String what) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return new byte[0];
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new CorruptDataException(what + ": invalid tree: field '" + field + "' is not base64 text");
        }
        try {
            return p.getBinaryValue();
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptDataException(what + ": invalid tree: field '" + field + "' is not base64", e);
        }
    }

    private static List<ExtendedAttribute> extendedAttributes(JsonParser p, JsonToken t, String what)
            throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new CorruptDataException(what + ": invalid tree: 'extended_attributes' is not a list");
        }
        List<ExtendedAttribute> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            byte[] value = new byte[0];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("name")) {
                    name = text(p, v, "extended_attributes.name", what);
                } else if (f.equals("value")) {
                    value = bytes(p, v, "extended_attributes.value", what);
                } else {
                    p.skipChildren();
                }
            }
            if (name == null || name.isEmpty()) {
                throw new CorruptDataException(what + ": invalid tree: an extended attribute has no name");
            }
            out.add(ExtendedAttribute.of(name, value));
        }
        Json.expect(p, JsonToken.END_ARRAY, what);
        return out;
    }

    /** A text field; null reads as "" (Go writes empty strings, but a null is harmless). */
    private static String text(JsonParser p, JsonToken t, String field, String what) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        throw new CorruptDataException(what + ": invalid tree: field '" + field + "' is not text");
    }

    /** A whole number field; null reads as 0. */
    private static long number(JsonParser p, JsonToken t, String field, String what) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        throw new CorruptDataException(what + ": invalid tree: field '" + field + "' is not a whole number");
    }
}
