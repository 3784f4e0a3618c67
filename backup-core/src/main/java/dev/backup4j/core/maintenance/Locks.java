package dev.backup4j.core.maintenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.backend.StagingBackend;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.common.Json;
import dev.backup4j.core.common.RepositoryLockedException;
import dev.backup4j.core.repository.OpenRepository;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * restic's repository locks: lock files in {@code locks/}, shared for backup, restore and check, exclusive for
 * prune, forget and key removal. The library and restic 0.14 see each other's locks.
 *
 * <pre>{@code
 * Locks locks = Locks.on(repo);
 * try (RepositoryLock lock = locks.acquire(true, Duration.ofMinutes(5))) {   // exclusive, wait up to 5 min
 *     Prune.on(repo).run();
 * }
 * }</pre>
 *
 * <p>Rules, as restic 0.14: a lock file is JSON ({@code time, exclusive, hostname, username, pid, uid, gid}) stored
 * like other metadata; an exclusive lock conflicts with every other lock, a shared one with exclusive ones. After
 * writing its own lock file a process waits briefly and checks again, and backs off if a conflicting lock appeared.
 * A held lock is refreshed (a new file with the current time, then the old one removed) every 5 minutes; a lock is
 * stale when it was not refreshed for 30 minutes, or when it belongs to a process on this host that no longer
 * exists. Like restic 0.14, a stale lock still blocks until {@link #removeStale()} ({@code unlock}) removes it,
 * unless {@link Builder#ignoreStale(boolean)} says otherwise.
 *
 * <p>Thread-safe once built (its settings never change); its {@link Builder} is not. Each {@link RepositoryLock} is
 * thread-safe too (a scheduler refreshes it while the owner works).
 */
public final class Locks {
    private static final Logger LOG = LoggerFactory.getLogger(Locks.class);
    /** restic's stale timeout: a lock not refreshed for this long is stale. */
    public static final Duration STALE_TIMEOUT = Duration.ofMinutes(30);
    /** restic's refresh interval. */
    public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(5);
    /** restic's pause between writing a lock file and checking for conflicting locks. */
    public static final Duration DEFAULT_CHECK_DELAY = Duration.ofMillis(200);

    private final OpenRepository repo;
    private final String hostname;
    private final String username;
    private final long pid;
    private final long uid;
    private final long gid;
    private final LongPredicate processAlive;
    private final Duration waitBeforeCheck;
    private final Duration retryInterval;
    private final Duration refreshInterval;
    private final Optional<ScheduledExecutorService> scheduler;
    private final boolean ignoreStale;

    private Locks(Builder b) {
        this.repo = b.repo;
        this.hostname = b.hostname != null ? b.hostname : systemHostname();
        this.username = b.username != null ? b.username : System.getProperty("user.name", "");
        this.pid = b.pid != null ? b.pid : ProcessHandle.current().pid();
        long[] ids = uidGid();
        this.uid = ids[0];
        this.gid = ids[1];
        this.processAlive = b.processAlive != null ? b.processAlive
                : p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
        this.waitBeforeCheck = b.waitBeforeCheck;
        this.retryInterval = b.retryInterval;
        this.refreshInterval = b.refreshInterval;
        this.scheduler = Optional.ofNullable(b.scheduler);
        this.ignoreStale = b.ignoreStale;
    }

    /** Locks for {@code repo} for this process, with the repository's lock settings (restic's by default). */
    public static Locks on(OpenRepository repo) {
        return builder(repo).build();
    }

    /**
     * As {@link #acquireUnconfirmed(boolean)}, retrying while a conflicting lock exists for at most {@code timeout};
     * a shared lock's confirmation also waits that long for an exclusive lock that raced with it to back off.
     *
     * @throws RepositoryLockedException if a conflicting lock is still there when the timeout is over
     */
    public RepositoryLock acquireUnconfirmed(boolean exclusive, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return retrying(deadline, () -> acquireUnconfirmed(exclusive,
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), true));
    }

    /** An attempt at a lock. */
    private interface Attempt {
        RepositoryLock run() throws IOException;
    }

    /** Repeats {@code attempt} while a conflicting lock exists, until {@code deadline} ({@link System#nanoTime}). */
    private RepositoryLock retrying(long deadline, Attempt attempt) throws IOException {
        while (true) {
            try {
                return attempt.run();
            } catch (RepositoryLockedException e) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw e;
                }
                LOG.info("{}; retrying", e.getMessage());
                sleep(Duration.ofNanos(Math.min(left, retryInterval.toNanos())));
            }
        }
    }

    /** Starts configuring locks for {@code repo} (for tests: host, pid, scheduler, timings). */
    public static Builder builder(OpenRepository repo) {
        return new Builder(Objects.requireNonNull(repo, "repo"));
    }

    /**
     * Takes a lock, failing at once if a conflicting lock exists.
     *
     * @throws RepositoryLockedException if another process holds a conflicting lock
     */
    public RepositoryLock acquire(boolean exclusive) throws IOException {
        return acquire(exclusive, Duration.ZERO);
    }

    /**
     * Takes a lock, retrying while a conflicting lock exists for at most {@code timeout}.
     *
     * @throws RepositoryLockedException if a conflicting lock is still there when the timeout is over
     */
    public RepositoryLock acquire(boolean exclusive, Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        return retrying(System.nanoTime() + timeout.toNanos(), () -> tryAcquire(exclusive));
    }

    /**
     * Takes a lock like {@link #acquire(boolean)}, but returns as soon as the lock file is written: the second check
     * (after the pause in which a racing process's lock file becomes visible) is left to
     * {@link RepositoryLock#confirm()}, so the pause overlaps the caller's own work. Call {@code confirm()} before
     * writing anything that must not outlive a conflicting lock, e.g. before a backup saves its snapshot. Safe
     * because the other process makes the same check after its own pause, so of two racing processes at least one
     * backs off before it removes or references anything.
     *
     * @throws RepositoryLockedException if another process already holds a conflicting lock
     */
    public RepositoryLock acquireUnconfirmed(boolean exclusive) throws IOException {
        return acquireUnconfirmed(exclusive, Duration.ZERO, false);
    }

    /**
     * The lock file, and the check left for {@link RepositoryLock#confirm()}. A shared lock whose check finds an
     * exclusive lock written meanwhile keeps its own lock file and checks again until {@code wait} is over: the
     * exclusive locker saw (or will see) this lock in its own check and backs off, as exclusive lockers always
     * release theirs on a conflict. Waiting while holding is safe only on that side, so exclusive lockers do not.
     */
    private RepositoryLock acquireUnconfirmed(boolean exclusive, Duration wait, boolean waitAtCheck)
            throws IOException {
        checkOthers(exclusive, Optional.empty());
        Id id = write(exclusive);
        long checkAt = System.nanoTime() + waitBeforeCheck.toNanos();
        RepositoryLock lock = new RepositoryLock(this, id, exclusive, scheduler, refreshInterval);
        lock.checkLater(() -> {
            long left = checkAt - System.nanoTime();
            if (left > 0) {
                sleep(Duration.ofNanos(left));
            }
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                try {
                    checkOthers(exclusive, Optional.of(lock.id()));
                    return;
                } catch (RepositoryLockedException e) {
                    long rest = deadline - System.nanoTime();
                    if (!waitAtCheck || exclusive || rest <= 0) {
                        throw e;
                    }
                    LOG.info("{}; keeping this shared lock and checking again", e.getMessage());
                    sleep(Duration.ofNanos(Math.min(rest, retryInterval.toNanos())));
                }
            }
        });
        return lock;
    }

    private RepositoryLock tryAcquire(boolean exclusive) throws IOException {
        RepositoryLock lock = acquireUnconfirmed(exclusive);
        lock.confirm(); // releases the lock if a conflicting one appeared
        LOG.debug("acquired {} lock {}", exclusive ? "exclusive" : "shared", lock.id().shortString());
        return lock;
    }

    private void checkOthers(boolean exclusive, Optional<Id> own) throws IOException {
        for (LockInfo other : list()) {
            if (own.isPresent() && other.id().equals(own.get())) {
                continue;
            }
            if (ignoreStale && other.stale()) {
                continue;
            }
            if (exclusive || other.exclusive()) {
                throw new RepositoryLockedException("repository is already locked " + (other.exclusive()
                        ? "exclusively " : "") + "by " + other.describe(OffsetDateTime.now(repo.clock()))
                        + (other.stale() ? "; the lock is stale: remove it with unlock"
                        : "; wait, or if that process is gone run unlock"));
            }
        }
    }

    /** Writes a lock file with the current time; returns its id. */
    Id write(boolean exclusive) throws IOException {
        if (repo.ignoreSighup() && pid == ProcessHandle.current().pid()) {
            Sighup.ignore();
        }
        byte[] json = Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("time", Json.formatTime(OffsetDateTime.now(repo.clock())));
            g.writeBooleanField("exclusive", exclusive);
            g.writeStringField("hostname", hostname);
            g.writeStringField("username", username);
            g.writeNumberField("pid", pid);
            if (uid != 0) {
                g.writeNumberField("uid", uid);
            }
            if (gid != 0) {
                g.writeNumberField("gid", gid);
            }
            g.writeEndObject();
        });
        return repo.saveJson(FileType.LOCK, json);
    }

    void delete(Id id) throws IOException {
        repo.backend().delete(Handle.of(FileType.LOCK, id));
    }

    /**
     * The lock files in the repository, oldest first. Files that vanish while being read (a refresh) or cannot be
     * decoded are skipped, as restic does.
     */
    public List<LockInfo> list() throws IOException {
        List<LockInfo> out = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(repo.clock());
        for (FileInfo f : repo.backend().list(FileType.LOCK)) {
            if (!Id.isValid(f.name())) {
                continue;
            }
            Id id = Id.parse(f.name());
            try {
                out.add(parse(id, repo.loadJson(Handle.of(FileType.LOCK, id)), now));
            } catch (NoSuchFileException e) {
                // refreshed or released meanwhile
            } catch (CorruptDataException e) {
                LOG.warn("ignoring unreadable lock {}: {}", id.shortString(), e.getMessage());
            }
        }
        out.sort(Comparator.comparing(LockInfo::time).thenComparing(LockInfo::id));
        return out;
    }

    private LockInfo parse(Id id, byte[] json, OffsetDateTime now) throws CorruptDataException {
        String what = "lock " + id.shortString();
        JsonNode n = Json.parse(json, what);
        OffsetDateTime time = Json.parseTime(Json.text(n, "time", what), what);
        String host = Json.optText(n, "hostname");
        long lockPid = Json.optLong(n, "pid");
        boolean stale = Duration.between(time, now).compareTo(STALE_TIMEOUT) > 0
                || (host.equals(hostname) && !processAlive.test(lockPid));
        return new LockInfo(id, time, n.path("exclusive").asBoolean(false), host, Json.optText(n, "username"),
                lockPid, Json.optLong(n, "uid"), Json.optLong(n, "gid"), stale);
    }

    /** Removes the stale locks (what {@code restic unlock} does); returns them. */
    public List<LockInfo> removeStale() throws IOException {
        List<LockInfo> removed = new ArrayList<>();
        for (LockInfo l : list()) {
            if (l.stale()) {
                try {
                    delete(l.id());
                    removed.add(l);
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        }
        return removed;
    }

    /**
     * Removes the staging files that backups killed mid-run left behind, when no backup can still be writing them
     * (see {@link StagingBackend}; neither this library nor restic lists them, and {@code restic check} ignores
     * them). For a caller that holds an exclusive lock, or none; the rule is at
     * {@link #removeAbandonedStagingFiles(RepositoryLock)}.
     *
     * @return the staging files removed (none if the backend keeps no staging files)
     */
    public List<Path> removeAbandonedStagingFiles() throws IOException {
        return removeAbandonedStagingFiles(Optional.empty());
    }

    /**
     * As {@link #removeAbandonedStagingFiles()}, for the holder of the shared lock {@code own}, which is not counted
     * as a backup that may be writing: call it before this process writes any staging file under {@code own}, as a
     * backup does first thing.
     *
     * <p>Why it is safe: a backup writes its shared lock before its first staging file and holds it until its last
     * one is gone. The staging files are listed first, the locks after; if no other shared lock is then held
     * (exclusive ones are prune, forget and key removal, which write none) except stale ones (their process gone
     * from this host, or not refreshed for 30 minutes: what restic calls stale), every staging file listed belongs to
     * a backup that has ended or died. Anything less certain (another live shared lock, or a lock file that vanished
     * or could not be read while the locks were listed, as a refresh can make it) leaves every staging file in
     * place for a later backup or prune.
     *
     * @return the staging files removed
     */
    public List<Path> removeAbandonedStagingFiles(RepositoryLock own) throws IOException {
        return removeAbandonedStagingFiles(Optional.of(own.id()));
    }

    private List<Path> removeAbandonedStagingFiles(Optional<Id> own) throws IOException {
        if (!(repo.backend() instanceof StagingBackend staging)) {
            return List.of();
        }
        List<Path> files = staging.stagingFiles(); // before the locks: each was made under a lock written already
        if (files.isEmpty()) {
            return List.of();
        }
        OffsetDateTime now = OffsetDateTime.now(repo.clock());
        for (FileInfo f : repo.backend().list(FileType.LOCK)) {
            if (!Id.isValid(f.name()) || own.isPresent() && own.get().toString().equals(f.name())) {
                continue;
            }
            Id id = Id.parse(f.name());
            LockInfo other;
            try {
                other = parse(id, repo.loadJson(Handle.of(FileType.LOCK, id)), now);
            } catch (NoSuchFileException | CorruptDataException e) {
                // refreshed meanwhile (its successor may not have been listed), or unreadable: cannot tell
                LOG.debug("keeping {} staging files: lock {} could not be read", files.size(), id.shortString());
                return List.of();
            }
            if (!other.exclusive() && !other.stale()) {
                LOG.debug("keeping {} staging files: {} may be writing them", files.size(),
                        other.describe(now));
                return List.of();
            }
        }
        List<Path> removed = new ArrayList<>();
        for (Path p : files) {
            if (Files.deleteIfExists(p)) {
                removed.add(p);
            }
        }
        if (!removed.isEmpty()) {
            LOG.info("removed {} staging files left by interrupted backups", removed.size());
        }
        return removed;
    }

    /** Removes every lock, including live ones ({@code unlock --remove-all}); returns their ids. */
    public List<Id> removeAll() throws IOException {
        Set<Id> removed = new HashSet<>();
        for (FileInfo f : repo.backend().list(FileType.LOCK)) {
            if (Id.isValid(f.name())) {
                try {
                    delete(Id.parse(f.name()));
                    removed.add(Id.parse(f.name()));
                } catch (NoSuchFileException e) {
                    // gone meanwhile
                }
            }
        }
        return removed.stream().sorted().toList();
    }

    /** The host name written into lock files; stale detection by process id applies to locks of this host. */
    public String hostname() {
        return hostname;
    }

    private static void sleep(Duration d) throws IOException {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a lock");
        }
    }

    /** The host name as Go's {@code os.Hostname()} gives it, so restic can judge our locks by process id. */
    static String systemHostname() {
        try {
            String s = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!s.isEmpty()) {
                return s;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static long[] uidGid() {
        try {
            Path self = Path.of("/proc/self");
            return new long[] {((Number) Files.getAttribute(self, "unix:uid")).longValue(),
                ((Number) Files.getAttribute(self, "unix:gid")).longValue()};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Options for {@link Locks}. Each may be set once. Not thread-safe: configure and build it on one thread. */
    public static final class Builder {
        private final OpenRepository repo;
        private final Set<String> set = new HashSet<>();
        private String hostname;
        private String username;
        private Long pid;
        private LongPredicate processAlive;
        private Duration waitBeforeCheck;
        private Duration retryInterval = Duration.ofSeconds(1);
        private Duration refreshInterval = REFRESH_INTERVAL;
        private ScheduledExecutorService scheduler;
        private boolean ignoreStale;

        private Builder(OpenRepository repo) {
            this.repo = repo;
            this.waitBeforeCheck = repo.lockCheckDelay();
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /** The host name recorded in lock files (default: this machine's, as restic reads it). */
        public Builder hostname(String name) {
            once("hostname");
            this.hostname = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The user name recorded in lock files (default: the {@code user.name} property). */
        public Builder username(String name) {
            once("username");
            this.username = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The process id recorded in lock files (default: this JVM's). */
        public Builder pid(long processId) {
            once("pid");
            this.pid = processId;
            return this;
        }

        /** How to tell whether a process on this host is alive (default: {@link ProcessHandle}). */
        public Builder processAlive(LongPredicate alive) {
            once("processAlive");
            this.processAlive = Objects.requireNonNull(alive, "alive");
            return this;
        }

        /** The pause between writing a lock file and checking for conflicting ones (default 200 ms, as restic). */
        public Builder waitBeforeCheck(Duration d) {
            once("waitBeforeCheck");
            this.waitBeforeCheck = nonNegative(d);
            return this;
        }

        /** The pause between attempts while waiting for a lock (default 1 s). */
        public Builder retryInterval(Duration d) {
            once("retryInterval");
            this.retryInterval = nonNegative(d);
            return this;
        }

        /** How often a held lock is refreshed (default 5 minutes, as restic). */
        public Builder refreshInterval(Duration d) {
            once("refreshInterval");
            if (nonNegative(d).isZero()) {
                throw new IllegalArgumentException("the refresh interval must be positive");
            }
            this.refreshInterval = d;
            return this;
        }

        /**
         * The scheduler that runs refreshes (default: one daemon thread per held lock). The caller owns it and shuts
         * it down.
         */
        public Builder scheduler(ScheduledExecutorService s) {
            once("scheduler");
            this.scheduler = Objects.requireNonNull(s, "s");
            return this;
        }

        /** Whether stale locks are ignored when acquiring (default false: like restic 0.14, they block). */
        public Builder ignoreStale(boolean ignore) {
            once("ignoreStale");
            this.ignoreStale = ignore;
            return this;
        }

        /** The configured locks. */
        public Locks build() {
            return new Locks(this);
        }

        private static Duration nonNegative(Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative()) {
                throw new IllegalArgumentException("duration must not be negative: " + d);
            }
            return d;
        }
    }
}
