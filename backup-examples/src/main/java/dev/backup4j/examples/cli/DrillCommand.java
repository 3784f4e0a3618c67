package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.ops.drill.DrillResult;
import dev.backup4j.ops.drill.OpsJournal;
import dev.backup4j.ops.drill.RepositoryRecords;
import dev.backup4j.ops.drill.RestoreDrill;
import dev.backup4j.ops.drill.SnapshotPick;
import dev.backup4j.retention.RetentionPresets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code drill [--pick random|latest|oldest-kept:PRESET|ID] [--seed N] [--sample N] [--scratch DIR] [--journal FILE]
 * [--record] [--json]}: a restore drill (restore to an isolated directory, verify every byte); exit 1 if it failed.
 */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Restore a snapshot (or a sample of its files) to a scratch directory and verify every byte.")
final class DrillCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--pick", paramLabel = "HOW", defaultValue = "random",
            description = "random (seeded), latest, oldest-kept:PRESET, or a snapshot id. Default: ${DEFAULT-VALUE}.")
    String pick;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the random pick and sample.")
    long seed;

    @Option(names = "--sample", paramLabel = "N", description = "Restore N random files instead of all.")
    Integer sample;

    @Option(names = "--scratch", paramLabel = "DIR", description = "Where the drill's directory is made (default: "
            + "the temporary directory); removed afterwards.")
    Path scratch;

    @Option(names = "--journal", paramLabel = "FILE", description = "Append the result to this JSON lines file.")
    Path journal;

    @Option(names = "--record", description = "Also store the result in the repository (a snapshot tagged "
            + RepositoryRecords.DRILL_TAG + ").")
    boolean record;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", description = "Zone of oldest-kept:PRESET.")
    String zone;

    @Override
    public Integer call() throws Exception {
        DrillResult r;
        try (Repository repo = cli.global.open(cli)) {
            RestoreDrill d = RestoreDrill.on(repo).pick(pick(pick));
            if (sample != null) {
                d.sampleFiles(sample);
            }
            if (scratch != null) {
                d.scratch(scratch);
            }
            try {
                r = d.run();
            } catch (IllegalStateException e) {
                throw new CliException(e.getMessage());
            }
            if (journal != null) {
                OpsJournal.at(journal).append(r);
            }
            if (record) {
                RepositoryRecords.save(repo, r, Clock.systemUTC());
            }
        }
        if (cli.global.json) {
            JsonOut.print(spec, r.toJson());
        } else {
            spec.commandLine().getOut().println(r.summary());
            r.problems().forEach(p -> spec.commandLine().getErr().println("error: " + p));
        }
        return r.ok() ? BackupCli.OK : BackupCli.ERROR;
    }

    private SnapshotPick pick(String p) {
        if (p.equals("random")) {
            return SnapshotPick.random(seed);
        }
        if (p.equals("latest")) {
            return SnapshotPick.latest();
        }
        if (p.startsWith("oldest-kept:")) {
            try {
                return SnapshotPick.oldestKeptBy(RetentionPresets.byName(p.substring("oldest-kept:".length()),
                        ZoneId.of(zone)));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
        }
        return SnapshotPick.id(p);
    }
}
