package dev.backup4j.core.backend;

/** The kinds of files in a repository, each with the folder restic's layout keeps it in. */
public enum FileType {
    /** The single {@code config} file at the top of the repository. */
    CONFIG("config"),
    /** Key files: {@code keys/ID}. */
    KEY("keys"),
    /** Lock files: {@code locks/ID}. */
    LOCK("locks"),
    /** Snapshot files: {@code snapshots/ID}. */
    SNAPSHOT("snapshots"),
    /** Index files: {@code index/ID}. */
    INDEX("index"),
    /** Pack files: {@code data/XX/ID}, XX being the first two hex digits of the id. */
    PACK("data");

    private final String folder;

    FileType(String folder) {
        this.folder = folder;
    }

    /** The folder (or, for {@link #CONFIG}, the file) name in restic's default layout. */
    public String folder() {
        return folder;
    }
}
