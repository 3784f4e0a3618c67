package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code snapshots}: lists the snapshots. */
@Command(name = "snapshots", mixinStandardHelpOptions = true, description = "List snapshots.")
final class SnapshotsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = cli.global;
        try (Repository repo = g.open(cli)) {
            List<Snapshot> snaps = repo.snapshots();
            if (g.json) {
                ArrayNode a = JsonOut.array();
                snaps.forEach(s -> a.add(JsonOut.snapshot(s)));
                JsonOut.print(spec, a);
                return BackupCli.OK;
            }
            PrintWriter out = spec.commandLine().getOut();
            String fmt = "%-8s  %-19s  %-12s  %-16s  %s%n";
            out.printf(fmt, "ID", "Time", "Host", "Tags", "Paths");
            out.println("-".repeat(80));
            for (Snapshot s : snaps) {
                List<String> paths = s.paths();
                out.printf(fmt, s.requireId().shortString(),
                        TIME.format(s.time().atZoneSameInstant(ZoneId.systemDefault())), s.hostname(),
                        String.join(",", s.tags()), paths.isEmpty() ? "" : paths.get(0));
                for (int i = 1; i < paths.size(); i++) {
                    out.printf(fmt, "", "", "", "", paths.get(i));
                }
            }
            out.println("-".repeat(80));
            out.println(snaps.size() + " snapshots");
        }
        return BackupCli.OK;
    }
}
