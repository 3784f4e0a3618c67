package dev.backup4j.ops.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.ops.drill.OpsJournal;
import dev.backup4j.ops.drill.RepositoryRecords;
import dev.backup4j.ops.drill.RestoreDrill;
import dev.backup4j.ops.drill.SnapshotPick;
import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.event.OpsListener;
import dev.backup4j.ops.history.FileCatalog;
import dev.backup4j.ops.monitor.AlertSinks;
import dev.backup4j.ops.monitor.Alerts;
import dev.backup4j.ops.monitor.OpsMetrics;
import dev.backup4j.ops.monitor.PrometheusFile;
import dev.backup4j.ops.schedule.CatchUp;
import dev.backup4j.ops.schedule.Job;
import dev.backup4j.ops.schedule.JobTask;
import dev.backup4j.ops.schedule.Scheduler;
import dev.backup4j.ops.schedule.StateStore;
import dev.backup4j.ops.schedule.Waiter;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.RetentionPresets;
import dev.backup4j.retention.VersionRule;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs of an {@link AgentConfig}: opens its repositories once, builds a {@link Scheduler} with one job per
 * config entry ({@link Tasks}), and wires metrics ({@link OpsMetrics}, the Prometheus file after every run), alerts
 * ({@link Alerts} with the configured sinks) and the drill journal. {@link #run} runs in the foreground until
 * {@link #shutdown}; {@link #close()} closes the repositories (their locks are released by the jobs themselves).
 *
 * <pre>{@code
 * try (Agent agent = Agent.builder(AgentConfig.read(Path.of("agent.json"))).clock(Clock.systemUTC()).start()) {
 *     Runtime.getRuntime().addShutdownHook(new Thread(() -> agent.shutdown(Duration.ofMinutes(2))));
 *     agent.run(Waiter.realTime(Clock.systemUTC()));
 * }
 * }</pre>
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final Map<String, Repository> repos;
    private final Scheduler scheduler;
    private final OpsMetrics metrics = new OpsMetrics();
    private final Alerts alerts;
    private final Optional<OpsJournal> journal;
    private final List<OpsEvent> events = new ArrayList<>();
    private final boolean keepEvents;
    private volatile boolean closed;

    private Agent(Builder b, Map<String, Repository> repos) {
        this.config = b.config;
        this.repos = repos;
        this.journal = config.journal().map(OpsJournal::at);
        this.keepEvents = b.keepEvents;
        Alerts.Builder ab = Alerts.builder();
        config.alerts().webhook().ifPresent(u -> ab.sink(AlertSinks.webhook(URI.create(u))));
        if (!config.alerts().command().isEmpty()) {
            ab.sink(AlertSinks.command(config.alerts().command()));
        }
        if (config.alerts().log()) {
            ab.sink(AlertSinks.log());
        }
        this.alerts = ab.build();
        List<OpsListener> listeners = new ArrayList<>();
        listeners.add(metrics);
        listeners.add(alerts);
        config.metrics().ifPresent(file -> listeners.add(e -> {
            if (e instanceof OpsEvent.JobFinished || e instanceof OpsEvent.JobFailed) {
                try {
                    PrometheusFile.write(metrics, file);
                } catch (IOException ex) {
                    LOG.warn("cannot write metrics to {}: {}", file, ex.toString());
                }
            }
        }));
        if (keepEvents) {
            listeners.add(e -> {
                synchronized (events) {
                    events.add(e);
                }
            });
        }
        listeners.addAll(b.listeners);
        Scheduler.Builder sb = Scheduler.builder().clock(b.clock).seed(config.seed())
                .listener(OpsListener.all(listeners))
                .state(config.state().map(StateStore::file).orElseGet(StateStore::inMemory));
        for (AgentConfig.JobSpec j : config.jobs()) {
            Job.Builder jb = Job.builder(j.name(), j.schedule(), task(j, b)).priority(j.priority()).jitter(j.jitter())
                    .catchUp(j.catchUp() ? CatchUp.ONCE : CatchUp.SKIP).zone(j.schedule().zone().orElse(config.zone()));
            if (j.retries() > 0) {
                jb.retries(j.retries(), j.retryDelay());
            }
            sb.job(jb.build());
        }
        this.scheduler = sb.build();
    }

    /** Starts configuring an agent for {@code config}. */
    public static Builder builder(AgentConfig config) {
        return new Builder(requireNonNull(config, "config"));
    }

    private JobTask task(AgentConfig.JobSpec j, Builder b) {
        Repository repo = repos.get(j.repository());
        JsonNode o = j.options();
        return switch (j.type()) {
            case "backup" -> {
                List<String> paths = AgentConfig.strings(o, "paths");
                List<String> excludes = AgentConfig.strings(o, "exclude");
                List<String> tags = AgentConfig.strings(o, "tags");
                JsonNode stream = o.path("stream");
                if (paths.isEmpty() && stream.isMissingNode()) {
                    throw new IllegalArgumentException("agent config: backup job '" + j.name()
                            + "' needs 'paths' or a 'stream'");
                }
                yield Tasks.backup(repo, cmd -> {
                    paths.forEach(p -> cmd.path(Path.of(p)));
                    excludes.forEach(cmd::exclude);
                    tags.forEach(cmd::tag);
                    if (!stream.isMissingNode()) {
                        String path = AgentConfig.text(stream, "path");
                        if (stream.has("command")) {
                            cmd.source(SnapshotSources.command(path, AgentConfig.strings(stream, "command"),
                                    scheduler.clock()));
                        } else {
                            String name = AgentConfig.text(stream, "source");
                            SnapshotSources.StreamOpener opener = b.streams.get(name);
                            if (opener == null) {
                                throw new IllegalArgumentException("job '" + j.name() + "': no stream source named '"
                                        + name + "' was registered (Agent.Builder.stream)");
                            }
                            cmd.source(SnapshotSources.stream(path, opener, scheduler.clock()));
                        }
                    }
                });
            }
            case "forget" -> {
                RetentionPolicy preset = RetentionPresets.byName(AgentConfig.text(o, "policy"), config.zone());
                JsonNode versions = o.path("versions");
                boolean prune = o.path("prune").asBoolean(false);
                Predicate<Snapshot> only = tagFilter(o);
                Function<Repository, RetentionPolicy> policy = versions.isMissingNode() ? r -> preset
                        : r -> preset.toBuilder().keep(VersionRule.keepVersions(versions.path("keep").asInt(5),
                                FileCatalog.of(r)).under(versions.path("under").asText("/"))).build();
                yield only == null ? Tasks.forget(repo, policy, prune) : ctx -> {
                    dev.backup4j.core.maintenance.ForgetResult f = dev.backup4j.core.maintenance.Forget.on(repo)
                            .policy(policy.apply(repo)).only(s -> !RepositoryRecords.isRecord(s) && only.test(s)).run();
                    String pruned = prune && !f.removed().isEmpty()
                            ? "; pruned " + dev.backup4j.core.maintenance.Prune.on(repo).run() : "";
                    return new dev.backup4j.ops.event.JobReport(f.removed().size(), 0, 0, 0,
                            "kept " + f.kept().size() + ", removed " + f.removed().size() + pruned);
                };
            }
            case "copy" -> Tasks.copy(repo, repos.get(AgentConfig.text(o, "to")));
            case "drill" -> {
                long seed = o.path("seed").asLong(config.seed());
                String pick = o.path("pick").asText("random");
                int sample = o.path("sample_files").asInt(0);
                Optional<Path> scratch = o.has("scratch") ? Optional.of(Path.of(AgentConfig.text(o, "scratch")))
                        : Optional.empty();
                Predicate<Snapshot> only = tagFilter(o);
                yield Tasks.drill(repo, () -> {
                    RestoreDrill d = RestoreDrill.on(repo).pick(switch (pick) {
                        case "random" -> SnapshotPick.random(seed);
                        case "latest" -> SnapshotPick.latest();
                        default -> SnapshotPick.oldestKeptBy(RetentionPresets.byName(pick.substring(
                                pick.indexOf(':') + 1), config.zone()));
                    });
                    if (sample > 0) {
                        d.sampleFiles(sample);
                    }
                    scratch.ifPresent(d::scratch);
                    if (only != null) {
                        d.only(only);
                    }
                    return d;
                }, journal, o.path("record").asBoolean(true));
            }
            case "check" -> Tasks.check(repo, o.path("subset").asText("none"), o.path("seed").asLong(config.seed()),
                    journal, o.path("record").asBoolean(true));
            default -> throw new IllegalArgumentException("unknown job type " + j.type());
        };
    }

    private static Predicate<Snapshot> tagFilter(JsonNode o) {
        if (!o.has("only_tag")) {
            return null;
        }
        String tag = AgentConfig.text(o, "only_tag");
        return s -> s.tags().contains(tag);
    }

    /** The scheduler. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The metrics gathered so far. */
    public OpsMetrics metrics() {
        return metrics;
    }

    /** The alert rules, with every alert sent. */
    public Alerts alerts() {
        return alerts;
    }

    /** The drill and check journal, if configured. */
    public Optional<OpsJournal> journal() {
        return journal;
    }

    /** An open repository of the config, by name. */
    public Repository repository(String name) {
        Repository r = repos.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no repository named " + name);
        }
        return r;
    }

    /** Every event so far, if {@link Builder#keepEvents()} was asked for. */
    public List<OpsEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /**
     * Runs jobs in the foreground until {@link #shutdown}.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void run(Waiter waiter) throws InterruptedException {
        scheduler.run(waiter);
    }

    /**
     * Runs jobs until {@code end} (for simulations: with {@link Waiter#advancing}).
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void runUntil(Instant end, Waiter waiter) throws InterruptedException {
        scheduler.runUntil(end, waiter);
    }

    /**
     * Stops starting jobs, lets a running one finish for up to {@code grace}, then cancels it (see
     * {@link Scheduler#shutdown}). Safe to call from a shutdown hook.
     *
     * @return true if nothing had to be cancelled
     */
    public boolean shutdown(Duration grace) {
        try {
            return scheduler.shutdown(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes the repositories. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        for (Repository r : repos.values()) {
            try {
                r.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Configures an {@link Agent}. */
    public static final class Builder {
        private final AgentConfig config;
        private Clock clock = Clock.systemUTC();
        private Map<String, String> env = System.getenv();
        private Function<String, Backend> backends = location -> Backends.local(Path.of(location));
        private UnaryOperator<Repository.Opener> openers = UnaryOperator.identity();
        private final Map<String, SnapshotSources.StreamOpener> streams = new LinkedHashMap<>();
        private final List<OpsListener> listeners = new ArrayList<>();
        private boolean keepEvents;

        private Builder(AgentConfig config) {
            this.config = config;
        }

        /** The clock of the scheduler and the repositories (default: the system clock in UTC). */
        public Builder clock(Clock c) {
            this.clock = requireNonNull(c, "clock");
            return this;
        }

        /** Where {@code password_env} is looked up (default: the process environment). */
        public Builder env(Map<String, String> e) {
            this.env = Map.copyOf(e);
            return this;
        }

        /** Opens a repository location (default: a local directory); the CLI passes one for sftp:, rest:, s3:. */
        public Builder backends(Function<String, Backend> f) {
            this.backends = requireNonNull(f, "backends");
            return this;
        }

        /** Adjusts each repository's opener (cache, lock settings) before it opens. */
        public Builder openers(UnaryOperator<Repository.Opener> f) {
            this.openers = requireNonNull(f, "openers");
            return this;
        }

        /** Registers a stream source that backup jobs name in {@code "stream": {"source": NAME}}. */
        public Builder stream(String name, SnapshotSources.StreamOpener opener) {
            streams.put(requireNonNull(name, "name"), requireNonNull(opener, "opener"));
            return this;
        }

        /** Adds a listener of every event. */
        public Builder listener(OpsListener l) {
            listeners.add(requireNonNull(l, "listener"));
            return this;
        }

        /** Keeps every event in memory for {@link Agent#events()} (tests, status pages). */
        public Builder keepEvents() {
            this.keepEvents = true;
            return this;
        }

        /**
         * Opens the repositories and builds the jobs.
         *
         * @throws IOException if a repository cannot be opened or a password cannot be read
         * @throws IllegalArgumentException if a job's options are invalid
         */
        public Agent start() throws IOException {
            Map<String, Repository> repos = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, AgentConfig.RepositorySpec> e : config.repositories().entrySet()) {
                    AgentConfig.RepositorySpec spec = e.getValue();
                    Repository.Opener o = Repository.at(backends.apply(spec.location())).password(password(e.getKey(),
                            spec)).clock(clock).lockCheckDelay(config.lockCheckDelay());
                    if (!config.host().isEmpty()) {
                        o.hostname(config.host());
                    }
                    repos.put(e.getKey(), openers.apply(o).open());
                }
                return new Agent(this, repos);
            } catch (IOException | RuntimeException ex) {
                for (Repository r : repos.values()) {
                    try {
                        r.close();
                    } catch (IOException suppressed) {
                        ex.addSuppressed(suppressed);
                    }
                }
                throw ex;
            }
        }

        private char[] password(String name, AgentConfig.RepositorySpec spec) throws IOException {
            if (spec.passwordFile().isPresent()) {
                String s = Files.readString(spec.passwordFile().get(), StandardCharsets.UTF_8);
                int nl = s.indexOf('\n');
                return (nl >= 0 ? s.substring(0, nl) : s).replace("\r", "").toCharArray();
            }
            String var = spec.passwordEnv().orElse("BACKUP_PASSWORD");
            String v = env.get(var);
            if (v == null) {
                throw new IllegalArgumentException("agent config: repository '" + name + "' has no password_file and $"
                        + var + " is not set");
            }
            return v.toCharArray();
        }
    }
}
