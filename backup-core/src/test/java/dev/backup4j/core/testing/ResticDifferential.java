package dev.backup4j.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.KdfParams;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.Tree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The comparisons of the differential tests: a source tree backed up by us and checked, listed and restored by the
 * real restic, backed up by restic and restored by us, and both tools' trees of the same source compared node by
 * node, field by field. Each step fails with what differs.
 *
 * <p>Intentional differences, with their reasons:
 * <ul>
 *   <li>access times are not compared between the tools' nodes: each tool's reading of the source moves them (restic
 *       opens files with {@code O_NOATIME}, the JDK cannot);</li>
 *   <li>content ids are compared only for files below restic's minimum chunk size (512 KiB): each repository has its
 *       own chunker polynomial, so larger files are cut differently (their content is compared after restore);</li>
 *   <li>subtree ids follow from the two points above and are not compared; the trees below are;</li>
 *   <li>our restore sets a symlink's own times with {@code lutimes}, to the microsecond; restic's with nanoseconds;</li>
 *   <li>sockets are not restored, by either tool;</li>
 *   <li>the directories above the backed-up path are compared by name and type only: they are the test's temporary
 *       directories, which change between the two backups;</li>
 *   <li>restic 0.14 stores a symlink target that is not UTF-8 with each such byte replaced by U+FFFD and restores it
 *       so (restic 0.17 added {@code linktarget_raw}, which we write and read); where restic 0.14 writes or restores
 *       such a target, that is what is expected.</li>
 * </ul>
 */
public final class ResticDifferential {
    public static final String PASSWORD = "differential";
    private static final long MIN_CHUNK = 512 * 1024;

    private ResticDifferential() {
    }

    public static Repository.Opener opener(Backend backend) {
        return Repository.at(backend).password(PASSWORD).kdf(KdfParams.insecureFastForTests())
                .packSize(4 * 1024 * 1024).hostname("diff-host");
    }

    public static Repository.Opener opener(Path repo) {
        return opener(Backends.local(repo));
    }

    /** Our backup of {@code src} into a new repository at {@code repoDir}. */
    public static Snapshot backUpWithUs(Path src, Path repoDir) throws IOException {
        return backUpWithUs(src, opener(repoDir));
    }

    /** Our backup of {@code src} into a new repository. */
    public static Snapshot backUpWithUs(Path src, Repository.Opener opener) throws IOException {
        try (Repository repo = opener.init()) {
            BackupResult r = repo.backup().path(src).run();
            assertTrue(r.errors().isEmpty(), "our backup reported errors: " + r.errors());
            return r.snapshot();
        }
    }

    /** restic's backup of {@code src} into a new repository at {@code repoDir}. */
    public static void backUpWithRestic(Path src, Path repoDir) throws Exception {
        backUpWithRestic(src, opener(repoDir), Restic.on(repoDir, PASSWORD));
    }

    /** restic's backup of {@code src} into a new repository made with {@code opener}, run by {@code restic}. */
    public static void backUpWithRestic(Path src, Repository.Opener opener, Restic restic, String... global)
            throws Exception {
        // the repository made by us (a second restic run saved), the backup by restic
        try (Repository repo = opener.init()) {
            repo.config();
        }
        restic.run(concat(global, "backup", "--host", "diff-host", src.toString())).ok();
    }

    private static String[] concat(String[] global, String... args) {
        String[] all = java.util.Arrays.copyOf(global, global.length + args.length);
        System.arraycopy(args, 0, all, global.length, args.length);
        return all;
    }

    /**
     * restic checks our repository with {@code --read-data}, lists every name of the snapshot exactly (its plain
     * {@code ls} prints the raw bytes of each path), and restores a tree with the source's facts.
     */
    public static void resticReadsOurs(Path src, Path repoDir, Path target, Map<String, String> facts)
            throws Exception {
        resticReadsOurs(src, Restic.on(repoDir, PASSWORD), target, facts);
    }

