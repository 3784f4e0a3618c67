package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.maintenance.Forget;
import dev.backup4j.core.maintenance.ForgetResult;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.core.maintenance.PruneResult;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.retention.KeptSnapshot;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.RetentionPresets;
import dev.backup4j.retention.RetentionSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;

/**
 * The demo's retention step: the LMS hosting policy (the last backup of each of 7 days, of each of 3 weeks, of each
 * of 3 months), then a prune that deletes the data no remaining snapshot needs.
 */
final class DemoRetention {
    private DemoRetention() {
    }

    static void apply(Repository repo, PrintWriter out) throws IOException {
        RetentionPolicy policy = RetentionPresets.daily7Weekly3Monthly3(ZoneId.systemDefault());
        out.println("   policy: " + policy.describe());
        try (RepositoryLock lock = Locks.on(repo).acquire(true)) {
            ForgetResult r = Forget.on(repo).policy(policy).lock(lock).run();
            for (KeptSnapshot k : r.decision().kept()) {
                out.println("   keep    " + shortId(k.snapshot()) + "  " + k.reasons());
            }
            for (RetentionSnapshot s : r.decision().removed()) {
                out.println("   remove  " + shortId(s) + "  (an older backup of the same day)");
            }
            PruneResult p = Prune.on(repo).lock(lock).run();
            out.println("   prune: " + p.packsDeleted() + " packs deleted, " + p.packsWritten() + " written, "
                    + Sizes.human(p.bytesFreed()) + " freed");
        }
    }

    private static String shortId(RetentionSnapshot s) {
        return s.id().substring(0, Math.min(8, s.id().length()));
    }
}
