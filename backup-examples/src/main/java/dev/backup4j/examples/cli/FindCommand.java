package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.browse.PathPattern;
import dev.backup4j.core.browse.SnapshotBrowser;
import dev.backup4j.core.browse.TreeEntry;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.snapshot.Snapshot;
import java.io.PrintWriter;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
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
 * {@code find [--ignore-case] [--long] [--oldest T] [--newest T] [--snapshot ID]... PATTERN...}: entries whose path matches a pattern, per
 * snapshot, as restic 0.14's {@code find}. {@code --json}: one array of {@code {"matches":[...],"hits":N,
 * "snapshot":ID}}, one object per snapshot with matches.
 */
@Command(name = "find", mixinStandardHelpOptions = true, description = "Find files or directories in snapshots.")
final class FindCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATTERN",
            description = "Glob patterns on the entries' paths, as restic's (e.g. '*.csv', '/srv/lms/**/grades*').")
    List<String> patterns = new ArrayList<>();

    @Option(names = {"-s", "--snapshot"}, paramLabel = "ID", description = "Only search this snapshot (repeatable).")
    List<String> snapshots = new ArrayList<>();

    @Option(names = {"-i", "--ignore-case"}, description = "Ignore case for the patterns.")
    boolean ignoreCase;

    @Option(names = {"-l", "--long"}, description = "Use a long listing format showing size and mode.")
    boolean longFormat;

    @Option(names = {"-O", "--oldest"}, paramLabel = "TIME",
            description = "Only entries modified at or after TIME (local time: 2006-01-02[ 15:04[:05[ -0700]]] or"
                    + " 02.01.2006[ 15:04[:05[ -0700]]]).")
    String oldest;

    @Option(names = {"-N", "--newest"}, paramLabel = "TIME", description = "Only entries modified at or before TIME.")
    String newest;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Only snapshots of HOST (no --snapshot).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG[,TAG]", description = "Only snapshots with these tags (no --snapshot).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "Only snapshots of this path (no --snapshot).")
    List<String> paths = new ArrayList<>();

    @Option(names = "--no-lock", description = "Do not take a shared lock on the repository.")
    boolean noLock;

    /** restic find's time formats (those without zone names), in this machine's zone unless an offset is given. */
    private static final List<String> TIME_FORMATS = List.of("yyyy-MM-dd", "yyyy-MM-dd H:mm", "yyyy-MM-dd H:mm:ss",
            "yyyy-MM-dd H:mm:ss xx", "dd.MM.yyyy", "dd.MM.yyyy H:mm", "dd.MM.yyyy H:mm:ss", "dd.MM.yyyy H:mm:ss xx");

    static OffsetDateTime parseTime(String s) {
        for (String f : TIME_FORMATS) {
            DateTimeFormatter fmt = new DateTimeFormatterBuilder().appendPattern(f)
                    .parseDefaulting(ChronoField.HOUR_OF_DAY, 0).parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                    .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0).toFormatter(Locale.ROOT);
            try {
                java.time.temporal.TemporalAccessor t = fmt.parse(s);
                LocalDateTime local = LocalDateTime.from(t);
                return t.isSupported(ChronoField.OFFSET_SECONDS)
                        ? local.atOffset(ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS)))
                        : local.atZone(ZoneId.systemDefault()).toOffsetDateTime();
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        throw new CliException("unable to parse time: \"" + s + "\"");
    }

    @Override
    public Integer call() throws Exception {
        PathPattern pattern = PathPattern.of(patterns);
        if (ignoreCase) {
            pattern = pattern.ignoringCase();
        }
        OffsetDateTime from = oldest == null ? null : parseTime(oldest);
        OffsetDateTime to = newest == null ? null : parseTime(newest);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = cli.global.json;
        try (Repository repo = cli.global.open(cli);
                RepositoryLock lock = noLock ? null : MaintenanceSupport.lock(cli, repo, false)) {
            List<Snapshot> chosen = new SnapshotArgs(hosts, tags, paths).select(repo, snapshots, err);
            boolean anyObject = false;
            boolean anyText = false;
            if (json) {
                out.print('[');
            }
            for (Snapshot s : chosen) {
                // restic checks the times of matching entries only: a directory outside the range is still searched
                List<TreeEntry> hits = SnapshotBrowser.of(repo, s).find(pattern).stream()
                        .filter(e -> (from == null || !e.node().mtime().isBefore(from))
                                && (to == null || !e.node().mtime().isAfter(to)))
                        .toList();
                if (hits.isEmpty()) {
                    continue;
                }
                if (json) {
                    StringBuilder b = new StringBuilder(anyObject ? ",{\"matches\":[" : "{\"matches\":[");
                    for (int i = 0; i < hits.size(); i++) {
                        b.append(i > 0 ? "," : "").append(GoJson.write(NodeFormat.findJson(hits.get(i))));
                    }
                    b.append("],\"hits\":").append(hits.size()).append(",\"snapshot\":\"")
                            .append(s.requireId()).append("\"}");
                    out.print(b);
                    anyObject = true;
                } else {
                    if (anyText) {
                        out.println();
                    }
                    out.println("Found matching entries in snapshot " + s.requireId().shortString() + " from "
                            + NodeFormat.local(s.time()));
                    for (TreeEntry e : hits) {
                        out.println(NodeFormat.line(e, longFormat));
                    }
                    anyText = true;
                }
            }
            if (json) {
                out.println(']');
            }
        }
        out.flush();
        return BackupCli.OK;
    }
}
