package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.common.Json;
import dev.backup4j.core.common.NoSuchSnapshotException;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.restore.OverwritePolicy;
import dev.backup4j.core.restore.PackRead;
import dev.backup4j.core.restore.RestoreAction;
import dev.backup4j.core.restore.RestoreExecutor;
import dev.backup4j.core.restore.RestorePlan;
import dev.backup4j.core.restore.RestorePlanner;
import dev.backup4j.core.restore.RestoreProblem;
import dev.backup4j.core.restore.RestoreReport;
import dev.backup4j.core.restore.RestoreTarget;
import dev.backup4j.core.restore.RestoreTargets;
import dev.backup4j.core.snapshot.FileNames;
import dev.backup4j.core.restore.SnapshotSelector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code restore}: plans a restore of a snapshot into a directory, prints the plan ({@code --dry-run}) or executes it.
 * Flags follow restic ({@code SNAPSHOT[:PATH] --target --include --exclude --delete --dry-run --json --host --tag
 * --path}); {@code --time}/{@code --time-match} choose a snapshot by date, {@code --overwrite} sets the policy.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a snapshot (or SNAPSHOT:PATH, a directory of it) into a directory.")
final class RestoreCommandCli implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SNAPSHOT[:PATH]",
            description = "Snapshot id, unique id prefix, or 'latest' (default with --time), optionally ':PATH' to "
                    + "restore only that directory of the snapshot, as the target's root.")
    String snapshot;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "Directory to restore into.")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "GLOB", description = "Restore only matching entries (repeatable).")
    List<String> includes = new ArrayList<>();

    @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB", description = "Leave out matching entries (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the plan (what would be created, overwritten, kept, deleted, "
            + "read) and write nothing.")
    boolean dryRun;

    @Option(names = "--delete", description = "Delete files in the target that are not in the snapshot, within the "
            + "restored scope.")
    boolean delete;

    @Option(names = "--overwrite", paramLabel = "POLICY", defaultValue = "if-changed",
            description = "always | if-changed (size, mtime and mode; see --compare-content) | never. "
                    + "Default: ${DEFAULT-VALUE}.")
    String overwrite;

    @Option(names = "--compare-content", description = "With --overwrite if-changed, compare existing files by "
            + "content hash instead of size and modification time.")
    boolean compareContent;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Only consider snapshots of this host.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG", description = "Only consider snapshots with this tag (repeatable: all).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "Only consider snapshots that include this path.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--time", paramLabel = "TIME", description = "Choose the snapshot by time: ISO instant "
            + "(2024-05-01T02:00:00Z), date-time with offset, or local 'YYYY-MM-DD[ HH:MM[:SS]]'.")
    String time;

    @Option(names = "--time-match", paramLabel = "MODE", defaultValue = "at-or-before",
            description = "at-or-before | at-or-after | nearest. Default: ${DEFAULT-VALUE}.")
    String timeMatch;

    @Option(names = "--assume-throughput", paramLabel = "BYTES_PER_SECOND", defaultValue = "104857600",
            description = "Backend throughput for the plan's duration estimate. Default: ${DEFAULT-VALUE} (100 MiB/s).")
    long throughput;

    @Option(names = "--threads", paramLabel = "N", description = "Packs read in parallel.")
    Integer threads;

    @Option(names = "--restore-owner", hidden = true, description = "Kept for scripts: owners are restored by "
            + "default, as restic does.")
    boolean owners;

    @Option(names = "--no-owner", description = "Do not restore owners and groups (by default, as restic: always "
            + "as root, otherwise where permitted).")
    boolean noOwner;

    @Option(names = "--sparse", description = "Restore files as sparse: runs of zeros become holes (restic 0.15+).")
    boolean sparse;

    @Option(names = "--no-lock", description = "Do not take a shared lock on the repository.")
    boolean noLock;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = cli.global;
        try (Repository repo = g.open(cli); RepositoryLock lock = noLock ? null
                : Locks.on(repo).acquireUnconfirmed(false, MaintenanceSupport.lockWait(cli))) {
            RestorePlanner planner = planner(repo);
            RestorePlan plan;
            PrintWriter out = spec.commandLine().getOut();
            // planned against the target as it is, creating nothing: an unknown snapshot or path leaves no
            // directory behind, and a dry run writes nothing
            if (lock != null) {
                planner.lock(lock);
            } else {
                planner.withoutLock();
            }
            try (RestoreTarget view = RestoreTargets.directoryView(target)) {
                plan = plan(planner, view);
            }
            if (dryRun) {
                if (g.json) {
                    JsonOut.print(spec, planJson(plan, throughput));
                } else {
                    printPlan(out, plan);
                }
                return BackupCli.OK;
            }
            RestoreReport r;
            try (RestoreTarget t = RestoreTargets.directoryTarget(target).owners(!noOwner).sparse(sparse).open()) {
                RestoreExecutor ex = RestoreExecutor.of(repo);
                if (lock != null) {
                    ex.lock(lock); // confirmed at the end of planning
                } else {
                    ex.withoutLock();
                }
                if (threads != null) {
                    ex.threads(threads);
                }
                r = ex.execute(plan, t);
            }
            for (RestoreReport.Error e : r.errors()) {
                spec.commandLine().getErr().println("error: " + FileNames.printable(e.path()) + ": "
                        + FileNames.printable(e.message()));
            }
            for (RestoreReport.Error e : r.warnings()) {
                spec.commandLine().getErr().println("warning: " + FileNames.printable(e.path()) + ": "
                        + FileNames.printable(e.message()));
            }
            if (g.json) {
                ObjectNode o = JsonOut.object();
                o.put("message_type", "summary");
                o.put("snapshot_id", plan.choice().snapshot().requireId().toString());
                o.put("files_restored", r.files());
                o.put("dirs_restored", r.directories());
                o.put("symlinks_restored", r.symlinks());
                o.put("special_files_restored", r.specials());
                o.put("hard_links_restored", r.hardLinks());
                o.put("entries_kept", r.kept());
                o.put("entries_deleted", r.deleted());
                o.put("bytes_restored", r.bytesWritten());
                o.put("bytes_read", r.bytesRead());
                o.put("total_duration", r.duration().toNanos() / 1e9);
                o.put("errors", r.errors().size());
                ArrayNode errs = o.putArray("error_entries");
                for (RestoreReport.Error e : r.errors()) {
                    errs.addObject().put("path", FileNames.lossy(e.path())).put("message", e.message());
                }
                o.put("warnings", r.warnings().size());
                ArrayNode warns = o.putArray("warning_entries");
                for (RestoreReport.Error e : r.warnings()) {
                    warns.addObject().put("path", FileNames.lossy(e.path())).put("message", e.message());
                }
                JsonOut.print(spec, o);
            } else {
                out.println("restored " + plan.choice() + " to " + target + ": " + r.files() + " files, "
                        + Sizes.human(r.bytesWritten()) + "; " + r.kept() + " kept, " + r.deleted() + " deleted");
            }
            if (!r.complete()) {
                throw new CliException(r.errors().size() + " entries could not be restored");
            }
        }
        return BackupCli.OK;
    }

    /** Plans; an id that matches no snapshot is reported in restic's words. */
    private RestorePlan plan(RestorePlanner planner, RestoreTarget view) throws java.io.IOException {
        try {
            return planner.plan(view);
        } catch (NoSuchSnapshotException e) {
            String id = snapshot == null ? "latest" : snapshot.split(":", 2)[0];
            if (time != null || id.isEmpty() || id.equals("latest")) {
                throw e;
            }
            throw new CliException("invalid id \"" + id + "\": " + e.getMessage());
        }
    }

    private RestorePlanner planner(Repository repo) {
        String spec = snapshot == null ? "latest" : snapshot;
        int colon = spec.indexOf(':');
        String id = colon < 0 ? spec : spec.substring(0, colon);
        SnapshotSelector sel;
        if (time != null) {
            if (!id.isEmpty() && !id.equals("latest")) {
                throw new CliException("give either a snapshot id or --time, not both");
            }
            sel = SnapshotSelector.at(parseTime(time), parseMatch(timeMatch));
        } else {
            sel = SnapshotSelector.parse(id.isEmpty() ? "latest" : id);
        }
        for (String h : hosts) {
            sel = sel.withHost(h);
        }
        for (String t : tags) {
            for (String one : t.split(",")) {
                sel = sel.withTag(one);
            }
        }
        for (String p : paths) {
            sel = sel.withPath(p);
        }
        RestorePlanner p = RestorePlanner.of(repo, sel);
        if (colon >= 0) {
            p.subPath(spec.substring(colon + 1));
        }
        includes.forEach(p::include);
        excludes.forEach(p::exclude);
        p.overwrite(switch (overwrite.toLowerCase(Locale.ROOT)) {
            case "always" -> OverwritePolicy.ALWAYS;
            case "if-changed" -> OverwritePolicy.IF_CHANGED;
            case "never" -> OverwritePolicy.NEVER;
            default -> throw new CliException("--overwrite must be always, if-changed or never, not '" + overwrite + "'");
        });
        p.compareContent(compareContent);
        p.delete(delete);
        return p;
    }

    static SnapshotSelector.TimeMatch parseMatch(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "at-or-before" -> SnapshotSelector.TimeMatch.AT_OR_BEFORE;
            case "at-or-after" -> SnapshotSelector.TimeMatch.AT_OR_AFTER;
            case "nearest" -> SnapshotSelector.TimeMatch.NEAREST;
            default -> throw new CliException("--time-match must be at-or-before, at-or-after or nearest, not '"
                    + s + "'");
        };
    }

    static Instant parseTime(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // try the local forms
        }
        String t = s.trim().replace(' ', 'T');
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneId.systemDefault()).toInstant();
            }
            return LocalDateTime.parse(t).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new CliException("cannot read --time '" + s + "': give 2024-05-01T02:00:00Z, "
                    + "2024-05-01T04:00:00+02:00, '2024-05-01 02:00' or 2024-05-01");
        }
    }

    static void printPlan(PrintWriter out, RestorePlan plan) {
        out.println("dry run: nothing was written");
        out.println("snapshot: " + plan.choice());
        if (!plan.subPath().equals("/")) {
            out.println("path:     " + plan.subPath());
        }
        for (RestoreAction a : plan.actions()) {
            if (a.kind() != RestoreAction.Kind.KEEP) {
                out.println("  " + a);
            }
        }
        for (RestoreProblem p : plan.problems()) {
            out.println("problem: " + p);
        }
        var c = plan.counts();
        out.println("would create " + c.get(RestoreAction.Kind.CREATE) + ", overwrite "
                + c.get(RestoreAction.Kind.OVERWRITE) + ", keep " + c.get(RestoreAction.Kind.KEEP) + ", delete "
                + c.get(RestoreAction.Kind.DELETE) + " entries; write " + Sizes.human(plan.bytesToWrite())
                + ", read " + Sizes.human(plan.bytesToDownload()) + " from " + plan.packReads().size() + " packs");
    }

    static ObjectNode planJson(RestorePlan plan, long throughput) {
        ObjectNode o = JsonOut.object();
        o.put("message_type", "plan");
        o.put("dry_run", true);
        o.put("snapshot_id", plan.choice().snapshot().requireId().toString());
        o.put("snapshot_time", Json.formatTime(plan.choice().snapshot().time()));
        o.put("selector", plan.choice().selector());
        plan.choice().requested().ifPresent(r -> o.put("requested_time", r.toString()));
        plan.choice().distance().ifPresent(d -> o.put("distance_seconds", d.toMillis() / 1000.0));
        o.put("path", plan.subPath());
        o.put("target", plan.target());
        ObjectNode counts = o.putObject("counts");
        plan.counts().forEach((k, v) -> counts.put(k.label(), v));
        o.put("bytes_to_write", plan.bytesToWrite());
        o.put("bytes_to_download", plan.bytesToDownload());
        o.put("blobs_to_download", plan.blobsToDownload());
        o.put("assumed_throughput", throughput);
        o.put("estimated_seconds", plan.estimate(throughput).toMillis() / 1000.0);
        ArrayNode actions = o.putArray("actions");
        for (RestoreAction a : plan.actions()) {
            ObjectNode j = actions.addObject();
            j.put("action", a.kind().label());
            j.put("path", a.path());
            j.put("type", a.type().json());
            j.put("size", a.size());
            j.put("reason", a.reason());
        }
        ArrayNode packs = o.putArray("packs");
        for (PackRead p : plan.packReads()) {
            ObjectNode j = packs.addObject();
            j.put("pack", p.pack().toString());
            j.put("bytes", p.bytes());
            j.put("blobs", p.blobCount());
            ArrayNode ranges = j.putArray("ranges");
            for (PackRead.Range r : p.ranges()) {
                ranges.addArray().add(r.offset()).add(r.length());
            }
        }
        ArrayNode problems = o.putArray("problems");
        for (RestoreProblem p : plan.problems()) {
            problems.addObject().put("kind", p.kind().name().toLowerCase(Locale.ROOT)).put("path", p.path())
                    .put("message", p.message());
        }
        return o;
    }

}
