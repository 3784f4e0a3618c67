package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.maintenance.LockInfo;
import dev.backup4j.core.maintenance.Locks;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code unlock [--remove-all]}: removes stale locks (or all), as restic. */
@Command(name = "unlock", mixinStandardHelpOptions = true, description = "Remove stale locks.")
final class UnlockCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--remove-all", description = "Remove all locks, even non-stale ones.")
    boolean removeAll;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cli.global.open(cli)) {
            Locks locks = Locks.on(repo);
            List<String> removed = removeAll ? locks.removeAll().stream().map(Id::toString).toList()
                    : locks.removeStale().stream().map(LockInfo::id).map(Id::toString).toList();
            if (cli.global.json) {
                ObjectNode o = JsonOut.object();
                ArrayNode a = o.putArray("removed");
                removed.forEach(a::add);
                JsonOut.print(spec, o);
            } else {
                spec.commandLine().getOut().println(removed.isEmpty() ? "no stale locks found"
                        : "successfully removed " + removed.size() + " locks");
            }
        }
        return BackupCli.OK;
    }
}
