package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, before or after its name (as restic's global flags). */
final class GlobalOptions {
    @Option(names = {"-r", "--repo"}, scope = ScopeType.INHERIT, paramLabel = "REPOSITORY",
            description = "Repository: a directory, sftp:user@host:/path or sftp://user@host:port//path"
                    + " (default: $BACKUP_REPOSITORY).")
    String repo;

    @Option(names = {"-p", "--password-file"}, scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Read the repository password from FILE (default: $BACKUP_PASSWORD).")
    Path passwordFile;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--ssh-identity", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Private key for sftp: repositories (default: the ssh-agent and ~/.ssh/id_*).")
    Path sshIdentity;

    @Option(names = "--ssh-known-hosts", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "known_hosts file for sftp: repositories (default: ~/.ssh/known_hosts).")
    Path sshKnownHosts;

    @Option(names = "--append-only", scope = ScopeType.INHERIT, description = "Open the repository append-only: "
            + "nothing but this run's lock files is deleted or overwritten; forget, prune and key removal refuse.")
    boolean appendOnly;

    @Option(names = "--object-lock-days", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "s3: write every object but lock files with an S3 Object Lock retention of N days "
                    + "(the bucket needs Object Lock; mode from --object-lock-mode).")
    Integer objectLockDays;

    @Option(names = "--object-lock-mode", scope = ScopeType.INHERIT, paramLabel = "MODE", defaultValue = "governance",
            description = "governance or compliance. Default: ${DEFAULT-VALUE}.")
    String objectLockMode;

    @Option(names = "--cache-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Local cache directory (default: $BACKUP_CACHE_DIR, else $XDG_CACHE_HOME/backup4j, else"
                    + " ~/.cache/backup4j).")
    Path cacheDir;

    @Option(names = "--no-cache", scope = ScopeType.INHERIT, description = "Use no local cache.")
    boolean noCache;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean verbose;

    String repoLocation(BackupCli cli) {
        String r = repo != null ? repo : cli.env.get("BACKUP_REPOSITORY");
        if (r == null || r.isBlank()) {
            throw new CliException("no repository given: use --repo DIR or set BACKUP_REPOSITORY");
        }
        return r;
    }

    Backend backend(BackupCli cli) throws IOException {
        String r = repoLocation(cli);
        dev.backup4j.core.backend.RepositoryLocation loc;
        try {
            loc = dev.backup4j.core.backend.RepositoryLocation.parse(r);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        switch (loc.kind()) {
            case REST -> {
                return Backends.rest(loc.uri());
            }
            case S3 -> {
                return S3Support.backend(loc.spec(), cli.env, objectLockDays, objectLockMode);
            }
            case LOCAL -> r = loc.spec();
            default -> {
            }
        }
        if (SftpSupport.isSftp(r)) {
            try {
                return SftpSupport.backend(r, sshIdentity, sshKnownHosts);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        Path dir = Path.of(r);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CliException("repository " + dir + " exists and is not a directory");
        }
        return Backends.local(dir);
    }

    char[] password(BackupCli cli) throws IOException {
        if (passwordFile != null) {
            String s = Files.readString(passwordFile, StandardCharsets.UTF_8);
            // like restic: the first line of the file is the password
            int nl = s.indexOf('\n');
            return (nl >= 0 ? s.substring(0, nl) : s).replace("\r", "").toCharArray();
        }
        String env = cli.env.get("BACKUP_PASSWORD");
        if (env != null) {
            return env.toCharArray();
        }
        if (System.console() != null) {
            char[] pw = System.console().readPassword("enter password for repository: ");
            if (pw != null) {
                return pw;
            }
        }
        throw new CliException("no password given: set BACKUP_PASSWORD or use --password-file FILE");
    }

    Repository.Opener opener(BackupCli cli) throws IOException {
        return opener(cli, java.util.function.UnaryOperator.identity());
    }

    /** An opener whose backend is first wrapped by {@code decorate} (rate limits, ...). */
    Repository.Opener opener(BackupCli cli, java.util.function.UnaryOperator<Backend> decorate) throws IOException {
        // a command that never needs the index (snapshots) does not wait for it; a backup walks while it loads
        // restic unlock on this host sends SIGHUP to every process holding a lock here: a CLI must survive it
        Repository.Opener o = Repository.at(decorate.apply(backend(cli))).password(password(cli))
                .loadIndexInBackground().ignoreSighup(true);
        cacheDir(cli).ifPresent(o::cacheDir);
        o.lockWait(MaintenanceSupport.lockWait(cli));
        if (appendOnly) {
            o.appendOnly();
        }
        String host = cli.env.get("BACKUP_HOSTNAME");
        if (host != null && !host.isBlank()) {
            o.hostname(host);
        }
        return o;
    }

    /** Where the local cache goes, as restic chooses its own: flag, then environment, then the XDG default. */
    java.util.Optional<Path> cacheDir(BackupCli cli) {
        if (noCache) {
            return java.util.Optional.empty();
        }
        if (cacheDir != null) {
            return java.util.Optional.of(cacheDir);
        }
        String env = cli.env.get("BACKUP_CACHE_DIR");
        if (env != null && !env.isBlank()) {
            return java.util.Optional.of(Path.of(env));
        }
        String xdg = cli.env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return java.util.Optional.of(Path.of(xdg, "backup4j"));
        }
        String home = cli.env.get("HOME");
        return home == null || home.isBlank() ? java.util.Optional.empty()
                : java.util.Optional.of(Path.of(home, ".cache", "backup4j"));
    }

    Repository open(BackupCli cli) throws IOException {
        return opener(cli).open();
    }
}
