package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code init}: creates a repository (restic format version 2). */
@Command(name = "init", mixinStandardHelpOptions = true, description = "Create a new repository.")
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = cli.global;
        try (Repository repo = g.opener(cli).init()) {
            if (g.json) {
                JsonOut.print(spec, JsonOut.object().put("message_type", "initialized")
                        .put("id", repo.config().id()).put("repository", g.repoLocation(cli)));
            } else {
                spec.commandLine().getOut().println("created restic repository " + repo.config().id().substring(0, 10)
                        + " at " + g.repoLocation(cli));
                spec.commandLine().getOut().println();
                spec.commandLine().getOut().println("Please note that knowledge of your password is required to access"
                        + " the repository. Losing your password means that your data is irrecoverably lost.");
            }
        }
        return BackupCli.OK;
    }
}
