package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.maintenance.Copy;
import dev.backup4j.core.maintenance.CopyResult;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.core.snapshot.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code --repo DEST copy --from-repo SRC [--from-password-file FILE] [SNAPSHOT...]}, as restic. */
@Command(name = "copy", mixinStandardHelpOptions = true, description = "Copy snapshots from another repository.")
final class CopyCommand implements Callable<Integer> {
    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--from-repo", required = true, paramLabel = "REPOSITORY", description = "Source repository.")
    String fromRepo;

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "Source password file (default: $BACKUP_FROM_PASSWORD).")
    Path fromPasswordFile;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*", description = "Snapshots to copy (default: all).")
    List<String> ids = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        char[] pw;
        if (fromPasswordFile != null) {
            String s = Files.readString(fromPasswordFile, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            pw = (nl >= 0 ? s.substring(0, nl) : s).replace("\r", "").toCharArray();
        } else if (cli.env.get("BACKUP_FROM_PASSWORD") != null) {
            pw = cli.env.get("BACKUP_FROM_PASSWORD").toCharArray();
        } else {
            throw new CliException("no source password: set BACKUP_FROM_PASSWORD or use --from-password-file FILE");
        }
        try (Repository src = Repository.at(Backends.local(Path.of(fromRepo))).password(pw).ignoreSighup(true)
                        .open();
                Repository dst = cli.global.open(cli)) {
            Copy c = Copy.from(src).to(dst);
            if (!ids.isEmpty()) {
                List<Snapshot> which = new ArrayList<>();
                for (String id : ids) {
                    which.add(src.snapshot(id));
                }
                c.snapshots(which);
            }
            CopyResult r = c.run();
            if (cli.global.json) {
                ObjectNode o = JsonOut.object();
                ArrayNode copied = o.putArray("copied");
                r.copied().forEach((from, to) -> copied.addObject().put("source", from.toString())
                        .put("snapshot_id", to.toString()));
                ArrayNode skipped = o.putArray("skipped");
                r.skipped().forEach(s -> skipped.add(s.toString()));
                o.put("blobs_copied", r.blobsCopied());
                o.put("bytes_copied", r.bytesCopied());
                JsonOut.print(spec, o);
            } else {
                var out = spec.commandLine().getOut();
                r.copied().forEach((from, to) -> out.println("snapshot " + from.shortString() + " saved as "
                        + to.shortString()));
                r.skipped().forEach(s -> out.println("skipping snapshot " + s.shortString()
                        + ", was already copied"));
                out.println(r.blobsCopied() + " blobs copied (" + Sizes.human(r.bytesCopied()) + ")");
            }
        }
        return BackupCli.OK;
    }
}
