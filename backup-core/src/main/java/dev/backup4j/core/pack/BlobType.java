package dev.backup4j.core.pack;

/** The two kinds of blobs: file content and directory listings. */
public enum BlobType {
    /** A chunk of file content. */
    DATA("data"),
    /** A tree (directory listing) as JSON. */
    TREE("tree");

    private final String json;

    BlobType(String json) {
        this.json = json;
    }

    /** The name used in index JSON. */
    public String json() {
        return json;
    }

    /**
     * The type for an index JSON name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static BlobType fromJson(String s) {
        return switch (s) {
            case "data" -> DATA;
            case "tree" -> TREE;
            default -> throw new IllegalArgumentException("unknown blob type '" + s + "'");
        };
    }
}
