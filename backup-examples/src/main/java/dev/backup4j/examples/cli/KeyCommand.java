package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.backup4j.core.KeyInfo;
import dev.backup4j.core.Repository;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.maintenance.RepositoryLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code key list|add|remove ID|passwd [--new-password-file FILE]}, as restic. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Manage keys (passwords).")
final class KeyCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    BackupCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "list|add|remove|passwd")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID")
    String id;

    @Option(names = "--new-password-file", paramLabel = "FILE", description = "New password (default: "
            + "$BACKUP_NEW_PASSWORD).")
    Path newPasswordFile;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        switch (action) {
            case "list" -> {
                try (Repository repo = cli.global.open(cli)) {
                    List<KeyInfo> keys = repo.keys();
                    if (cli.global.json) {
                        ArrayNode a = JsonOut.array();
                        for (KeyInfo k : keys) {
                            a.addObject().put("current", k.current()).put("id", k.id().shortString())
                                    .put("userName", k.username()).put("hostName", k.hostname())
                                    .put("created", created(k));
                        }
                        JsonOut.print(spec, a);
                    } else {
                        out.printf(" %-9s %-10s %-20s %s%n", "ID", "User", "Host", "Created");
                        out.println("-".repeat(60));
                        for (KeyInfo k : keys) {
                            out.printf("%s%-9s %-10s %-20s %s%n", k.current() ? "*" : " ", k.id().shortString(),
                                    k.username(), k.hostname(), created(k));
                        }
                    }
                }
            }
            case "add", "passwd" -> {
                char[] pw = newPassword();
                try (Repository repo = cli.global.open(cli)) { // the library locks (exclusive for passwd)
                    Id k = action.equals("add") ? repo.addKey(pw) : repo.changePassword(pw);
                    out.println(action.equals("add") ? "saved new key as <Key of " + k.shortString() + ">"
                            : "saved new key as " + k.shortString());
                }
            }
            case "remove" -> {
                if (id == null) {
                    throw new CliException("key remove needs the ID of the key to remove (see key list)");
                }
                try (Repository repo = cli.global.open(cli)) { // removeKey takes an exclusive lock
                    List<KeyInfo> keys = repo.keys();
                    List<KeyInfo> match = keys.stream().filter(k -> k.id().toString().startsWith(id.toLowerCase(
                            java.util.Locale.ROOT))).toList();
                    if (match.size() != 1) {
                        throw new CliException(match.isEmpty() ? "no key matches '" + id + "'"
                                : "'" + id + "' matches " + match.size() + " keys; give more digits");
                    }
                    if (keys.size() == 1) {
                        throw new CliException("refusing to remove the last key: the repository would be lost");
                    }
                    repo.removeKey(match.get(0).id());
                    out.println("removed key " + match.get(0).id());
                }
            }
            default -> throw new CliException("unknown key action '" + action + "': use list, add, remove or passwd");
        }
        return BackupCli.OK;
    }

    private static String created(KeyInfo k) {
        return TIME.format(k.created().atZoneSameInstant(ZoneId.systemDefault()));
    }

    private char[] newPassword() throws java.io.IOException {
        if (newPasswordFile != null) {
            return Files.readString(newPasswordFile, StandardCharsets.UTF_8).strip().toCharArray();
        }
        String env = cli.env.get("BACKUP_NEW_PASSWORD");
        if (env == null) {
            throw new CliException("no new password: use --new-password-file FILE or set BACKUP_NEW_PASSWORD");
        }
        return env.toCharArray();
    }
}
