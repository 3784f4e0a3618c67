package dev.backup4j.examples.cli;

import dev.backup4j.retention.BackupSchedule;
import dev.backup4j.retention.MissedRuns;
import dev.backup4j.retention.ResticForgetOptions;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.RetentionPresets;
import dev.backup4j.retention.RetentionSimulation;
import dev.backup4j.retention.SimulationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * {@code simulate}: runs a backup schedule under a retention policy on a simulated clock and reports the restore
 * points. A thin shell over {@link RetentionSimulation}: parsing of schedules, presets and restic flags and all
 * rendering live in backup-retention.
 *
 * <pre>
 * backup simulate --policy daily7-weekly3-monthly3 --zone Europe/Brussels --schedule daily@02:00 --from 2024-01-01 --years 10
 * backup simulate --keep-daily 7 --keep-weekly 4 --zone UTC --schedule daily@02:00 --from 2024-01-01 --years 1 --at 2024-06-30 --json
 * </pre>
 */
@CommandLine.Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate a backup schedule under a retention policy for years and report the restore points.")
public class SimulateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--policy", paramLabel = "PRESET",
            description = "A preset: daily7-weekly3-monthly3, daily7-weekly4-firstofmonth3, daily7-weekly4-tagged1y, hourly90d, all30d, all60d, all90d, daily2.")
    String policy;

    @CommandLine.Option(names = "--keep-last", paramLabel = "N", description = "Keep the last N snapshots (restic flag).")
    String keepLast;
    @CommandLine.Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the last N hourly snapshots.")
    String keepHourly;
    @CommandLine.Option(names = "--keep-daily", paramLabel = "N", description = "Keep the last N daily snapshots.")
    String keepDaily;
    @CommandLine.Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the last N weekly snapshots.")
    String keepWeekly;
    @CommandLine.Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the last N monthly snapshots.")
    String keepMonthly;
    @CommandLine.Option(names = "--keep-yearly", paramLabel = "N", description = "Keep the last N yearly snapshots.")
    String keepYearly;
    @CommandLine.Option(names = "--keep-within", paramLabel = "DURATION", description = "Keep snapshots newer than DURATION (e.g. 1y5m7d2h) before the latest.")
    String keepWithin;
    @CommandLine.Option(names = "--keep-within-hourly", paramLabel = "DURATION", description = "Keep hourly snapshots within DURATION.")
    String keepWithinHourly;
    @CommandLine.Option(names = "--keep-within-daily", paramLabel = "DURATION", description = "Keep daily snapshots within DURATION.")
    String keepWithinDaily;
    @CommandLine.Option(names = "--keep-within-weekly", paramLabel = "DURATION", description = "Keep weekly snapshots within DURATION.")
    String keepWithinWeekly;
    @CommandLine.Option(names = "--keep-within-monthly", paramLabel = "DURATION", description = "Keep monthly snapshots within DURATION.")
    String keepWithinMonthly;
    @CommandLine.Option(names = "--keep-within-yearly", paramLabel = "DURATION", description = "Keep yearly snapshots within DURATION.")
    String keepWithinYearly;
    @CommandLine.Option(names = "--keep-tag", paramLabel = "TAGLIST", description = "Keep snapshots with these tags (repeatable).")
    List<String> keepTags = new ArrayList<>();

    @CommandLine.Option(names = "--zone", required = true, paramLabel = "ZONE", description = "Time zone of the schedule and of the policy's calendar, e.g. Europe/Brussels.")
    String zone;
    @CommandLine.Option(names = "--schedule", required = true, paramLabel = "SPEC",
            description = "daily@02:00, hourly@:15, weekly@SUN/03:00, monthly@1/04:00, or several joined by +.")
    String schedule;
    @CommandLine.Option(names = "--from", required = true, paramLabel = "DATE", description = "First simulated day (YYYY-MM-DD).")
    String from;
    @CommandLine.Option(names = "--years", paramLabel = "N", defaultValue = "1", description = "Years to simulate (default 1).")
    String years;
    @CommandLine.Option(names = "--at", paramLabel = "DATE", description = "List the restore points that exist at the end of this day.")
    String at;
    /** The CLI this command runs under: its global {@code --json} (accepted before or after the verb) applies. */
    @CommandLine.ParentCommand
    BackupCli cli;
    @CommandLine.Option(names = "--svg", paramLabel = "FILE", description = "Also write the timeline chart as SVG to FILE.")
    Path svg;
    @CommandLine.Option(names = "--csv", paramLabel = "FILE", description = "Also write one CSV row per simulated day to FILE.")
    Path csv;
    @CommandLine.Option(names = "--missed-rate", paramLabel = "P", defaultValue = "0", description = "Probability that a run fails (default 0).")
    String missedRate;
    @CommandLine.Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed for --missed-rate (default 1).")
    String seed;

    /** Creates the command; picocli instantiates it. */
    public SimulateCommand() {
    }

    /** Runs {@code simulate} with these arguments outside a parent CLI (for tests and embedding); returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        String[] all = new String[args.length + 1];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        return BackupCli.run(new BackupCli(java.util.Map.of()), all, out, err);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = cli != null && cli.global.json;
        try {
            ZoneId z = ForgetCommand.zone(zone);
            RetentionSimulation.Builder sim = RetentionSimulation.builder()
                    .policy(policy(z))
                    .schedule(BackupSchedule.parse(schedule))
                    .zone(z)
                    .from(date("--from", from))
                    .years(number("--years", years));
            double rate;
            try {
                rate = Double.parseDouble(missedRate);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--missed-rate: '" + missedRate + "' is not a number between 0 and 1");
            }
            if (rate != 0) {
                sim.missedRuns(MissedRuns.randomly(rate, number("--seed", seed)));
            }
            SimulationResult r = sim.run();
            if (at != null) {
                LocalDate day = date("--at", at);
                out.print(json ? r.restorePointsJson(day) + "\n" : r.restorePointsText(day));
            } else {
                out.print(json ? r.toJson() + "\n" : r.toText());
            }
            if (svg != null) {
                Files.writeString(svg, r.toSvg(), StandardCharsets.UTF_8);
            }
            if (csv != null) {
                Files.writeString(csv, r.toCsv(), StandardCharsets.UTF_8);
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException | IllegalStateException | DateTimeException | IOException
                | CliException e) {
            err.println("Fatal: " + Errors.oneLine(e));
            err.flush();
            return 1;
        }
    }

    private RetentionPolicy policy(ZoneId z) {
        ResticForgetOptions.Builder o = ResticForgetOptions.builder();
        int flags = 0;
        String[][] values = {{"--keep-last", keepLast}, {"--keep-hourly", keepHourly}, {"--keep-daily", keepDaily},
            {"--keep-weekly", keepWeekly}, {"--keep-monthly", keepMonthly}, {"--keep-yearly", keepYearly},
            {"--keep-within", keepWithin}, {"--keep-within-hourly", keepWithinHourly}, {"--keep-within-daily", keepWithinDaily},
            {"--keep-within-weekly", keepWithinWeekly}, {"--keep-within-monthly", keepWithinMonthly},
            {"--keep-within-yearly", keepWithinYearly}};
        for (String[] v : values) {
            if (v[1] != null) {
                o.flag(v[0], v[1]);
                flags++;
            }
        }
        for (String t : keepTags) {
            o.flag("--keep-tag", t);
            flags++;
        }
        if (policy != null && flags > 0) {
            throw new IllegalArgumentException("use either --policy or --keep-* flags, not both");
        }
        if (policy != null) {
            return RetentionPresets.byName(policy, z);
        }
        if (flags == 0) {
            throw new IllegalArgumentException("no policy: give --policy PRESET or --keep-* flags");
        }
        return RetentionPolicy.builder().zone(z).resticOptions(o.build()).build();
    }

    private static LocalDate date(String flag, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(flag + ": '" + value + "' is not a date like 2024-01-31");
        }
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": '" + value + "' is not a whole number");
        }
    }
}
