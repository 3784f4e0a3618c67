package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.restore.SnapshotDump;
import dev.backup4j.core.restore.SnapshotSelector;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dump SNAPSHOT PATH}: a file's content, or a directory as a tar archive, to stdout or {@code --target}. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print a file of a snapshot to stdout; a directory (or / for all) is written as a tar archive.")
final class DumpCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique id prefix, or 'latest'.")
    String snapshot;

    @Parameters(index = "1", paramLabel = "PATH", description = "Path in the snapshot; '/' for the whole snapshot.")
    String path;

    @Option(names = {"-a", "--archive"}, paramLabel = "FORMAT", defaultValue = "tar",
            description = "Archive format for directories: tar (the only one). Default: ${DEFAULT-VALUE}.")
    String archive;

    @Option(names = {"-t", "--target"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
    Path target;

    @Option(names = {"-H", "--host"}, paramLabel = "HOST", description = "Only consider snapshots of this host.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG", description = "Only consider snapshots with this tag.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "Only consider snapshots that include this path.")
    List<String> paths = new ArrayList<>();

    @Option(names = "--no-lock", description = "Do not take a shared lock on the repository.")
    boolean noLock;

    @Override
    public Integer call() throws Exception {
        if (!archive.equals("tar")) {
            throw new CliException("--archive must be tar, not '" + archive + "'");
        }
        SnapshotSelector sel = SnapshotSelector.parse(snapshot);
        for (String h : hosts) {
            sel = sel.withHost(h);
        }
        for (String t : tags) {
            sel = sel.withTag(t);
        }
        for (String p : paths) {
            sel = sel.withPath(p);
        }
        try (Repository repo = cli.global.open(cli); RepositoryLock lock = noLock ? null : Locks.on(repo).acquire(false)) {
            if (target != null) {
                Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    SnapshotDump.write(repo, sel, path, out);
                } catch (Exception e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                SnapshotDump.write(repo, sel, path, System.out);
                System.out.flush();
            }
        }
        return BackupCli.OK;
    }
}
