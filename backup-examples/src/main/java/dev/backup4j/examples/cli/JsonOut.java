package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.common.Json;
import dev.backup4j.core.snapshot.Snapshot;
import picocli.CommandLine.Model.CommandSpec;

/** JSON output in restic's shapes. */
final class JsonOut {
    private JsonOut() {
    }

    static ObjectNode object() {
        return Json.object();
    }

    static ArrayNode array() {
        return Json.array();
    }

    static void print(CommandSpec spec, JsonNode n) {
        spec.commandLine().getOut().println(Json.toString(n));
    }

    /** A snapshot as {@code restic snapshots --json} prints it. */
    static ObjectNode snapshot(Snapshot s) {
        ObjectNode o = object();
        o.put("time", Json.formatTime(s.time()));
        s.parent().ifPresent(p -> o.put("parent", p.toString()));
        o.put("tree", s.tree().toString());
        ArrayNode paths = o.putArray("paths");
        s.paths().forEach(paths::add);
        o.put("hostname", s.hostname());
        o.put("username", s.username());
        if (s.uid() != 0) {
            o.put("uid", s.uid());
        }
        if (s.gid() != 0) {
            o.put("gid", s.gid());
        }
        if (!s.excludes().isEmpty()) {
            ArrayNode ex = o.putArray("excludes");
            s.excludes().forEach(ex::add);
        }
        ArrayNode tags = o.putArray("tags");
        s.tags().forEach(tags::add);
        s.original().ifPresent(p -> o.put("original", p.toString()));
        o.put("id", s.requireId().toString());
        o.put("short_id", s.requireId().shortString());
        return o;
    }
}
