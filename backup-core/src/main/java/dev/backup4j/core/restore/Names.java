package dev.backup4j.core.restore;

/** Entry names and target-relative paths ("/a/b"). */
final class Names {
    /** The temporary-name suffix of files being restored. */
    static final String TEMP_SUFFIX = ".backup4j-restore";

    private Names() {
    }

    /** True if {@code name} is a plain name that stays inside its directory. */
    static boolean safe(String name) {
        return dev.backup4j.core.snapshot.Node.isSafeName(name);
    }

    /**
     * The temporary name of a file being restored: {@code .NAME.backup4j-restore}, or, where that would be longer
     * than a name may be (255 bytes), a dot, 16 hex digits of the name's SHA-256 and the suffix. The same name always
     * gets the same temporary name, so a later run finds what an interrupted one left.
     */
    static String tempName(String name) {
        byte[] bytes = dev.backup4j.core.snapshot.FileNames.encode(name);
        if (bytes.length + 1 + TEMP_SUFFIX.length() <= 255) {
            return "." + name + TEMP_SUFFIX;
        }
        java.security.MessageDigest md = dev.backup4j.core.common.Id.sha256();
        return "." + java.util.HexFormat.of().formatHex(md.digest(bytes), 0, 8) + TEMP_SUFFIX;
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Shows NUL, other control characters, quotes and raw bytes visibly in messages (Go's quoted form). */
    static String printable(String s) {
        return dev.backup4j.core.snapshot.FileNames.printable(s);
    }
}
