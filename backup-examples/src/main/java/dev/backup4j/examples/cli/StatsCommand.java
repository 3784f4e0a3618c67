package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.browse.SnapshotStats;
import dev.backup4j.core.maintenance.RepositoryLock;
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
 * {@code stats [--mode restore-size|files-by-contents|blobs-per-file|raw-data] [SNAPSHOT...]}: sizes and counts over
 * the given snapshots (all, if none), as restic 0.14's {@code stats}.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Show sizes and counts of snapshots (all, or those given).")
final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SNAPSHOT", description = "Snapshot ids, unique id prefixes, or 'latest' (default: all).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "restore-size",
            description = "Counting mode: restore-size (default), files-by-contents, blobs-per-file or raw-data.")
    String mode;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Only snapshots of HOST.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG[,TAG]", description = "Only snapshots with these tags.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "Only snapshots of this path.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--no-lock", description = "Do not take a shared lock on the repository.")
    boolean noLock;

    @Override
    public Integer call() throws Exception {
        SnapshotStats.Mode m = SnapshotStats.Mode.parse(mode);
        PrintWriter out = spec.commandLine().getOut();
        boolean json = cli.global.json;
        SnapshotStats.Result r;
        try (Repository repo = cli.global.open(cli);
                RepositoryLock lock = noLock ? null : MaintenanceSupport.lock(cli, repo, false)) {
            if (!json) {
                out.println("scanning...");
            }
            r = SnapshotStats.of(repo).mode(m)
                    .snapshots(new SnapshotArgs(hosts, tags, paths).select(repo, ids, spec.commandLine().getErr()))
                    .run();
        }
        if (json) {
            ObjectNode o = JsonOut.object();
            o.put("total_size", r.totalSize());
            o.put("total_file_count", r.totalFileCount());
            if (r.totalBlobCount() != 0) {
                o.put("total_blob_count", r.totalBlobCount());
            }
            o.put("snapshots_count", r.snapshotsCount());
            out.println(GoJson.write(o));
        } else {
            out.println("Stats in " + m.flag() + " mode:");
            out.println("Snapshots processed:   " + r.snapshotsCount());
            if (r.totalBlobCount() > 0) {
                out.println("   Total Blob Count:   " + r.totalBlobCount());
            }
            if (r.totalFileCount() > 0) {
                out.println("   Total File Count:   " + r.totalFileCount());
            }
            out.printf("         Total Size:   %-5s%n", Sizes.restic(r.totalSize()));
        }
        out.flush();
        return BackupCli.OK;
    }
}
