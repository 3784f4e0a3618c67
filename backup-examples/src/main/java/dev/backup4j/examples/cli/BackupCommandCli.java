package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.BackupCommand;
import dev.backup4j.core.BackupResult;
import dev.backup4j.core.Repository;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code backup}: backs up files and directories into a new snapshot. */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Create a new snapshot of files and directories.")
final class BackupCommandCli implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--tag", paramLabel = "TAG", description = "Add a tag (repeatable; a comma separates several).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Host name recorded in the snapshot.")
    String host;

    @Option(names = "--time", paramLabel = "TIME",
            description = "Snapshot time \"YYYY-MM-DD HH:MM:SS\" in the local time zone (default: now).")
    String time;

    @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB", description = "Exclude entries matching GLOB (repeatable).")
    List<String> excludes = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files and directories to back up.")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = cli.global;
        for (Path p : paths) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new CliException("no such file or directory: " + p);
            }
        }
        try (Repository repo = g.open(cli)) {
            BackupCommand b = repo.backup();
            paths.forEach(b::path);
            excludes.forEach(b::exclude);
            for (String t : tags) {
                for (String one : t.split(",")) {
                    if (!one.isBlank()) {
                        b.tag(one.trim());
                    }
                }
            }
            if (host != null) {
                b.host(host);
            }
            if (time != null) {
                try {
                    b.time(LocalDateTime.parse(time, TIME).atZone(ZoneId.systemDefault()).toOffsetDateTime());
                } catch (DateTimeParseException e) {
                    throw new CliException("invalid --time '" + time + "': expected \"YYYY-MM-DD HH:MM:SS\"");
                }
            }
            BackupResult r = b.run();
            PrintWriter out = spec.commandLine().getOut();
            for (BackupResult.BackupError e : r.errors()) {
                spec.commandLine().getErr().println("error: " + e.path() + ": " + e.message());
            }
            if (g.json) {
                ObjectNode o = JsonOut.object();
                o.put("message_type", "summary");
                o.put("files_new", r.files());
                o.put("files_changed", 0);
                o.put("files_unmodified", 0);
                o.put("dirs_new", r.directories());
                o.put("dirs_changed", 0);
                o.put("dirs_unmodified", 0);
                o.put("data_blobs", r.blobsAdded());
                o.put("data_added", r.bytesAdded());
                o.put("data_added_packed", r.bytesStored());
                o.put("total_files_processed", r.files());
                o.put("total_bytes_processed", r.bytesRead());
                o.put("total_duration", r.duration().toNanos() / 1e9);
                o.put("snapshot_id", r.snapshot().requireId().toString());
                o.put("errors", r.errors().size());
                JsonOut.print(spec, o);
            } else {
                out.printf("Files: %d, directories: %d, other: %d%n", r.files(), r.directories(), r.otherEntries());
                out.printf("Added to the repository: %s (%s stored)%n", Sizes.human(r.bytesAdded()),
                        Sizes.human(r.bytesStored()));
                out.printf("processed %d files, %s in %.1fs%n", r.files(), Sizes.human(r.bytesRead()),
                        r.duration().toMillis() / 1000.0);
                out.println("snapshot " + r.snapshot().requireId().shortString() + " saved");
            }
            if (r.incomplete()) {
                spec.commandLine().getErr().println("Warning: at least one source file could not be read");
                return BackupCli.INCOMPLETE;
            }
        }
        return BackupCli.OK;
    }
}
