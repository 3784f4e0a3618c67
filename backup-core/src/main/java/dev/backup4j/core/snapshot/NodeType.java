package dev.backup4j.core.snapshot;

import java.util.Locale;

/** The kinds of tree entries, with the names restic writes in a node's {@code type} field. */
public enum NodeType {
    /** A regular file; its data is the node's content blobs. */
    FILE("file"),
    /** A directory; its entries are in the subtree. */
    DIR("dir"),
    /** A symbolic link; its target is in {@code linktarget}. */
    SYMLINK("symlink"),
    /** A block device. */
    DEV("dev"),
    /** A character device. */
    CHARDEV("chardev"),
    /** A named pipe. */
    FIFO("fifo"),
    /** A Unix domain socket. */
    SOCKET("socket"),
    /** Anything else restic could not classify. */
    IRREGULAR("irregular");

    private final String json;

    NodeType(String json) {
        this.json = json;
    }

    /** The name used in restic's JSON. */
    public String json() {
        return json;
    }

    /**
     * The type for a JSON name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static NodeType fromJson(String s) {
        for (NodeType t : values()) {
            if (t.json.equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown node type '" + s + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
