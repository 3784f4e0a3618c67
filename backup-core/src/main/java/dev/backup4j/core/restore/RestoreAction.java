package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import java.util.Objects;
import java.util.Optional;

/**
 * What a restore does to one entry of the target.
 *
 * @param kind what happens
 * @param path the entry's path relative to the target, '/'-separated, starting with '/'
 * @param type the entry's type (in the snapshot; for {@link Kind#DELETE}, in the target)
 * @param size bytes of content written (for files created or overwritten), or the existing size (keep, delete)
 * @param reason why, in words (e.g. "missing", "size differs", "identical")
 * @param node the snapshot's entry; empty for {@link Kind#DELETE}
 * @param hardLinkTo for a file that is a further hard link to a file restored before it in the same plan (same inode
 *     and device in the snapshot, as restic restores them), that file's path; "" otherwise
 */
public record RestoreAction(Kind kind, String path, NodeType type, long size, String reason, Optional<Node> node,
        String hardLinkTo) {
    /** Kinds of actions. */
    public enum Kind {
        /** The entry is missing from the target and is created. */
        CREATE,
        /** The entry exists but differs and is replaced. */
        OVERWRITE,
        /** The entry already matches (or the policy says not to touch it); for directories, metadata is reapplied. */
        KEEP,
        /** The target entry is not in the snapshot and is removed (only with delete enabled). */
        DELETE,
        /** The entry is not restored (sockets, as restic; entries with something in the way). */
        SKIP;

        /** The lower-case name used in JSON and text output. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Checks the fields. */
    public RestoreAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(hardLinkTo, "hardLinkTo");
    }

    /** An action that is not a hard link. */
    public RestoreAction(Kind kind, String path, NodeType type, long size, String reason, Optional<Node> node) {
        this(kind, path, type, size, reason, node, "");
    }

    /** True if the action creates the entry as a hard link to {@link #hardLinkTo()}. */
    public boolean isHardLink() {
        return !hardLinkTo.isEmpty() && (kind == Kind.CREATE || kind == Kind.OVERWRITE);
    }

    /** True if the action writes file content (a hard link writes none). */
    public boolean writesContent() {
        return type == NodeType.FILE && (kind == Kind.CREATE || kind == Kind.OVERWRITE) && hardLinkTo.isEmpty();
    }

    @Override
    public String toString() {
        return kind.label() + " " + type + " " + path + (type == NodeType.FILE ? " (" + size + " B)" : "")
                + (reason.isEmpty() ? "" : ": " + reason);
    }
}
