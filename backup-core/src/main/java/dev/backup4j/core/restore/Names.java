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
