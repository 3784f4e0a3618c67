package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.restore.SnapshotSelector;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which snapshots a command works on, as restic's {@code --host}, {@code --tag} and {@code --path} choose them:
 * a snapshot passes if its host is one of the hosts (any, if none given), if it carries all tags of one of the tag
 * lists ({@code --tag a,b --tag c}: a and b, or c; an empty list means "no tags"), and if it has every path given.
 * Explicit ids ignore the filters, except {@code latest}, which is the newest snapshot that passes them.
 */
final class SnapshotArgs {
    private final List<String> hosts;
    private final List<List<String>> tagLists;
    private final List<String> paths;

    SnapshotArgs(List<String> hosts, List<String> tags, List<String> paths) {
        this.hosts = List.copyOf(hosts);
        List<List<String>> t = new ArrayList<>();
        for (String s : tags) {
            List<String> l = new ArrayList<>();
            for (String tag : s.split(",", -1)) {
                l.add(tag.strip());
            }
            t.add(List.copyOf(l));
        }
        this.tagLists = List.copyOf(t);
        this.paths = List.copyOf(paths);
    }

    boolean accepts(Snapshot s) {
        if (!hosts.isEmpty() && !hosts.contains(s.hostname())) {
            return false;
        }
        if (!tagLists.isEmpty() && tagLists.stream().noneMatch(l -> hasTags(s, l))) {
            return false;
        }
        return s.paths().containsAll(paths);
    }

    private static boolean hasTags(Snapshot s, List<String> l) {
        for (String t : l) {
            if (t.isEmpty() && s.tags().isEmpty()) {
                return true;
            }
            if (!s.tags().contains(t)) {
                return false;
            }
        }
        return true;
    }

    boolean hasFilters() {
        return !hosts.isEmpty() || !tagLists.isEmpty() || !paths.isEmpty();
    }

    /**
     * One snapshot: {@code latest} among those passing the filters, or a full id or unique prefix.
     *
     * @throws NoSuchSnapshotException if none matches
     */
    Snapshot one(List<Snapshot> all, String id) throws NoSuchSnapshotException {
        if (id.equals("latest")) {
            List<Snapshot> passing = all.stream().filter(this::accepts).toList();
            if (passing.isEmpty() && !all.isEmpty()) {
                throw new NoSuchSnapshotException("no snapshot matched given filter (Paths:" + paths + " Tags:"
                        + tagLists + " Hosts:" + hosts + ")");
            }
            return SnapshotSelector.latest().select(passing).snapshot();
        }
        return SnapshotSelector.id(id).select(all).snapshot();
    }

    /**
     * The snapshots for a list of ids, each once, in the order given; those that match nothing are reported on
     * {@code err} and left out, as restic does. With no ids, every snapshot passing the filters, oldest first.
     */
    List<Snapshot> select(Repository repo, List<String> ids, PrintWriter err) throws IOException {
        List<Snapshot> all = repo.snapshots();
        if (ids.isEmpty()) {
            return all.stream().filter(this::accepts).toList();
        }
        Map<String, Snapshot> out = new LinkedHashMap<>();
        boolean usedFilter = false;
        for (String id : ids) {
            usedFilter |= id.equals("latest");
            try {
                Snapshot s = one(all, id);
                out.putIfAbsent(s.requireId().toString(), s);
            } catch (NoSuchSnapshotException e) {
                err.println("Ignoring \"" + id + "\": " + e.getMessage());
            }
        }
        if (!usedFilter && hasFilters()) {
            err.println("Ignoring filters as there are explicit snapshot ids given");
        }
        err.flush();
        return List.copyOf(out.values());
    }
}
