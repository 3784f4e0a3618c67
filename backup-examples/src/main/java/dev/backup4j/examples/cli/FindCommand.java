package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.browse.PathPattern;
import dev.backup4j.core.browse.SnapshotBrowser;
import dev.backup4j.core.browse.TreeEntry;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code find [--ignore-case] [--long] [--snapshot ID]... PATTERN...}: entries whose path matches a pattern, per
 * snapshot, as restic 0.14's {@code find}. {@code --json}: one array of {@code {"matches":[...],"hits":N,
 * "snapshot":ID}}, one object per snapshot with matches.
 */
@Command(name = "find", mixinStandardHelpOptions = true, description = "Find files or directories in snapshots.")
final class FindCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATTERN",
            description = "Glob patterns on the entries' paths, as restic's (e.g. '*.csv', '/srv/lms/**/grades*').")
    List<String> patterns = new ArrayList<>();

    @Option(names = {"-s", "--snapshot"}, paramLabel = "ID", description = "Only search this snapshot (repeatable).")
    List<String> snapshots = new ArrayList<>();

    @Option(names = {"-i", "--ignore-case"}, description = "Ignore case for the patterns.")
    boolean ignoreCase;

    @Option(names = {"-l", "--long"}, description = "Use a long listing format showing size and mode.")
    boolean longFormat;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Only snapshots of HOST (no --snapshot).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG[,TAG]", description = "Only snapshots with these tags (no --snapshot).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "Only snapshots of this path (no --snapshot).")
    List<String> paths = new ArrayList<>();

    @Option(names = "--no-lock", description = "Do not take a shared lock on the repository.")
    boolean noLock;

    @Override
    public Integer call() throws Exception {
        PathPattern pattern = PathPattern.of(patterns);
        if (ignoreCase) {
            pattern = pattern.ignoringCase();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = cli.global.json;
        try (Repository repo = cli.global.open(cli);
                RepositoryLock lock = noLock ? null : MaintenanceSupport.lock(cli, repo, false)) {
            List<Snapshot> chosen = new SnapshotArgs(hosts, tags, paths).select(repo, snapshots, err);
            boolean anyObject = false;
            boolean anyText = false;
            if (json) {
                out.print('[');
            }
            for (Snapshot s : chosen) {
                List<TreeEntry> hits = SnapshotBrowser.of(repo, s).find(pattern);
                if (hits.isEmpty()) {
                    continue;
                }
                if (json) {
                    StringBuilder b = new StringBuilder(anyObject ? ",{\"matches\":[" : "{\"matches\":[");
                    for (int i = 0; i < hits.size(); i++) {
                        b.append(i > 0 ? "," : "").append(GoJson.write(NodeFormat.findJson(hits.get(i))));
                    }
                    b.append("],\"hits\":").append(hits.size()).append(",\"snapshot\":\"")
                            .append(s.requireId()).append("\"}");
                    out.print(b);
                    anyObject = true;
                } else {
                    if (anyText) {
                        out.println();
                    }
                    out.println("Found matching entries in snapshot " + s.requireId().shortString() + " from "
                            + NodeFormat.local(s.time()));
                    for (TreeEntry e : hits) {
                        out.println(NodeFormat.line(e, longFormat));
                    }
                    anyText = true;
                }
            }
            if (json) {
                out.println(']');
            }
        }
        out.flush();
        return BackupCli.OK;
    }
}
