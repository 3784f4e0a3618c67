package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.ops.history.FileHistory;
import dev.backup4j.ops.history.FileVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code versions [--json] PATH}: every distinct version of a file (or of each file below a directory). */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = "List every distinct version of a file across snapshots (time, size, content id).")
final class VersionsCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", description = "Absolute snapshot path of a file or directory.")
    String path;

    @Override
    public Integer call() throws Exception {
        if (!path.startsWith("/")) {
            throw new CliException("PATH must be an absolute snapshot path, starting with '/': " + path);
        }
        FileHistory.Result h;
        try (Repository repo = cli.global.open(cli)) {
            h = FileHistory.of(repo).path(path).run();
        }
        if (cli.global.json) {
            ArrayNode a = JsonOut.array();
            for (Map.Entry<String, List<FileVersion>> e : h.byPath().entrySet()) {
                for (FileVersion v : e.getValue()) {
                    ObjectNode o = a.addObject();
                    o.put("path", v.path());
                    o.put("content_id", v.contentId());
                    o.put("size", v.size());
                    o.put("mtime", v.mtime().toString());
                    o.put("first_seen", v.firstSeen().toString());
                    o.put("first_snapshot", v.firstSnapshot());
                    o.put("last_seen", v.lastSeen().toString());
                    o.put("last_snapshot", v.lastSnapshot());
                    o.put("snapshots", v.snapshots());
                }
            }
            JsonOut.print(spec, a);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            for (Map.Entry<String, List<FileVersion>> e : h.byPath().entrySet()) {
                out.println(e.getKey() + ": " + e.getValue().size() + " version" + (e.getValue().size() == 1 ? "" : "s"));
                for (FileVersion v : e.getValue()) {
                    out.printf("  %s  %-25s %10d  %s..%s  in %d snapshot%s, newest %s%n", v.contentId().substring(0, 8),
                            v.mtime(), v.size(), v.firstSeen(), v.lastSeen(), v.snapshots(),
                            v.snapshots() == 1 ? "" : "s", v.lastSnapshot().substring(0, 8));
                }
            }
            if (h.byPath().isEmpty()) {
                spec.commandLine().getErr().println("no snapshot of " + h.snapshotsRead() + " holds " + path);
            }
        }
        return BackupCli.OK;
    }
}
