package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.browse.SnapshotBrowser;
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
 * {@code ls [--long] [--recursive] SNAPSHOT [DIR...]}: the entries of a snapshot, as restic 0.14 lists them. Text:
 * a header line, then one path per line (or restic's long format); {@code --json}: the snapshot, then one object
 * per entry.
 */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "List files in a snapshot.")
final class LsCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique id prefix, or 'latest'.")
    String snapshot;

    @Parameters(index = "1..*", paramLabel = "DIR",
            description = "Only list these absolute directories and their entries.")
    List<String> dirs = new ArrayList<>();

    @Option(names = {"-l", "--long"}, description = "Use a long listing format showing size and mode.")
    boolean longFormat;

    @Option(names = "--recursive", description = "Include files in subfolders of the listed directories.")
    boolean recursive;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "With 'latest': only snapshots of HOST.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG[,TAG]", description = "With 'latest': only snapshots with these tags.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "With 'latest': only snapshots of this path.")
    List<String> paths = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        for (String d : dirs) {
            if (!d.startsWith("/")) {
                throw new CliException("All path filters must be absolute, starting with a forward slash '/'");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean json = cli.global.json;
        try (Repository repo = cli.global.open(cli)) {
            SnapshotArgs filters = new SnapshotArgs(hosts, tags, paths);
            if (!snapshot.equals("latest") && filters.hasFilters()) {
                spec.commandLine().getErr().println("Ignoring filters as there are explicit snapshot ids given");
            }
            Snapshot s = filters.one(repo.snapshots(), snapshot);
            if (json) {
                out.println(GoJson.write(NodeFormat.lsSnapshotJson(s)));
            } else {
                out.println("snapshot " + s.requireId().shortString() + " of " + NodeFormat.goList(s.paths())
                        + " filtered by " + NodeFormat.goList(dirs) + " at " + NodeFormat.goTime(s.time()) + "):");
            }
            SnapshotBrowser.of(repo, s).listTree(dirs, recursive, e -> out.println(json
                    ? GoJson.write(NodeFormat.lsJson(e)) : NodeFormat.line(e, longFormat)));
        }
        out.flush();
        return BackupCli.OK;
    }
}
