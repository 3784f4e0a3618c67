package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreCommand;
import dev.backup4j.core.RestoreResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code restore}: restores a snapshot into a directory. */
@Command(name = "restore", mixinStandardHelpOptions = true, description = "Restore a snapshot into a directory.")
final class RestoreCommandCli implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique id prefix, or 'latest'.")
    String snapshot;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "Directory to restore into.")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "GLOB", description = "Restore only matching entries (repeatable).")
    List<String> includes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = cli.global;
        try (Repository repo = g.open(cli)) {
            RestoreCommand rc = repo.restore(snapshot).target(target);
            includes.forEach(rc::include);
            PrintWriter out = spec.commandLine().getOut();
            RestoreResult r = rc.run();
            for (RestoreResult.RestoreError e : r.errors()) {
                spec.commandLine().getErr().println("error: " + e.path() + ": " + e.message());
            }
            if (g.json) {
                ObjectNode o = JsonOut.object();
                o.put("message_type", "summary");
                o.put("snapshot_id", r.snapshot().requireId().toString());
                o.put("files_restored", r.files());
                o.put("dirs_restored", r.directories());
                o.put("bytes_restored", r.bytesWritten());
                o.put("total_duration", r.duration().toNanos() / 1e9);
                o.put("errors", r.errors().size());
                JsonOut.print(spec, o);
            } else {
                out.println("restored snapshot " + r.snapshot().requireId().shortString() + " to " + target + ": "
                        + r.files() + " files, " + Sizes.human(r.bytesWritten()));
            }
            if (!r.complete()) {
                throw new CliException(r.errors().size() + " entries could not be restored");
            }
        }
        return BackupCli.OK;
    }
}
