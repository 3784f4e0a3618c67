package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.browse.SnapshotDiff;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.restore.SnapshotSelector;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code diff [--metadata] SNAPSHOT1 SNAPSHOT2}: what changed from the first snapshot to the second, as restic 0.14's
 * {@code diff}: one line per change ({@code +}, {@code -}, {@code M}, {@code T}, {@code U}), then the statistics.
 * {@code --json}: a {@code "change"} message per change, then one {@code "statistics"} message.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, description = "Show differences between two snapshots.")
final class DiffCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SNAPSHOT", description = "Two snapshots: id, unique id prefix, or 'latest'.")
    List<String> ids;

    @Option(names = "--metadata", description = "Also print changes in metadata (U).")
    boolean metadata;

    @Option(names = "--no-lock", description = "Do not take a shared lock on the repository.")
    boolean noLock;

    @Override
    public Integer call() throws Exception {
        if (ids == null || ids.size() != 2) {
            throw new CliException("specify two snapshot IDs");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean json = cli.global.json;
        try (Repository repo = cli.global.open(cli);
                RepositoryLock lock = noLock ? null : MaintenanceSupport.lock(cli, repo, false)) {
            List<Snapshot> all = repo.snapshots();
            Snapshot a = SnapshotSelector.parse(ids.get(0)).select(all).snapshot();
            Snapshot b = SnapshotSelector.parse(ids.get(1)).select(all).snapshot();
            if (!json) {
                out.println("comparing snapshot " + a.requireId().shortString() + " to "
                        + b.requireId().shortString() + ":");
                out.println();
            }
            SnapshotDiff.Statistics st = SnapshotDiff.between(repo, a, b).metadata(metadata).run(c -> {
                if (json) {
                    ObjectNode o = JsonOut.object();
                    o.put("message_type", "change");
                    o.put("path", c.path());
                    o.put("modifier", c.modifier());
                    out.println(GoJson.write(o));
                } else {
                    out.println(String.format("%-5s%s", c.modifier(), FileNames.lossy(c.path())));
                }
            });
            if (json) {
                ObjectNode o = JsonOut.object();
                o.put("message_type", "statistics");
                o.put("source_snapshot", ids.get(0));
                o.put("target_snapshot", ids.get(1));
                o.put("changed_files", st.changedFiles());
                counts(o.putObject("added"), st.added());
                counts(o.putObject("removed"), st.removed());
                out.println(GoJson.write(o));
            } else {
                out.println();
                out.printf("Files:       %5d new, %5d removed, %5d changed%n", st.added().files(),
                        st.removed().files(), st.changedFiles());
                out.printf("Dirs:        %5d new, %5d removed%n", st.added().dirs(), st.removed().dirs());
                out.printf("Others:      %5d new, %5d removed%n", st.added().others(), st.removed().others());
                out.printf("Data Blobs:  %5d new, %5d removed%n", st.added().dataBlobs(), st.removed().dataBlobs());
                out.printf("Tree Blobs:  %5d new, %5d removed%n", st.added().treeBlobs(), st.removed().treeBlobs());
                out.printf("  Added:   %-5s%n", Sizes.restic(st.added().bytes()));
                out.printf("  Removed: %-5s%n", Sizes.restic(st.removed().bytes()));
            }
        }
        out.flush();
        return BackupCli.OK;
    }

    private static void counts(ObjectNode o, SnapshotDiff.Counts c) {
        o.put("files", c.files());
        o.put("dirs", c.dirs());
        o.put("others", c.others());
        o.put("data_blobs", c.dataBlobs());
        o.put("tree_blobs", c.treeBlobs());
        o.put("bytes", c.bytes());
    }
}
