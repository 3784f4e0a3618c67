package dev.backup4j.ops.agent;

import static java.util.Objects.requireNonNull;

import dev.backup4j.core.BackupCommand;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.maintenance.Check;
import dev.backup4j.core.maintenance.CheckResult;
import dev.backup4j.core.maintenance.Copy;
import dev.backup4j.core.maintenance.CopyResult;
import dev.backup4j.core.maintenance.Forget;
import dev.backup4j.core.maintenance.ForgetResult;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.ops.drill.CheckRecord;
import dev.backup4j.ops.drill.DrillResult;
import dev.backup4j.ops.drill.OpsJournal;
import dev.backup4j.ops.drill.OpsRecord;
import dev.backup4j.ops.drill.RepositoryRecords;
import dev.backup4j.ops.drill.RestoreDrill;
import dev.backup4j.ops.event.JobReport;
import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.schedule.JobContext;
import dev.backup4j.ops.schedule.JobTask;
import dev.backup4j.retention.RetentionPolicy;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Ready-made {@link JobTask}s for the usual jobs of a backup service: backup, forget (and prune), copy to a second
 * repository, restore drill, check. Each publishes what it found (progress, drill and check results, the
 * repository's size) through its {@link JobContext}, and fails (throws) when its work failed, so alerts follow.
 *
 * <pre>{@code
 * JobTask nightly = Tasks.backup(repo, b -> b.path(Path.of("/srv/app")).tag("nightly"));
 * JobTask dump = Tasks.backup(repo, b -> b.source(SnapshotSources.command("/db/billing.sql",
 *         List.of("pg_dump", "billing"), clock)).tag("db"));
 * JobTask replicate = Tasks.copy(repo, secondSite);
 * JobTask drill = Tasks.drill(repo, () -> RestoreDrill.on(repo).pick(SnapshotPick.random(42)),
 *         Optional.of(journal), true);
 * }</pre>
 */
public final class Tasks {
    private Tasks() {
    }

    /** Thrown by a drill or check task whose result did not pass; the message is the result's summary. */
    public static final class FailedResultException extends IOException {
        private static final long serialVersionUID = 1L;

        FailedResultException(String summary) {
            super(summary);
        }
    }

    /** Thrown by a backup task whose snapshot was saved without some entries it could not read. */
    public static final class IncompleteBackupException extends IOException {
        private static final long serialVersionUID = 1L;

        IncompleteBackupException(String message) {
            super(message);
        }
    }

    /**
     * A backup: {@code configure} adds sources, tags and options to a fresh {@link BackupCommand} each run; progress
     * goes out as {@code JobProgress}, the repository's size as {@code RepositorySize} afterwards. A snapshot saved
     * without entries that could not be read fails the run ({@link IncompleteBackupException}), so it alerts.
     */
    public static JobTask backup(Repository repo, Consumer<BackupCommand> configure) {
        requireNonNull(repo, "repo");
        requireNonNull(configure, "configure");
        return ctx -> {
            BackupCommand cmd = repo.backup();
            configure.accept(cmd);
            cmd.listener(status -> ctx.progress(status.filesDone(), status.bytesDone(),
                    status.filesDone() + " files, " + status.bytesDone() + " bytes"));
            BackupResult r = cmd.run();
            publishSize(ctx, repo);
            if (r.incomplete()) {
                // The snapshot is saved (restic's exit code 3), but a dump that could not be read is no backup of it.
                throw new IncompleteBackupException(JobReport.of(r).summary() + ": "
                        + r.errors().get(0).path() + ": " + r.errors().get(0).message());
            }
            return JobReport.of(r);
        };
    }

    /**
     * Applies a policy (made fresh each run by {@code policy}, so it may hold a {@code FileCatalog} of the
     * repository) to every snapshot but drill and check records, then prunes if {@code prune} and something went.
     */
    public static JobTask forget(Repository repo, Function<Repository, RetentionPolicy> policy, boolean prune) {
        requireNonNull(repo, "repo");
        requireNonNull(policy, "policy");
        return ctx -> {
            ForgetResult f = Forget.on(repo).policy(policy.apply(repo)).only(RepositoryRecords.records().negate())
                    .run();
            String pruned = "";
            if (prune && !f.removed().isEmpty()) {
                pruned = "; pruned " + Prune.on(repo).run();
                publishSize(ctx, repo);
            }
            return new JobReport(f.removed().size(), 0, 0, 0, "kept " + f.kept().size() + ", removed "
                    + f.removed().size() + pruned);
        };
    }

    /** Copies every snapshot {@code destination} lacks (drill records too: their history survives both sites). */
    public static JobTask copy(Repository source, Repository destination) {
        requireNonNull(source, "source");
        requireNonNull(destination, "destination");
        return ctx -> {
            CopyResult r = Copy.from(source).to(destination).run();
            publishSize(ctx, destination);
            return JobReport.of(r);
        };
    }

    /**
     * A restore drill: runs {@code drill} (a fresh one each run; the task sets its clock to the scheduler's, so the
     * supplier must not), appends the result to {@code journal}, stores it in
     * the repository if {@code recordInRepository}, publishes {@code DrillCompleted}, and fails if it did not pass.
     */
    public static JobTask drill(Repository repo, java.util.function.Supplier<RestoreDrill> drill,
            Optional<OpsJournal> journal, boolean recordInRepository) {
        requireNonNull(repo, "repo");
        requireNonNull(drill, "drill");
        requireNonNull(journal, "journal");
        return ctx -> {
            DrillResult r = drill.get().clock(ctx.clock()).run();
            record(ctx, repo, r, journal, recordInRepository);
            ctx.publish(new OpsEvent.DrillCompleted(ctx.job(), ctx.clock().instant(), r));
            if (!r.ok()) {
                throw new FailedResultException(r.summary());
            }
            return new JobReport(r.filesVerified(), r.bytesVerified(), 0, 0, r.summary());
        };
    }

    /**
     * A check: {@code subset} is {@code none} (structure only), {@code all} (read all data), or
     * {@code n/t} / {@code x%} as {@code check --read-data-subset} (packs drawn at random, seeded by {@code seed} and
     * the run's time); recorded like a drill, fails if the check found errors.
     */
    public static JobTask check(Repository repo, String subset, long seed, Optional<OpsJournal> journal,
            boolean recordInRepository) {
        requireNonNull(repo, "repo");
        requireNonNull(subset, "subset");
        requireNonNull(journal, "journal");
        return ctx -> {
            Instant started = ctx.clock().instant();
            Check c = Check.on(repo).random(new Random(seed ^ started.getEpochSecond()));
            if (subset.equals("all")) {
                c.readData();
            } else if (!subset.equals("none")) {
                c.readDataSubset(subset);
            }
            CheckResult cr = c.run();
            CheckRecord r = CheckRecord.of(cr, subset, started, ctx.clock().instant());
            record(ctx, repo, r, journal, recordInRepository);
            ctx.publish(new OpsEvent.CheckCompleted(ctx.job(), ctx.clock().instant(), r));
            if (!r.ok()) {
                throw new FailedResultException(r.summary());
            }
            return new JobReport(0, 0, 0, 0, r.summary());
        };
    }

    private static void record(JobContext ctx, Repository repo, OpsRecord r, Optional<OpsJournal> journal,
            boolean inRepository) throws IOException {
        if (journal.isPresent()) {
            journal.get().append(r);
        }
        if (inRepository) {
            RepositoryRecords.save(repo, r, ctx.clock());
        }
    }

    /** The bytes of the repository's pack files. */
    public static long repositorySize(Repository repo) throws IOException {
        long total = 0;
        for (FileInfo f : repo.backend().list(FileType.PACK)) {
            total += f.size();
        }
        return total;
    }

    private static void publishSize(JobContext ctx, Repository repo) throws IOException {
        ctx.publish(new OpsEvent.RepositorySize(ctx.job(), ctx.clock().instant(), repo.backend().location(),
                repositorySize(repo)));
    }
}
