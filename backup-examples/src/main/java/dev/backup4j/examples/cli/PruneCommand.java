package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.core.maintenance.PrunePlan;
import dev.backup4j.core.maintenance.PruneResult;
import dev.backup4j.core.maintenance.RepositoryLock;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code prune [--max-unused LIMIT] [--dry-run]}: removes unreferenced data, as restic. */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove unneeded data from the repository.")
final class PruneCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--max-unused", paramLabel = "LIMIT", defaultValue = "5%",
            description = "Tolerate LIMIT of unused data (x%%, a size like 200M, or 'unlimited'; default 5%%).")
    String maxUnused;

    @Option(names = {"-n", "--dry-run"}, description = "Only show what would be done.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        try (Repository repo = cli.global.open(cli)) {
            PruneResult r = run(repo, maxUnused, dryRun, null); // the library takes the exclusive lock
            print(spec, cli.global.json, r);
        }
        return BackupCli.OK;
    }

    static PruneResult run(Repository repo, String maxUnused, boolean dryRun, RepositoryLock held)
            throws java.io.IOException {
        Prune p = Prune.on(repo).dryRun(dryRun);
        if (held != null) {
            p.lock(held);
        }
        if (maxUnused != null) {
            p.maxUnused(maxUnused);
        }
        return p.run();
    }

    static void print(CommandSpec spec, boolean json, PruneResult r) {
        PrunePlan.Stats s = r.plan().stats();
        if (json) {
            ObjectNode o = JsonOut.object();
            o.put("dry_run", r.dryRun());
            o.put("used_blobs", s.usedBlobs());
            o.put("used_size", s.usedBytes());
            o.put("unused_blobs", s.unusedBlobs());
            o.put("unused_size", s.unusedBytes());
            o.put("unreferenced_size", s.unindexedBytes());
            o.put("packs_to_delete", r.plan().removePacks().size() + r.plan().removeUnindexed().size());
            o.put("packs_to_repack", r.plan().repackPacks().size());
            o.put("packs_to_keep", r.plan().keptPacks().size());
            o.put("repack_size", s.repackBytes());
            o.put("remaining_unused_size", s.unusedAfterBytes());
            o.put("packs_deleted", r.packsDeleted());
            o.put("packs_written", r.packsWritten());
            o.put("bytes_freed", r.bytesFreed());
            JsonOut.print(spec, o);
            return;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("used:         %10d blobs / %s%n", s.usedBlobs(), Sizes.human(s.usedBytes()));
        out.printf("unused:       %10d blobs / %s%n", s.unusedBlobs(), Sizes.human(s.unusedBytes()));
        out.printf("unreferenced:                  %s%n", Sizes.human(s.unindexedBytes()));
        out.printf("to repack:    %10d packs / %s%n", r.plan().repackPacks().size(), Sizes.human(s.repackBytes()));
        out.printf("to delete:    %10d packs%n", r.plan().removePacks().size() + r.plan().removeUnindexed().size());
        out.printf("remaining unused size after prune: %s%n", Sizes.human(s.unusedAfterBytes()));
        out.println((r.dryRun() ? "would free " : "freed ") + Sizes.human(r.bytesFreed()));
    }
}
