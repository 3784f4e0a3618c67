package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.maintenance.Forget;
import dev.backup4j.core.maintenance.ForgetResult;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.retention.KeptSnapshot;
import dev.backup4j.retention.ResticForgetOptions;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.RetentionPresets;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code forget [restic's --keep-* flags | --policy PRESET] [--zone ZONE] [--group-by G] [--dry-run] [--prune]
 * [SNAPSHOT...]}: removes snapshots by policy (or by id), as restic.
 */
@Command(name = "forget", mixinStandardHelpOptions = true, description = "Remove snapshots by policy or id.")
final class ForgetCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.")
    String keepLast;
    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest snapshot of each of the last N"
            + " hours that have one.")
    String keepHourly;
    @Option(names = "--keep-daily", paramLabel = "N",
            description = "Keep the newest snapshot of each of the last N days that have one.")
    String keepDaily;
    @Option(names = "--keep-weekly", paramLabel = "N",
            description = "Keep the newest snapshot of each of the last N weeks that have one.")
    String keepWeekly;
    @Option(names = "--keep-monthly", paramLabel = "N",
            description = "Keep the newest snapshot of each of the last N months that have one.")
    String keepMonthly;
    @Option(names = "--keep-yearly", paramLabel = "N",
            description = "Keep the newest snapshot of each of the last N years that have one.")
    String keepYearly;
    @Option(names = "--keep-within", paramLabel = "DURATION", description = "Keep every snapshot less than DURATION"
            + " (e.g. 1y5m7d2h) older than the newest one.")
    String keepWithin;
    @Option(names = "--keep-within-hourly", paramLabel = "DURATION",
            description = "Keep one snapshot per hour within DURATION of the newest.")
    String keepWithinHourly;
    @Option(names = "--keep-within-daily", paramLabel = "DURATION",
            description = "Keep one snapshot per day within DURATION of the newest.")
    String keepWithinDaily;
    @Option(names = "--keep-within-weekly", paramLabel = "DURATION",
            description = "Keep one snapshot per week within DURATION of the newest.")
    String keepWithinWeekly;
    @Option(names = "--keep-within-monthly", paramLabel = "DURATION",
            description = "Keep one snapshot per month within DURATION of the newest.")
    String keepWithinMonthly;
    @Option(names = "--keep-within-yearly", paramLabel = "DURATION",
            description = "Keep one snapshot per year within DURATION of the newest.")
    String keepWithinYearly;
    @Option(names = "--keep-tag", paramLabel = "TAGLIST",
            description = "Keep snapshots that have all these tags (comma-separated; repeatable).")
    List<String> keepTags = new ArrayList<>();

    @Option(names = {"-g", "--group-by"}, paramLabel = "GROUP",
            description = "Group snapshots by host, paths and/or tags (default: host,paths).")
    String groupBy;

    @Option(names = "--policy", paramLabel = "PRESET", description = "A named retention preset instead of --keep-*.")
    String preset;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Time zone for days, weeks... (default: local).")
    String zone;

    @Option(names = {"-n", "--dry-run"}, description = "Only show what would be removed.")
    boolean dryRun;

    @Option(names = "--protect", description = "Protect against forged snapshots: judge snapshots also by when the "
            + "storage received them (kept, taking no part in the rules, when stored less than 2 days ago or claiming "
            + "a time more than 6 hours from it), and stop before removing more than half of the snapshots or every "
            + "snapshot older than 30 days (see --force).")
    boolean protect;

    @Option(names = "--force", description = "With --protect: remove what the policy decides even past its limits.")
    boolean force;

    @Option(names = "--prune", description = "Run prune afterwards.")
    boolean prune;

    @Option(names = "--max-unused", paramLabel = "LIMIT", description = "With --prune: as prune's --max-unused.")
    String maxUnused;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*", description = "Snapshots to remove (instead of a policy).")
    List<String> ids = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ZoneId z = zone != null ? zone(zone) : ZoneId.systemDefault();
        ResticForgetOptions.Builder ob = ResticForgetOptions.builder();
        String[][] flags = {{"--keep-last", keepLast}, {"--keep-hourly", keepHourly}, {"--keep-daily", keepDaily},
            {"--keep-weekly", keepWeekly}, {"--keep-monthly", keepMonthly}, {"--keep-yearly", keepYearly},
            {"--keep-within", keepWithin}, {"--keep-within-hourly", keepWithinHourly},
            {"--keep-within-daily", keepWithinDaily}, {"--keep-within-weekly", keepWithinWeekly},
            {"--keep-within-monthly", keepWithinMonthly}, {"--keep-within-yearly", keepWithinYearly}};
        boolean anyKeep = !keepTags.isEmpty();
        for (String[] f : flags) {
            if (f[1] != null) {
                ob.flag(f[0], f[1]);
                anyKeep = true;
            }
        }
        keepTags.forEach(t -> ob.flag("--keep-tag", t));
        if (groupBy != null) {
            ob.flag("--group-by", groupBy);
        }
        if (preset != null && anyKeep) {
            throw new CliException("--policy cannot be combined with --keep-* flags");
        }
        if (!ids.isEmpty() && (anyKeep || preset != null)) {
            throw new CliException("give either snapshot ids or a policy, not both");
        }
        if (ids.isEmpty() && !anyKeep && preset == null) {
            throw new CliException("no policy was specified, no snapshots removed (use --keep-* or --policy)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Repository repo = cli.global.open(cli);
                RepositoryLock lock = MaintenanceSupport.lock(cli, repo, true)) {
            if (!ids.isEmpty()) {
                for (String id : ids) {
                    Snapshot s = repo.snapshot(id);
                    if (!dryRun) {
                        repo.backend().delete(Handle.of(FileType.SNAPSHOT, s.requireId()));
                    }
                    if (!cli.global.json) {
                        out.println((dryRun ? "would remove snapshot " : "removed snapshot ") + s.requireId());
                    }
                }
            } else {
                RetentionPolicy policy;
                if (preset != null) {
                    policy = RetentionPresets.byName(preset, z);
                } else {
                    RetentionPolicy.Builder pb = RetentionPolicy.builder().zone(z);
                    ob.build().applyTo(pb);
                    policy = pb.build();
                }
                dev.backup4j.core.maintenance.Forget f = Forget.on(repo).policy(policy).dryRun(dryRun).lock(lock);
                if (protect) {
                    f.protect(java.time.Duration.ofDays(2), java.time.Duration.ofHours(6))
                            .limits(0.5, java.time.Duration.ofDays(30));
                }
                if (force) {
                    f.force();
                }
                ForgetResult r = f.run();
                if (cli.global.json) {
                    JsonOut.print(spec, json(r));
                } else {
                    out.println("Applying policy: " + policy.describe());
                    out.print(r.decision().explain());
                    out.println((dryRun ? "would remove " : "removed ") + r.removed().size() + " snapshots, keeping "
                            + r.kept().size());
                }
            }
            if (prune && !dryRun) {
                PruneCommand.print(spec, cli.global.json, PruneCommand.run(repo, maxUnused, false, lock));
            }
        }
        return BackupCli.OK;
    }

    /** restic's {@code forget --json}: one object per group with keep, remove and reasons. */
    static ArrayNode json(ForgetResult r) {
        Map<String, Snapshot> byId = new LinkedHashMap<>();
        r.kept().forEach(s -> byId.put(s.requireId().toString(), s));
        r.removed().forEach(s -> byId.put(s.requireId().toString(), s));
        Map<String, ObjectNode> groups = new LinkedHashMap<>();
        ArrayNode out = JsonOut.array();
        for (KeptSnapshot k : r.decision().kept()) {
            Snapshot s = byId.get(k.snapshot().id());
            ObjectNode g = group(groups, out, k.group(), s);
            g.withArray("keep").add(JsonOut.snapshot(s));
            ObjectNode reason = g.withArray("reasons").addObject();
            reason.set("snapshot", JsonOut.snapshot(s));
            ArrayNode matches = reason.putArray("matches");
            k.reasons().forEach(x -> matches.add(x.toString()));
        }
        for (Snapshot s : r.removed()) {
            ObjectNode g = group(groups, out, groupOf(r, s), s);
            if (!g.has("remove") || g.get("remove").isNull()) {
                g.putArray("remove");
            }
            ((ArrayNode) g.get("remove")).add(JsonOut.snapshot(s));
        }
        return out;
    }

    /** A --zone value as a time zone, or a one-line error naming the flag (not the JDK's exception). */
    static ZoneId zone(String value) {
        try {
            return ZoneId.of(value);
        } catch (java.time.DateTimeException e) {
            throw new CliException("--zone: unknown time zone '" + value + "' (use a name like Europe/Brussels, UTC"
                    + " or an offset like +02:00)");
        }
    }

    private static String groupOf(ForgetResult r, Snapshot s) {
        String json = r.decision().toJson();
        String id = s.requireId().toString();
        int i = json.indexOf("\"id\":\"" + id + "\"");
        int g = json.indexOf("\"group\":\"", i);
        return i < 0 || g < 0 ? "" : json.substring(g + 9, json.indexOf('"', g + 9));
    }

    private static ObjectNode group(Map<String, ObjectNode> groups, ArrayNode out, String key, Snapshot s) {
        return groups.computeIfAbsent(key, k -> {
            ObjectNode g = out.addObject();
            g.putArray("tags");
            s.tags().forEach(t -> g.withArray("tags").add(t));
            g.put("host", s.hostname());
            ArrayNode paths = g.putArray("paths");
            s.paths().forEach(paths::add);
            g.putArray("keep");
            g.putNull("remove");
            g.putArray("reasons");
            g.put("group", k);
            return g;
        });
    }
}
