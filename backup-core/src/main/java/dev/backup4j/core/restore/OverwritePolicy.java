package dev.backup4j.core.restore;

/** What a restore does with an entry that already exists in the target. */
public enum OverwritePolicy {
    /** Always rewrite files and symlinks (restic 0.14's behaviour). */
    ALWAYS,
    /**
     * Rewrite only what differs: a file is kept when its size, modification time and permissions match the snapshot
     * (or, with content checking, its size and content). The default; it makes a repeated restore resume.
     */
    IF_CHANGED,
    /** Never replace an existing entry; only create missing ones. */
    NEVER
}
