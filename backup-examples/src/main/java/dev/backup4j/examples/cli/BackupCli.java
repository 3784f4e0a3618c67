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
        description = "Back up, list and restore restic-compatible repositories.")
public final class BackupCli {
    /**
     * The subcommands, in the order the usage help lists them. Only those named in the arguments are registered:
     * picocli builds each command's model by reflection, and building all of them took ~0.15 s of every run.
     */
    private static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(InitCommand.class,
            BackupCommandCli.class, SnapshotsCommand.class, RestoreCommandCli.class, DumpCommand.class,
            LsCommand.class, FindCommand.class, DiffCommand.class, StatsCommand.class, DemoCommand.class,
            ForgetCommand.class, PruneCommand.class, CheckCommand.class, CopyCommand.class, KeyCommand.class,
            UnlockCommand.class, SimulateCommand.class, VersionsCommand.class, DrillCommand.class, AgentCommand.class);

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

    /**
     * Registers the subcommands whose names occur among the arguments (an option value that happens to be a command
     * name only adds one more), or all of them if none does, for the usage help and its error messages.
     */
    private static void addSubcommands(CommandLine cl, String[] args) {
        java.util.Set<String> words = new java.util.HashSet<>(java.util.Arrays.asList(args));
        java.util.List<Class<?>> named = new java.util.ArrayList<>();
        for (Class<?> c : SUBCOMMANDS) {
            if (words.contains(c.getAnnotation(Command.class).name())) {
                named.add(c);
            }
        }
        for (Class<?> c : named.isEmpty() ? SUBCOMMANDS : named) {
            cl.addSubcommand(c);
        }
    }

    /** Runs the CLI with the given streams and returns the exit code. */
    public static int run(BackupCli cli, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(cli);
        addSubcommands(cl, args);
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
