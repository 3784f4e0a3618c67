package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.BackupCommand;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backup.BackupResult;
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

    @Option(names = "--exclude-if-present", paramLabel = "NAME",
            description = "Exclude directories holding a file NAME, e.g. .nobackup (repeatable).")
    List<String> excludeIfPresent = new ArrayList<>();

    @Option(names = "--exclude-caches", description = "Exclude directories marked with a valid CACHEDIR.TAG.")
    boolean excludeCaches;

    @Option(names = {"-x", "--one-file-system"}, description = "Do not cross file system boundaries.")
    boolean oneFileSystem;

    @Option(names = "--follow-symlinks", description = "Store what symlinks point to instead of the links.")
    boolean followSymlinks;

    @Option(names = {"-f", "--force"}, description = "Read all files again instead of reusing the parent's.")
    boolean force;

    @Option(names = "--parent", paramLabel = "SNAPSHOT", description = "Use this snapshot as the parent.")
    String parent;

    @Option(names = "--stdin-from-command",
            description = "Back up the standard output of the command given after '--'; fail if it exits non-zero.")
    boolean stdinFromCommand;

    @Option(names = "--stdin-filename", paramLabel = "NAME", defaultValue = "stdin",
            description = "File name for --stdin-from-command in the snapshot (default: ${DEFAULT-VALUE}).")
    String stdinFilename;

    @Option(names = "--limit-upload", paramLabel = "KiB/s", description = "Limit the upload rate.")
    Long limitUpload;

    @Option(names = "--limit-read", paramLabel = "KiB/s", description = "Limit how fast source files are read.")
    Long limitRead;

    @Option(names = "--read-concurrency", paramLabel = "N",
            description = "Threads reading and processing files (default: the number of processors).")
    Integer workers;

    @Option(names = {"-q", "--quiet"}, description = "Do not show progress.")
    boolean quiet;

    @Parameters(arity = "0..*", paramLabel = "PATH",
            description = "Files and directories to back up (with --stdin-from-command: the command and its arguments).")
    List<String> args = new ArrayList<>();

    /** restic's test: only "no such file" means missing; a path that cannot be examined is backed up (and fails). */
    private static boolean exists(Path p) {
        try {
            Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Override
    public Integer call() throws Exception {
        GlobalOptions g = cli.global;
        List<Path> paths = new ArrayList<>();
        java.util.Set<String> skipped = new java.util.HashSet<>();
        if (stdinFromCommand) {
            if (args.isEmpty()) {
                throw new CliException("--stdin-from-command needs a command after '--'");
            }
            if (stdinFilename.isEmpty() || stdinFilename.contains("/")) {
                throw new CliException("--stdin-filename must be a plain file name: '" + stdinFilename + "'");
            }
        } else {
            if (args.isEmpty()) {
                throw new CliException("nothing to back up: give at least one PATH");
            }
            // as restic: a path that does not exist is named here and left out; the library reports it as an
            // error too, so the snapshot is marked incomplete and the exit code is 3
            int missing = 0;
            for (String a : args) {
                Path p = Path.of(a);
                if (!exists(p)) {
                    spec.commandLine().getErr().println(a + " does not exist, skipping");
                    skipped.add(p.toAbsolutePath().normalize().toString());
                    missing++;
                }
                paths.add(p);
            }
            if (missing == paths.size()) {
                throw new CliException("all target directories/files do not exist");
            }
        }
        if (limitUpload != null && limitUpload <= 0 || limitRead != null && limitRead <= 0) {
            throw new CliException("rate limits must be positive KiB/s");
        }
        Repository.Opener opener = limitUpload == null ? g.opener(cli)
                : g.opener(cli, be -> dev.backup4j.core.backend.Backends.limitUpload(be, limitUpload * 1024));
        boolean listenerPrintsErrors = false;
        try (Repository repo = opener.open()) {
            BackupCommand b = repo.backup();
            paths.forEach(b::path);
            if (stdinFromCommand) {
                b.source(dev.backup4j.core.snapshot.SnapshotSources.command("/" + stdinFilename, args,
                        java.time.Clock.systemDefaultZone()));
            }
            dev.backup4j.core.snapshot.LocalSourceOptions.Builder lo =
                    dev.backup4j.core.snapshot.LocalSourceOptions.builder().excludeAll(excludes);
            excludeIfPresent.forEach(lo::excludeIfPresent);
            if (excludeCaches) {
                lo.excludeCaches();
            }
            if (oneFileSystem) {
                lo.oneFileSystem();
            }
            if (followSymlinks) {
                lo.followSymlinks();
            }
            b.localOptions(lo.build());
            if (force) {
                b.force();
            }
            if (parent != null) {
                b.parent(repo.snapshot(parent).requireId());
            }
            if (workers != null) {
                if (workers < 1 || workers > 64) {
                    throw new CliException("--read-concurrency must be 1 to 64, got " + workers);
                }
                b.workers(workers);
            }
            if (limitRead != null) {
                b.limitReadBytesPerSecond(limitRead * 1024);
            }
            if (g.json) {
                b.listener(new JsonProgress(spec.commandLine().getOut()));
                listenerPrintsErrors = true;
            } else if (!quiet && System.console() != null) {
                b.listener(new TerminalProgress(spec.commandLine().getErr(), skipped));
                listenerPrintsErrors = true;
            }
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
            if (!listenerPrintsErrors) {
                for (BackupResult.BackupError e : r.errors()) {
                    if (!skipped.contains(e.path())) {
                        spec.commandLine().getErr().println(Errors.backupError(e.path(), e.message()));
                    }
                }
            }
            if (g.json) {
                ObjectNode o = JsonOut.object();
                o.put("message_type", "summary");
                o.put("files_new", r.filesNew());
                o.put("files_changed", r.filesChanged());
                o.put("files_unmodified", r.filesUnmodified());
                o.put("dirs_new", r.dirsNew());
                o.put("dirs_changed", r.dirsChanged());
                o.put("dirs_unmodified", r.dirsUnmodified());
                o.put("data_blobs", r.blobsAdded());
                o.put("data_added", r.bytesAdded());
                o.put("data_added_packed", r.bytesStored());
                o.put("total_files_processed", r.files());
                o.put("total_bytes_processed", r.bytesProcessed());
                o.put("bytes_read", r.bytesRead());
                o.put("total_duration", r.duration().toNanos() / 1e9);
                o.put("snapshot_id", r.snapshot().requireId().toString());
                o.put("errors", r.errors().size());
                JsonOut.print(spec, o);
            } else {
                out.printf("Files:       %5d new, %5d changed, %5d unmodified%n", r.filesNew(), r.filesChanged(),
                        r.filesUnmodified());
                out.printf("Dirs:        %5d new, %5d changed, %5d unmodified%n", r.dirsNew(), r.dirsChanged(),
                        r.dirsUnmodified());
                out.printf("Added to the repository: %s (%s stored)%n", Sizes.human(r.bytesAdded()),
                        Sizes.human(r.bytesStored()));
                out.printf("processed %d files, %s in %.1fs%n", r.files(), Sizes.human(r.bytesProcessed()),
                        r.duration().toMillis() / 1000.0);
                out.println("snapshot " + r.snapshot().requireId().shortString() + " saved");
            }
            if (r.incomplete()) {
                spec.commandLine().getErr().println("Warning: at least one source file could not be read;"
                        + " the snapshot is marked incomplete");
                return BackupCli.INCOMPLETE;
            }
        }
        return BackupCli.OK;
    }
}
