package dev.backup4j.examples.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar backup.jar --repo DIR COMMAND ...}: the reference agent.
 *
 * <pre>
 * export BACKUP_PASSWORD=...
 * java -jar backup.jar --repo /srv/repo init
 * java -jar backup.jar --repo /srv/repo backup --tag nightly /var/www/lms
 * java -jar backup.jar --repo /srv/repo snapshots --json
 * java -jar backup.jar --repo /srv/repo restore latest --target /tmp/restore
 * java -jar backup.jar demo
 * </pre>
 */
@Command(name = "backup", mixinStandardHelpOptions = true, version = "backup4j 0.1.0-SNAPSHOT",
        description = "Back up, list and restore restic-compatible repositories.",
        subcommands = {InitCommand.class, BackupCommandCli.class, SnapshotsCommand.class, RestoreCommandCli.class,
            DumpCommand.class,
            DemoCommand.class, ForgetCommand.class, PruneCommand.class,
            CheckCommand.class, CopyCommand.class, KeyCommand.class, UnlockCommand.class, SimulateCommand.class})
public final class BackupCli {
    /** Exit code for success. */
    public static final int OK = 0;
    /** Exit code for any error. */
    public static final int ERROR = 1;
    /** Exit code when a backup was saved but some source files could not be read (restic's convention). */
    public static final int INCOMPLETE = 3;

    final Map<String, String> env;

    @picocli.CommandLine.Mixin
    GlobalOptions global = new GlobalOptions();

    /** A CLI reading the process environment. */
    public BackupCli() {
        this(System.getenv());
    }

    /** A CLI reading the given environment (for tests). */
    public BackupCli(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** Runs the CLI and exits with its exit code. */
    public static void main(String[] args) {
        if (java.util.Arrays.asList(args).contains("--verbose") || java.util.Arrays.asList(args).contains("-v")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        System.exit(run(new BackupCli(), args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code. */
    public static int run(BackupCli cli, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(cli);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("Fatal: " + ex.getMessage().replace('\n', ' ') + " (try '"
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return ERROR;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            err.println("Fatal: " + Errors.oneLine(ex));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ERROR;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
