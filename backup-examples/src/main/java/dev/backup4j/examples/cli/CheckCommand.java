package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.maintenance.Check;
import dev.backup4j.core.maintenance.CheckResult;
import dev.backup4j.core.maintenance.RepositoryLock;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code check [--read-data | --read-data-subset n/t|x%]}: checks the repository; exit 1 if it found errors. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check the repository for errors.")
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--read-data", description = "Read and verify all data blobs.")
    boolean readData;

    @Option(names = "--read-data-subset", paramLabel = "SUBSET", description = "Read a subset: n/t or x%%.")
    String subset;

    @Override
    public Integer call() throws Exception {
        if (readData && subset != null) {
            throw new CliException("check flags --read-data and --read-data-subset cannot be used together");
        }
        CheckResult r;
        try (Repository repo = cli.global.open(cli)) {
            Check c = Check.on(repo); // under a shared lock, taken by the library
            if (readData) {
                c.readData();
            } else if (subset != null) {
                c.readDataSubset(subset);
            }
            r = c.run();
        }
        if (cli.global.json) {
            ObjectNode o = JsonOut.object();
            o.put("ok", r.ok());
            ArrayNode errors = o.putArray("errors");
            r.errors().forEach(errors::add);
            ArrayNode hints = o.putArray("hints");
            r.hints().forEach(hints::add);
            ArrayNode damaged = o.putArray("damaged_packs");
            for (CheckResult.DamagedPack d : r.damagedPacks()) {
                ObjectNode p = damaged.addObject();
                p.put("pack", d.pack().toString());
                p.put("problem", d.problem());
                ArrayNode blobs = p.putArray("blobs");
                d.damagedBlobs().forEach(b -> blobs.add(b.toString()));
                ArrayNode aff = p.putArray("affected");
                for (CheckResult.AffectedSnapshot a : d.affected()) {
                    ObjectNode s = aff.addObject();
                    s.put("snapshot", a.snapshot().toString());
                    ArrayNode paths = s.putArray("paths");
                    a.paths().forEach(paths::add);
                }
            }
            o.put("snapshots_checked", r.snapshotsChecked());
            o.put("trees_checked", r.treesChecked());
            o.put("packs_checked", r.packsChecked());
            o.put("packs_read", r.packsRead());
            JsonOut.print(spec, o);
        } else {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            r.hints().forEach(out::println);
            r.errors().forEach(e -> err.println("error: " + e));
            for (CheckResult.DamagedPack d : r.damagedPacks()) {
                err.println("damaged pack " + d.pack() + " (" + d.problem() + ") affects:");
                for (CheckResult.AffectedSnapshot a : d.affected()) {
                    err.println("  snapshot " + a.snapshot().shortString() + ": " + String.join(", ", a.paths()));
                }
            }
            out.println(r.ok() ? "no errors were found" : "Fatal: repository contains errors");
        }
        return r.ok() ? BackupCli.OK : BackupCli.ERROR;
    }
}
