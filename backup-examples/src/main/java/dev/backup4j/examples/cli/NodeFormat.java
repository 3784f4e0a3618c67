package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.browse.TreeEntry;
import dev.backup4j.core.common.Json;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Entries, modes and times in the text and JSON forms restic's {@code ls}, {@code find} and {@code diff} print. */
final class NodeFormat {
    /** restic's {@code TimeFormat}, "2006-01-02 15:04:05". */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private NodeFormat() {
    }

    /** Go's {@code os.FileMode.String()}: type letters ("dalTLDpSugct?"), then rwx for the 9 permission bits. */
    static String modeString(long mode) {
        String letters = "dalTLDpSugct?";
        StringBuilder b = new StringBuilder(12);
        for (int i = 0; i < letters.length(); i++) {
            if ((mode & 1L << (31 - i)) != 0) {
                b.append(letters.charAt(i));
            }
        }
        if (b.length() == 0) {
            b.append('-');
        }
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((mode & 1L << (8 - i)) != 0 ? rwx.charAt(i) : '-');
        }
        return b.toString();
    }

    /** The type bits restic's {@code formatNode} adds to a node's mode for its long format. */
    private static long typeBits(NodeType t) {
        return switch (t) {
            case DIR -> Node.MODE_DIR;
            case SYMLINK -> Node.MODE_SYMLINK;
            case DEV -> Node.MODE_DEVICE;
            case CHARDEV -> Node.MODE_DEVICE | Node.MODE_CHAR_DEVICE;
            case FIFO -> Node.MODE_NAMED_PIPE;
            case SOCKET -> Node.MODE_SOCKET;
            default -> 0;
        };
    }

    /** A time in this machine's zone as "2006-01-02 15:04:05". */
    static String local(OffsetDateTime t) {
        return TIME.format(t.atZoneSameInstant(ZoneId.systemDefault()));
    }

    /** An entry as {@code restic ls} prints it: the path, or with {@code long} mode, ids, size, mtime and path. */
    static String line(TreeEntry e, boolean longFormat) {
        String path = FileNames.lossy(e.path());
        if (!longFormat) {
            return path;
        }
        Node n = e.node();
        String target = n.type() == NodeType.SYMLINK ? " -> " + FileNames.lossy(n.linkTarget()) : "";
        return String.format(Locale.ROOT, "%s %5d %5d %6d %s %s%s", modeString(typeBits(n.type()) | n.mode()),
                n.uid(), n.gid(), n.size(), local(n.mtime()), path, target);
    }

    /** Go's {@code time.Time.String()} of a time read from a snapshot: "2006-01-02 15:04:05.999999999 -0700 MST". */
    static String goTime(OffsetDateTime t) {
        StringBuilder b = new StringBuilder(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                .format(t));
        int nano = t.getNano();
        if (nano != 0) {
            String f = String.format(Locale.ROOT, "%09d", nano);
            b.append('.').append(f.replaceAll("0+$", ""));
        }
        int off = t.getOffset().getTotalSeconds();
        String num = String.format(Locale.ROOT, "%s%02d%02d", off < 0 ? "-" : "+", Math.abs(off) / 3600,
                Math.abs(off) / 60 % 60);
        b.append(' ').append(num).append(' ');
        if (off == 0) {
            b.append("UTC"); // Go reads a "Z" time as UTC
        } else {
            // Go names the zone if the local zone has this offset at that time, else repeats the offset
            ZonedDateTime local = t.atZoneSameInstant(ZoneId.systemDefault());
            b.append(local.getOffset().equals(t.getOffset())
                    ? DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(local) : num);
        }
        return b.toString();
    }

    /** Go's {@code %v} of a string list: "[a b]". */
    static String goList(List<String> l) {
        return "[" + String.join(" ", l.stream().map(FileNames::lossy).toList()) + "]";
    }

    /** A node as {@code restic ls --json} prints it. */
    static ObjectNode lsJson(TreeEntry e) {
        Node n = e.node();
        ObjectNode o = JsonOut.object();
        o.put("name", n.name());
        o.put("type", n.type().json());
        o.put("path", e.path());
        o.put("uid", n.uid());
        o.put("gid", n.gid());
        if (n.type() == NodeType.FILE) {
            o.put("size", n.size());
        }
        if (n.mode() != 0) {
            o.put("mode", n.mode());
        }
        o.put("permissions", modeString(n.mode()));
        o.put("mtime", Json.formatTime(n.mtime()));
        o.put("atime", Json.formatTime(n.atime()));
        o.put("ctime", Json.formatTime(n.ctime()));
        o.put("struct_type", "node");
        return o;
    }

    /**
     * A node as {@code restic find --json} prints it: the tree's fields without name, inode, content, subtree and
     * device, after the path and permissions.
     */
    static ObjectNode findJson(TreeEntry e) {
        Node n = e.node();
        ObjectNode o = JsonOut.object();
        o.put("path", e.path());
        o.put("permissions", modeString(n.mode()));
        o.put("type", n.type().json());
        if (n.mode() != 0) {
            o.put("mode", n.mode());
        }
        o.put("mtime", Json.formatTime(n.mtime()));
        o.put("atime", Json.formatTime(n.atime()));
        o.put("ctime", Json.formatTime(n.ctime()));
        o.put("uid", n.uid());
        o.put("gid", n.gid());
        if (!n.user().isEmpty()) {
            o.put("user", n.user());
        }
        if (!n.group().isEmpty()) {
            o.put("group", n.group());
        }
        if (n.deviceId() != 0) {
            o.put("device_id", n.deviceId());
        }
        if (n.size() != 0) {
            o.put("size", n.size());
        }
        if (n.links() != 0) {
            o.put("links", n.links());
        }
        if (!n.linkTarget().isEmpty()) {
            o.put("linktarget", n.linkTarget());
        }
        if (!n.error().isEmpty()) {
            o.put("error", n.error());
        }
        return o;
    }

    /** The snapshot line of {@code restic ls --json}: the snapshot's stored fields, id, short_id, struct_type. */
    static ObjectNode lsSnapshotJson(Snapshot s) {
        ObjectNode o = JsonOut.object();
        o.put("time", Json.formatTime(s.time()));
        s.parent().ifPresent(p -> o.put("parent", p.toString()));
        o.put("tree", s.tree().toString());
        s.paths().forEach(o.putArray("paths")::add);
        if (!s.hostname().isEmpty()) {
            o.put("hostname", s.hostname());
        }
        if (!s.username().isEmpty()) {
            o.put("username", s.username());
        }
        if (s.uid() != 0) {
            o.put("uid", s.uid());
        }
        if (s.gid() != 0) {
            o.put("gid", s.gid());
        }
        if (!s.excludes().isEmpty()) {
            s.excludes().forEach(o.putArray("excludes")::add);
        }
        if (!s.tags().isEmpty()) {
            s.tags().forEach(o.putArray("tags")::add);
        }
        s.original().ifPresent(p -> o.put("original", p.toString()));
        o.put("id", s.requireId().toString());
        o.put("short_id", s.requireId().shortString());
        o.put("struct_type", "snapshot");
        return o;
    }
}