    /** As above, with restic run as given (e.g. with {@code -o sftp.command=...} in {@code global}). */
    public static void resticReadsOurs(Path src, Restic restic, Path target, Map<String, String> facts,
            String... global) throws Exception {
        Restic.Result check = restic.run(concat(global, "check", "--read-data"));
        assertEquals(0, check.exitCode(), "restic check --read-data of our repository:\n" + check.stdout()
                + check.stderr());
        byte[] listed = restic.runBytes(concat(global, "--quiet", "ls", "latest"));
        byte[] expected = expectedListing(src);
        if (!java.util.Arrays.equals(expected, listed)) {
            assertSameText(FileNames.printable(FileNames.decode(expected)),
                    FileNames.printable(FileNames.decode(listed)), "restic ls of our snapshot, as bytes");
        }
        Restic.Result restore = restic.run(concat(global, "restore", "latest", "--target", target.toString()));
        assertEquals(0, restore.exitCode(), "restic restore of our snapshot:\n" + restore.stdout() + restore.stderr());
        assertSameFacts(lossyLinkTargets(facts), FsFacts.exact().withoutSockets().of(under(target, src)),
                "restic's restore of our snapshot");
    }

    /** We restore restic's snapshot of the source to a tree with the source's facts. */
    public static void weReadRestics(Path src, Path repoDir, Path target) throws Exception {
        weReadRestics(src, opener(repoDir), target);
    }

    /** As above, the repository opened with {@code opener}. */
    public static void weReadRestics(Path src, Repository.Opener opener, Path target) throws Exception {
        try (Repository repo = opener.open()) {
            RestoreResult r = repo.restore("latest").target(target).run();
            assertTrue(r.complete(), "our restore of restic's snapshot: " + printable(r.errors()));
            assertTrue(r.warnings().isEmpty(), "our restore of restic's snapshot: " + printable(r.warnings()));
        }
        assertSameFacts(lossyLinkTargets(FsFacts.exact().withoutSockets().symlinkTimesToMicros().of(src)),
                FsFacts.exact().withoutSockets().symlinkTimesToMicros().of(under(target, src)),
                "our restore of restic's snapshot");
    }

    /**
     * Every tree blob restic wrote parses and writes back to the same bytes; and the two tools' trees of one source
     * hold the same nodes, field by field, except for the differences listed on this class.
     */
    public static void sameNodes(Path resticRepo, Path ourRepo) throws Exception {
        try (Repository theirs = opener(resticRepo).open(); Repository ours = opener(ourRepo).open()) {
            for (Index.Location l : theirs.index().locations()) {
                if (l.blob().type() == BlobType.TREE) {
                    byte[] raw = theirs.loadBlob(BlobType.TREE, l.blob().id());
                    byte[] again = Tree.parse(raw, "restic tree " + l.blob().id().shortString()).toJson();
                    // restic 0.14 writes each byte of a link target that is not UTF-8 as the escape \ufffd, a real
                    // U+FFFD as itself; once parsed the two are one character, which we write as itself
                    String want = new String(raw, StandardCharsets.UTF_8).replace("\\ufffd", "\ufffd");
                    assertSameText(want, new String(again, StandardCharsets.UTF_8),
                            "restic's tree blob " + l.blob().id().shortString() + ", parsed and written again");
                }
            }
            Snapshot t = theirs.snapshots().get(0);
            Snapshot o = ours.snapshots().get(0);
            compareTrees(theirs, t.tree(), ours, o.tree(), "", t.paths().get(0));
        }
    }

    /**
     * The facts as restic 0.14 keeps them: a symlink target's bytes that are not UTF-8 each become U+FFFD. In
     * {@link FsFacts} a target is printed in Go's quoted form, where such a byte is {@code \xNN}.
     */
    public static Map<String, String> lossyLinkTargets(Map<String, String> facts) {
        Map<String, String> out = new java.util.TreeMap<>();
        facts.forEach((k, v) -> out.put(k, v.startsWith("symlink ") ? v.replaceAll("\\\\x[89a-f][0-9a-f]", "\uFFFD")
                : v));
        return out;
    }

    private static void compareTrees(Repository theirs, Id t, Repository ours, Id o, String path, String root)
            throws IOException {
        List<Node> tn = theirs.loadTree(t).nodes();
        List<Node> on = ours.loadTree(o).nodes();
        List<String> tNames = tn.stream().map(n -> FileNames.printable(n.name())).toList();
        List<String> oNames = on.stream().map(n -> FileNames.printable(n.name())).toList();
        assertEquals(tNames, oNames, "names (in order) in " + FileNames.printable(path.isEmpty() ? "/" : path));
        for (int i = 0; i < tn.size(); i++) {
            Node a = tn.get(i);
            Node b = on.get(i);
            String p = path + "/" + a.name();
            if (root.startsWith(p + "/")) {
                assertEquals(a.type(), b.type(), "type of " + p);
            } else {
                byte[] ja = comparable(a, b);
                byte[] jb = comparable(b, a);
                assertSameText(new String(ja, StandardCharsets.UTF_8), new String(jb, StandardCharsets.UTF_8),
                        "restic's node (expected) and ours for " + FileNames.printable(p));
            }
            if (a.type() == NodeType.DIR) {
                compareTrees(theirs, a.subtree().orElseThrow(), ours, b.subtree().orElseThrow(), p, root);
            }
        }
    }

