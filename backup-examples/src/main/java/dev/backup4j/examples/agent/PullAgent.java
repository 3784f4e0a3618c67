package dev.backup4j.examples.agent;

import dev.backup4j.core.BackupCommand;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.maintenance.Forget;
import dev.backup4j.core.maintenance.ForgetResult;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.core.maintenance.PruneResult;
import dev.backup4j.core.maintenance.RepositoryLock;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.RetentionPresets;
import dev.backup4j.ssh.RemoteSources;
import dev.backup4j.ssh.SshConfig;
import dev.backup4j.ssh.SshConnection;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls an application server's files and database dump over SSH into a repository, then forgets and prunes by a
 * retention calendar (default: the LMS hosting policy, the last backup of each of 7 days, 3 weeks and 3 months).
 *
 * <pre>{@code
 * PullAgent agent = PullAgent.builder()
 *         .appServer(SshConfig.builder("backup", "app1.example.net").identityFile(key).knownHostsFile(kh).build())
 *         .pull("/var/www/lms").exclude("moodledata/cache")
 *         .dump("/db/lms.sql", "mysqldump --single-transaction lms")
 *         .repository(() -> Repository.at(Backends.local(Path.of("/srv/backups/lms"))).password(pw))
 *         .clock(Clock.system(ZoneId.of("Europe/Brussels")))
 *         .build();
 * agent.scheduleNightly(LocalTime.of(2, 0), scheduler);
 * }</pre>
 */
public final class PullAgent {
    private static final Logger LOG = LoggerFactory.getLogger(PullAgent.class);

    /** What one night did. */
    public record Run(BackupResult backup, ForgetResult forget, PruneResult prune) {
    }

    private final SshConfig appServer;
    private final List<String> pulls;
    private final List<String> excludes;
    private final List<String[]> dumps;
    private final Supplier<Repository.Opener> repository;
    private final Clock clock;
    private final RetentionPolicy policy;
    private final String host;

    private PullAgent(Builder b) {
        this.appServer = b.appServer;
        this.pulls = List.copyOf(b.pulls);
        this.excludes = List.copyOf(b.excludes);
        this.dumps = List.copyOf(b.dumps);
        this.repository = b.repository;
        this.clock = b.clock;
        this.policy = b.policy != null ? b.policy : RetentionPresets.daily7Weekly3Monthly3(b.clock.getZone());
        this.host = b.host != null ? b.host : b.appServer.toString();
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One night's work: back up (files and dumps in one snapshot), then forget by the policy and prune.
     * A failing dump fails the night: no snapshot claims a complete backup, and nothing is forgotten.
     */
    public Run runOnce() throws IOException {
        try (SshConnection ssh = SshConnection.open(appServer);
                Repository repo = repository.get().clock(clock).open()) {
            BackupCommand backup = repo.backup().host(host).tag("nightly");
            for (String p : pulls) {
                RemoteSources.DirectoryBuilder d = RemoteSources.directory(ssh, p);
                excludes.forEach(d::exclude);
                backup.source(d.build());
            }
            for (String[] dump : dumps) {
                backup.source(RemoteSources.command(ssh, dump[1]).path(dump[0]).build());
            }
            BackupResult b = backup.run();
            try (RepositoryLock lock = Locks.on(repo).acquire(true, Duration.ofMinutes(10))) {
                ForgetResult f = Forget.on(repo).policy(policy).lock(lock).run();
                PruneResult p = Prune.on(repo).lock(lock).run();
                LOG.info("night done: snapshot {}, {} kept, {} forgotten, {} bytes freed",
                        b.snapshot().requireId().shortString(), f.kept().size(), f.removed().size(), p.bytesFreed());
                return new Run(b, f, p);
            }
        }
    }

    /** Runs {@link #runOnce()} every day at {@code time} in the clock's zone; a failed night is logged, not fatal. */
    public ScheduledFuture<?> scheduleNightly(LocalTime time, ScheduledExecutorService scheduler) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        ZonedDateTime next = now.with(time);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        long delay = Duration.between(now, next).toMillis();
        return scheduler.scheduleAtFixedRate(() -> {
            try {
                runOnce();
            } catch (IOException | RuntimeException e) {
                LOG.error("nightly backup failed: {}", e.getMessage(), e);
            }
        }, delay, TimeUnit.DAYS.toMillis(1), TimeUnit.MILLISECONDS);
    }

    /** Builds a {@link PullAgent}. */
    public static final class Builder {
        private SshConfig appServer;
        private final List<String> pulls = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private final List<String[]> dumps = new ArrayList<>();
        private Supplier<Repository.Opener> repository;
        private Clock clock = Clock.systemDefaultZone();
        private RetentionPolicy policy;
        private String host;

        private Builder() {
        }

        /** The application server to pull from (required). */
        public Builder appServer(SshConfig config) {
            this.appServer = Objects.requireNonNull(config, "config");
            return this;
        }

        /** A remote directory to pull. */
        public Builder pull(String remotePath) {
            pulls.add(Objects.requireNonNull(remotePath, "remotePath"));
            return this;
        }

        /** Leaves out remote entries matching a glob. */
        public Builder exclude(String glob) {
            excludes.add(Objects.requireNonNull(glob, "glob"));
            return this;
        }

        /** A remote command whose output is stored at {@code path} (e.g. {@code /db/lms.sql}). */
        public Builder dump(String path, String command) {
            dumps.add(new String[] {Objects.requireNonNull(path, "path"), Objects.requireNonNull(command, "command")});
            return this;
        }

        /** Opens the local repository each night (required). */
        public Builder repository(Supplier<Repository.Opener> opener) {
            this.repository = Objects.requireNonNull(opener, "opener");
            return this;
        }

        /** The clock: snapshot times and the retention calendar's zone. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The retention policy (default: the LMS preset in the clock's zone). */
        public Builder policy(RetentionPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The host name recorded in snapshots (default: the SSH target). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The agent.
         *
         * @throws IllegalStateException without an app server, a repository, or anything to pull
         */
        public PullAgent build() {
            if (appServer == null || repository == null) {
                throw new IllegalStateException("appServer(...) and repository(...) are required");
            }
            if (pulls.isEmpty() && dumps.isEmpty()) {
                throw new IllegalStateException("nothing to pull: add pull(...) or dump(...)");
            }
            return new PullAgent(this);
        }
    }
}
