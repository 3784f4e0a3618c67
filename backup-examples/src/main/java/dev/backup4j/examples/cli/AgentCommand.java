package dev.backup4j.examples.cli;

import dev.backup4j.ops.agent.Agent;
import dev.backup4j.ops.agent.AgentConfig;
import dev.backup4j.ops.schedule.Waiter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code agent CONFIG [--grace SECONDS] [--check]}: runs the config's jobs in the foreground until SIGTERM or
 * SIGINT; on either, a running job gets the grace period to finish and is then cancelled (its lock released).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Run the jobs of an agent config file in the foreground (see docs/operations.md).")
final class AgentCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONFIG", description = "The agent's JSON config file.")
    Path config;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "60",
            description = "On SIGTERM, how long a running job may go on before it is cancelled. Default: "
                    + "${DEFAULT-VALUE}.")
    long grace;

    @Option(names = "--check", description = "Only read the config and open the repositories, print the plan, exit.")
    boolean checkOnly;

    @Override
    public Integer call() throws Exception {
        AgentConfig cfg;
        try {
            cfg = AgentConfig.read(config);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        Clock clock = Clock.systemUTC();
        Agent agent;
        try {
            agent = Agent.builder(cfg).clock(clock).env(cli.env).backends(this::backend).start();
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        try (agent) {
            agent.scheduler().plan().forEach((job, at) -> spec.commandLine().getOut().println(job + ": next at " + at));
            spec.commandLine().getOut().flush();
            if (checkOnly) {
                return BackupCli.OK;
            }
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                agent.shutdown(Duration.ofSeconds(grace));
                try {
                    main.join(Duration.ofSeconds(grace + 30).toMillis()); // let run() return and close the repos
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "backup4j-agent-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            agent.run(Waiter.realTime(clock));
            spec.commandLine().getErr().println("agent stopped");
        }
        return BackupCli.OK;
    }

    private dev.backup4j.core.backend.Backend backend(String location) {
        GlobalOptions g = new GlobalOptions();
        g.repo = location;
        g.sshIdentity = cli.global.sshIdentity;
        g.sshKnownHosts = cli.global.sshKnownHosts;
        g.objectLockMode = cli.global.objectLockMode;
        try {
            return g.backend(cli);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
