package dev.backup4j.core.restic;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.testing.FsFacts;
import dev.backup4j.core.testing.ResticDifferential;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.TreeMaker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/**
 * The differential property: for random trees of every entry type under adversarial names, modes, times and
 * attributes, (1) restic checks ({@code --read-data}), lists (as bytes) and restores our backup to the source's facts,
 * (2) we restore restic's backup to the source's facts, and (3) both tools record the same nodes, field by field
 * (see {@link ResticDifferential} for the differences that are by design).
 *
 * <p>A tree is a list of operations, each a few small integers (kind, parent, name atoms, mode, time, size), so that
 * QuickTheories shrinks a failing tree to fewer and simpler operations. {@value #DEFAULT_EXAMPLES} trees run in the
 * normal suite; {@code -Dbackup4j.differential.examples=N} runs N. Generator coverage is printed as percentages of
 * the trees that reach each edge case, and every edge case must be reached. Shrunk counterexamples are kept in
 * {@link #REGRESSIONS} and run first.
 */
class ResticDifferentialPropertyTest {
    static final int DEFAULT_EXAMPLES = 24;

    /** Name atoms: the adversarial alphabet. "LONG" pads the name to 255 bytes. */
    static final String[] ATOMS = {"a", "B", "0", " ", ".", "-", "\n", "\t", "\\", "\"", "'", "\u007f", "\u0001",
        "\u001b", "\udcff", "\udc80", "\udcc3", "\udced\udca0\udc80", "\u00e9", "e\u0301", "\u200f", "\u202e",
        "\ud83d\ude00", "\u4e2d", "<&>", "%", "$", "*?[", "\u00a0", "\ufeff", "\u2028", "\ufffd", "\\n", "LONG"};

    /** Shrunk counterexamples, each an operation list as {@link Tree#toString()} prints it; run before the random ones. */
    static final List<String> REGRESSIONS = List.of(
            // the first counterexample found on main before the fix: a name with a backslash (restic read "\x" as
            // an escape and failed with "Unquote: invalid syntax")
            "[[8] 0 0 0 0 0 0 0 0]",
            "[[13, 1, 4] 576114 248691 605582 755556 176386 194228 93942 231095]; "
                    + "[[14, 1, 33] 549422 712 81021 141961 440530 84491 15187 6809]");

    enum Kind { FILE, DIR, SYMLINK, HARDLINK, FIFO, CHARDEV, BLOCKDEV, SOCKET, SPARSE, BIG, NF_PAIR }

    private static final Kind[] WEIGHTED = weighted();

    private static Kind[] weighted() {
        List<Kind> l = new ArrayList<>();
        int[] w = {30, 20, 12, 8, 6, 4, 2, 4, 3, 2, 3};
        for (Kind k : Kind.values()) {
            for (int i = 0; i < w[k.ordinal()]; i++) {
                l.add(k);
            }
        }
        return l.toArray(Kind[]::new);
    }