    private static final OffsetDateTime EPOCH = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    /** A node's JSON with the fields that differ by design made equal to the other's. */
    private static byte[] comparable(Node n, Node other) {
        Node.Builder b = n.toBuilder().atime(EPOCH);
        if (n.type() == NodeType.DIR && other.subtree().isPresent()) {
            b.subtree(Id.parse("0".repeat(64)));
        }
        if (n.type() == NodeType.SYMLINK) {
            b.linkTarget(FileNames.lossy(n.linkTarget())); // restic 0.14 keeps no linktarget_raw
        }
        if (n.type() == NodeType.FILE && n.size() >= MIN_CHUNK) {
            b.content(List.of());
        }
        return new Tree(List.of(b.build())).toJson();
    }

    /** What restic's plain {@code ls} prints for a snapshot of {@code src}: each path and a newline, as bytes. */
    public static byte[] expectedListing(Path src) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String abs = "";
        for (int i = 0; i < src.getNameCount(); i++) {
            abs = abs + "/" + FileNames.nameOf(src.getRoot().resolve(src.subpath(0, i + 1)));
            out.writeBytes(FileNames.encode(abs));
            out.write('\n');
        }
        list(src, abs, out);
        return out.toByteArray();
    }

    private static void list(Path dir, String abs, ByteArrayOutputStream out) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        List<String> names = new ArrayList<>();
        Map<String, Path> byName = new java.util.HashMap<>();
        for (Path c : children) {
            if (((Integer) Files.getAttribute(c, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS) & 0170000)
                    == 0140000) {
                continue; // restic leaves sockets out
            }
            String n = FileNames.nameOf(c);
            names.add(n);
            byName.put(n, c);
        }
        names.sort(Tree.NAME_ORDER);
        for (String n : names) {
            String p = abs + "/" + n;
            out.writeBytes(FileNames.encode(p));
            out.write('\n');
            Path c = byName.get(n);
            if (Files.isDirectory(c, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                list(c, p, out);
            }
        }
    }

    private static String printable(List<RestoreResult.RestoreError> errors) {
        return errors.stream().map(e -> FileNames.printable(e.path()) + ": " + FileNames.printable(e.message()))
                .toList().toString();
    }

    /** Fails with only the entries that differ. */
    public static void assertSameFacts(Map<String, String> want, Map<String, String> got, String what) {
        if (want.equals(got)) {
            return;
        }
        StringBuilder sb = new StringBuilder(what).append(" differs from the source:\n");
        java.util.Set<String> keys = new java.util.TreeSet<>(want.keySet());
        keys.addAll(got.keySet());
        for (String k : keys) {
            String w = want.get(k);
            String g = got.get(k);
            if (!java.util.Objects.equals(w, g)) {
                sb.append("  ").append(k).append("\n    source:   ").append(w).append("\n    restored: ").append(g)
                        .append('\n');
            }
        }
        org.junit.jupiter.api.Assertions.fail(sb.toString());
    }

    /** Fails showing where two texts first differ. */
    public static void assertSameText(String want, String got, String what) {
        if (want.equals(got)) {
            return;
        }
        int i = 0;
        while (i < Math.min(want.length(), got.length()) && want.charAt(i) == got.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 150);
        org.junit.jupiter.api.Assertions.fail(what + ": first difference at " + i + "\n  want: ..."
                + want.substring(from, Math.min(want.length(), i + 150)) + "\n  got:  ..."
                + got.substring(from, Math.min(got.length(), i + 150)));
    }

    /** Where a restore to {@code target} puts {@code src}. */
    public static Path under(Path target, Path src) {
        return target.resolve(src.toString().substring(1));
    }

    /** The JSON lines restic prints (e.g. {@code ls --json}). */
    public static List<JsonNode> jsonLines(String out) throws IOException {
        List<JsonNode> l = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                l.add(m.readTree(line));
            }
        }
        return l;
    }
}