    /** One operation: name atoms, then kind, parent, mode, time, size, xattrs, seed. */
    record Op(List<Integer> atoms, List<Integer> genes) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("[").append(atoms);
            genes.forEach(g -> sb.append(' ').append(g));
            return sb.append(']').toString();
        }

        int gene(int i) {
            return genes.get(i);
        }

        static Op parse(String s) {
            String body = s.substring(1, s.length() - 1);
            int close = body.indexOf(']');
            List<Integer> atoms = new ArrayList<>();
            for (String a : body.substring(1, close).split(",")) {
                if (!a.isBlank()) {
                    atoms.add(Integer.parseInt(a.trim()));
                }
            }
            List<Integer> genes = new ArrayList<>();
            for (String g : body.substring(close + 1).trim().split(" +")) {
                genes.add(Integer.parseInt(g));
            }
            return new Op(atoms, genes);
        }
    }

    /** A tree: its operations. */
    record Tree(List<Op> ops) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Op o : ops) {
                sb.append(sb.length() == 0 ? "" : "; ").append(o);
            }
            return sb.toString();
        }

        static Tree parse(String s) {
            List<Op> ops = new ArrayList<>();
            for (String part : s.split("; ")) {
                ops.add(Op.parse(part));
            }
            return new Tree(ops);
        }
    }

    static Gen<Tree> trees() {
        Gen<Op> op = lists().of(integers().between(0, ATOMS.length - 1)).ofSizeBetween(1, 4)
                .zip(lists().of(integers().between(0, 1 << 20)).ofSize(8), Op::new);
        return lists().of(op).ofSizeBetween(1, 22).map(Tree::new);
    }

    @TempDir
    Path tmp;

    private final Map<String, Integer> reached = new TreeMap<>();
    private final AtomicInteger example = new AtomicInteger();

    @Test
    void bothToolsAgreeOnRandomAdversarialTrees() {
        Restic.requireRestic();
        for (String r : REGRESSIONS) {
            try {
                check(Tree.parse(r));
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("regression case " + r + ": " + e.getMessage(), e);
            }
        }
        if (Boolean.getBoolean("backup4j.differential.regressionsOnly")) {
            return;
        }
        reached.clear();
        int examples = Integer.getInteger("backup4j.differential.examples", DEFAULT_EXAMPLES);
        int before = example.get();
        qt().withExamples(examples).withShrinkCycles(40).forAll(trees()).checkAssert(this::check);
        int trees = example.get() - before;
        StringBuilder report = new StringBuilder("differential generator coverage over " + trees + " trees:\n");
        List<String> missing = new ArrayList<>();
        for (String edge : EDGES) {
            int n = reached.getOrDefault(edge, 0);
            report.append(String.format("  %-28s %5.1f%%%n", edge, 100.0 * n / trees));
            if (n == 0 && (TreeMaker.isRoot() || !edge.startsWith("type:dev") && !edge.startsWith("owner:"))) {
                missing.add(edge);
            }
        }
        System.out.print(report);
        assertTrue(missing.isEmpty(), "edge cases never generated: " + missing + "\n" + report);
    }

    static final List<String> EDGES = List.of("name:newline", "name:tab", "name:backslash", "name:quote",
            "name:control", "name:raw-bytes", "name:combining", "name:bidi", "name:emoji", "name:255-bytes",
            "name:normalization-pair", "type:file", "type:empty", "type:dir", "type:symlink", "type:hardlink",
            "type:fifo", "type:dev-char", "type:dev-block", "type:socket", "type:sparse", "type:multi-chunk",
            "mode:setuid", "mode:setgid", "mode:sticky", "owner:unknown-user", "xattr", "time:before-1970", "time:after-2038");

    private void check(Tree tree) {
        Path base = tmp.resolve("t" + example.incrementAndGet());
        try {
            Files.createDirectories(base);
            Path src = base.resolve("src");
            Set<String> edges = build(tree, new TreeMaker(src));
            edges.forEach(e -> reached.merge(e, 1, Integer::sum));
            Map<String, String> facts = FsFacts.exact().withoutSockets().of(src);
            ResticDifferential.backUpWithUs(src, base.resolve("ours"));
            // the two directions on the two cores: most of an example is restic starting up
            java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(
                    () -> {
                        try {
                            ResticDifferential.backUpWithRestic(src, base.resolve("restics"));
                            ResticDifferential.weReadRestics(src, base.resolve("restics"), base.resolve("our-restore"));
                        } catch (Exception e) {
                            throw new java.util.concurrent.CompletionException(e);
                        }
                    });
            try {
                ResticDifferential.resticReadsOurs(src, base.resolve("ours"), base.resolve("restic-restore"), facts);
            } finally {
                try {
                    other.join();
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof AssertionError a) {
                        throw a;
                    }
                    throw e;
                }
            }
            ResticDifferential.sameNodes(base.resolve("restics"), base.resolve("ours"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(base);
        }
    }

    private static final Instant[] TIMES = {Instant.parse("1901-12-13T20:45:52Z"),
        Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.parse("1970-01-01T00:00:00Z"),
        Instant.parse("2000-02-29T12:00:00.5Z"), Instant.parse("2038-01-19T03:14:07Z"),
        Instant.parse("2038-01-19T03:14:08.000000001Z"), Instant.parse("2106-02-07T06:28:16Z"),
        Instant.parse("2199-12-31T23:59:59.123456789Z")};
    private static final int[] FILE_MODES = {0644, 0600, 0755, 0444, 04755, 02755, 06755, 0640, 0};
    private static final int[] DIR_MODES = {0755, 0700, 01777, 02775, 0750};

    /** Makes the tree on disk; returns the edge cases it reaches. */
    static Set<String> build(Tree tree, TreeMaker m) throws IOException {
        Set<String> edges = new HashSet<>();
        List<String> dirs = new ArrayList<>(List.of(""));
        List<String> files = new ArrayList<>();
        Map<String, Set<String>> names = new TreeMap<>();
        List<String[]> dirTimes = new ArrayList<>();
        int counter = 0;
        for (Op op : tree.ops()) {
            Kind kind = WEIGHTED[op.gene(0) % WEIGHTED.length];
            if ((kind == Kind.CHARDEV || kind == Kind.BLOCKDEV) && !TreeMaker.isRoot()) {
                kind = Kind.FILE;
            }
            if (kind == Kind.HARDLINK && files.isEmpty()) {
                kind = Kind.FILE;
            }
            String parent = dirs.get(op.gene(1) % dirs.size());
            String name = name(op.atoms(), edges);
            Set<String> taken = names.computeIfAbsent(parent, k -> new HashSet<>());
            while (taken.contains(name)) {
                name = name.length() > 200 ? "d" + (counter++) : name + "~" + (counter++);
            }
            if (kind != Kind.NF_PAIR) {
                taken.add(name);
            }
            String rel = parent.isEmpty() ? name : parent + "/" + name;
            boolean otherOwner = op.gene(2) % 5 == 0 && TreeMaker.isRoot();
            Random rnd = new Random(op.gene(7));
            Instant mtime = time(op.gene(4), rnd, edges);
            Instant atime = time(op.gene(4) >> 3, rnd, edges);
            switch (kind) {
                case FILE, SPARSE, BIG -> {
                    if (kind == Kind.SPARSE) {
                        long size = (2 + rnd.nextInt(6)) * 1024L * 1024;
                        byte[] island = new byte[1 + rnd.nextInt(70000)];
                        rnd.nextBytes(island);
                        m.sparseFile(rel, size, rnd.nextInt((int) size - island.length), island);
                        edges.add("type:sparse");
                    } else {
                        int[] sizes = {0, 1, 1 + rnd.nextInt(4096), 4096, 65537};
                        // multi-chunk files, and files at the chunker's minimum (512 KiB) and one byte either side
                        int[] big = {512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1, 512 * 1024 + rnd.nextInt(2 << 20)};
                        int size = kind == Kind.BIG ? big[op.gene(5) % big.length] : sizes[op.gene(5) % sizes.length];
                        byte[] data = new byte[size];
                        rnd.nextBytes(data);
                        m.file(rel, data);
                        edges.add(size == 0 ? "type:empty" : kind == Kind.BIG ? "type:multi-chunk" : "type:file");
                    }
                    if (otherOwner) {
                        m.owner(rel, 1234, 5678); // before the mode: chown clears setuid and setgid
                        edges.add("owner:unknown-user");
                    }
                    int mode = FILE_MODES[op.gene(3) % FILE_MODES.length];
                    m.mode(rel, mode);
                    modeEdges(mode, edges);
                    xattrs(m, rel, op.gene(6), rnd, edges);
                    m.times(rel, mtime, atime);
                    files.add(rel);
                }
                case NF_PAIR -> {
                    // the same name with a precomposed and a decomposed e-acute: two entries for restic and for us
                    String stem = name.length() > 200 ? "pair" : name;
                    for (String form : new String[] {"\u00e9", "e\u0301"}) {
                        String n = stem + form;
                        while (taken.contains(n)) {
                            n = "p" + (counter++) + form;
                        }
                        taken.add(n);
                        String r = parent.isEmpty() ? n : parent + "/" + n;
                        m.file(r, form.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        m.times(r, mtime, atime);
                        files.add(r);
                    }
                    edges.add("name:normalization-pair");
                }
                case DIR -> {
                    m.dir(rel);
                    int mode = DIR_MODES[op.gene(3) % DIR_MODES.length];
                    m.mode(rel, mode);
                    modeEdges(mode, edges);
                    xattrs(m, rel, op.gene(6), rnd, edges);
                    dirs.add(rel);
                    dirTimes.add(new String[] {rel, mtime.toString(), atime.toString()});
                    edges.add("type:dir");
                }
                case SYMLINK -> {
                    String target = name(List.of(op.gene(5) % ATOMS.length, op.gene(6) % ATOMS.length), new HashSet<>());
                    target = (op.gene(3) % 3 == 0 ? "/" : op.gene(3) % 3 == 1 ? "../" : "") + target;
                    m.symlink(rel, target);
                    if (otherOwner) {
                        m.owner(rel, 4321, 5678);
                        edges.add("owner:unknown-user");
                    }
                    m.times(rel, mtime.truncatedTo(java.time.temporal.ChronoUnit.MICROS),
                            atime.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
                    edges.add("type:symlink");
                }
                case HARDLINK -> {
                    m.hardLink(rel, files.get(op.gene(5) % files.size()));
                    edges.add("type:hardlink");
                }
                case FIFO -> {
                    m.fifo(rel, new int[] {0644, 0600, 0666, 04644}[op.gene(3) % 4], mtime, atime);
                    edges.add("type:fifo");
                }
                case CHARDEV, BLOCKDEV -> {
                    int[] majors = {1, 7, 200, 259};
                    int[] minors = {0, 3, 255, 256, 1000};
                    int major = majors[op.gene(5) % majors.length];
                    int minor = minors[op.gene(6) % minors.length];
                    if (kind == Kind.CHARDEV) {
                        m.charDevice(rel, major, minor, 0620, mtime, atime);
                        edges.add("type:dev-char");
                    } else {
                        m.blockDevice(rel, major, minor, 0600, mtime, atime);
                        edges.add("type:dev-block");
                    }
                }
                case SOCKET -> {
                    m.socket(rel);
                    edges.add("type:socket");
                }
                default -> throw new IllegalStateException(kind.toString());
            }
        }
        // directories last, deepest first: creating entries in a directory moves its modification time
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            String[] d = dirTimes.get(i);
            m.times(d[0], Instant.parse(d[1]), Instant.parse(d[2]));
        }
        return edges;
    }

    private static void modeEdges(int mode, Set<String> edges) {
        if ((mode & 04000) != 0) {
            edges.add("mode:setuid");
        }
        if ((mode & 02000) != 0) {
            edges.add("mode:setgid");
        }
        if ((mode & 01000) != 0) {
            edges.add("mode:sticky");
        }
    }

    private static void xattrs(TreeMaker m, String rel, int gene, Random rnd, Set<String> edges) throws IOException {
        if (gene % 4 != 0) {
            return;
        }
        String[] names = {"mime_type", "x", "\u00e9t\u00e9", "comment.long"};
        for (int i = 0; i <= gene % 8 / 4; i++) {
            byte[] v = new byte[rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(64)];
            rnd.nextBytes(v);
            m.xattr(rel, names[(gene / 8 + i) % names.length], v);
        }
        edges.add("xattr");
    }

    private static Instant time(int gene, Random rnd, Set<String> edges) {
        Instant t = gene % 3 == 0 ? TIMES[gene / 3 % TIMES.length]
                : Instant.ofEpochSecond(-2_100_000_000L + (long) (rnd.nextDouble() * 9_300_000_000L),
                        rnd.nextInt(1_000_000_000));
        if (t.isBefore(Instant.EPOCH)) {
            edges.add("time:before-1970");
        }
        if (t.isAfter(Instant.parse("2038-01-19T03:14:07Z"))) {
            edges.add("time:after-2038");
        }
        return t;
    }

    /** A name from atoms: never empty, "." or ".."; at most 255 bytes. */
    static String name(List<Integer> atoms, Set<String> edges) {
        StringBuilder sb = new StringBuilder();
        boolean pad = false;
        for (int a : atoms) {
            String s = ATOMS[a];
            if (s.equals("LONG")) {
                pad = true;
            } else {
                sb.append(s);
            }
        }
        String n = sb.toString();
        if (n.isEmpty() || n.equals(".") || n.equals("..")) {
            n = "x" + n;
        }
        int bytes = FileNames.encode(n).length;
        while (bytes > 255) {
            n = n.substring(0, n.length() - 1);
            bytes = FileNames.encode(n).length;
        }
        if (pad) {
            n = n + "n".repeat(255 - bytes);
            edges.add("name:255-bytes");
        }
        if (n.contains("\n")) {
            edges.add("name:newline");
        }
        if (n.contains("\t")) {
            edges.add("name:tab");
        }
        if (n.contains("\\")) {
            edges.add("name:backslash");
        }
        if (n.contains("\"") || n.contains("'")) {
            edges.add("name:quote");
        }
        if (n.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
            edges.add("name:control");
        }
        if (FileNames.hasRawBytes(n)) {
            edges.add("name:raw-bytes");
        }
        if (n.contains("\u0301")) {
            edges.add("name:combining");
        }
        if (n.contains("\u200f") || n.contains("\u202e")) {
            edges.add("name:bidi");
        }
        if (n.contains("\ud83d\ude00")) {
            edges.add("name:emoji");
        }
        return n;
    }

    private static void deleteQuietly(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException ignored) {
                    // a temporary directory; JUnit removes what is left
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
