package dev.backup4j.examples.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.ForwardingBackend;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.ops.agent.Agent;
import dev.backup4j.ops.agent.AgentConfig;
import dev.backup4j.ops.drill.DrillResult;
import dev.backup4j.ops.drill.RepositoryRecords;
import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.schedule.Waiter;
import dev.backup4j.retention.BackupSchedule;
import dev.backup4j.retention.SimulatedClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: the B+D agent for a simulated year on an injected clock, against real local repositories (on tmpfs
 * where there is one), with a database dump that fails for a day and a second site that refuses writes for three
 * days. Checks the drill records, the alerts (once per incident, then recovery), that no job started outside its
 * window, and ends with {@code restic check} on both sites.
 */
class ServiceAgentExampleTest {
    @TempDir(factory = ShmDirs.class)
    Path tmp;

    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final int YEAR = Integer.getInteger("ops.year.days", 366);
    private static final LocalDate DB_DOWN = LocalDate.of(2024, 3, 10);
    private static final LocalDate SITE2_DOWN_FROM = LocalDate.of(2024, 6, 3);
    private static final LocalDate SITE2_DOWN_TO = LocalDate.of(2024, 6, 5);

    /** Refuses writes while {@code down} says so: the second site's storage is unreachable. */
    static final class FlakySite extends ForwardingBackend {
        private final SimulatedClock clock;

        FlakySite(Backend inner, SimulatedClock clock) {
            super(inner);
            this.clock = clock;
        }

        private void check() throws IOException {
            LocalDate d = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
            if (!d.isBefore(SITE2_DOWN_FROM) && !d.isAfter(SITE2_DOWN_TO)) {
                throw new IOException("site 2 unreachable (injected)");
            }
        }

        @Override
        public void write(Handle handle, byte[] data) throws IOException {
            check();
            super.write(handle, data);
        }
    }

    /**
     * The year, with the database dumped once a day instead of hourly: 8,760 hourly dumps are 8,760 real backups, at
     * about 40 ms each on this test's machine (every backup lists every snapshot to find its parent), six minutes.
     * The hourly schedule itself is run by {@link #hourlyDumpsKeepTheDatabaseWithinOneHour()}.
     */
    @Test
    void aSimulatedYearOfPoliciesBAndD() throws Exception {
        withServer((server, alerts) -> {
            run(server, alerts, YEAR, BackupSchedule.parse("daily@00:05-00:35"), true);
        });
    }

    /** The shipped config as is, hourly dumps included, for three simulated days: no dump is more than an hour old. */
    @Test
    void hourlyDumpsKeepTheDatabaseWithinOneHour() throws Exception {
        withServer((server, alerts) -> {
            List<Instant> dumps = run(server, alerts, 3, null, false);
            assertTrue(dumps.size() >= 71, dumps.toString());
            for (int i = 1; i < dumps.size(); i++) {
                assertTrue(Duration.between(dumps.get(i - 1), dumps.get(i)).compareTo(Duration.ofMinutes(90)) <= 0,
                        dumps.get(i - 1) + " " + dumps.get(i));
            }
        });
    }

    private static AgentConfig.JobSpec with(AgentConfig.JobSpec j, BackupSchedule s) {
        return new AgentConfig.JobSpec(j.name(), j.type(), j.repository(), s, j.priority(), j.jitter(), j.retries(),
                j.retryDelay(), j.catchUp(), j.options());
    }

    interface ServerBody {
        void run(HttpServer server, List<JsonNode> alerts) throws Exception;
    }

    private static void withServer(ServerBody body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<JsonNode> alerts = new CopyOnWriteArrayList<>();
        ObjectMapper json = new ObjectMapper();
        server.createContext("/alerts", ex -> {
            alerts.add(json.readTree(ex.getRequestBody()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            body.run(server, alerts);
        } finally {
            server.stop(0);
        }
    }

    /** Runs the agent for {@code days}; returns the times of the database snapshots in the main repository. */
    private List<Instant> run(HttpServer server, List<JsonNode> alerts, int DAYS, BackupSchedule dbSchedule,
            boolean year) throws Exception {
        long t0 = System.nanoTime();
        Path app = Files.createDirectories(tmp.resolve("app/courses"));
        for (int i = 0; i < 8; i++) {
            Files.writeString(app.resolve("course" + i + ".txt"), "course " + i + "\n".repeat(i + 1));
        }
        Files.writeString(app.getParent().resolve("config.yml"), "version: 0\n");
        SimulatedClock clock = SimulatedClock.at(START, ZoneOffset.UTC);
        Map<String, String> env = Map.of("BACKUP_PASSWORD", "site1-pw", "BACKUP_PASSWORD_SITE2", "site2-pw");
        for (String[] r : new String[][] {{"repo-site1", "site1-pw"}, {"repo-site2", "site2-pw"}}) {
            Repository.at(Backends.local(tmp.resolve(r[0]))).password(r[1]).clock(clock).init().close();
        }
        AgentConfig shipped = ServiceAgentExample.config(tmp, app.getParent(),
                "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
        // a local disk shows a written lock file at once: no need for restic's 200 ms pause (see Opener.lockCheckDelay)
        // For the year: daily dumps (see above) and a weekly check, which walks every snapshot's trees (the daily
        // check of the shipped config made the year last two minutes); the windows and everything else as shipped.
        List<AgentConfig.JobSpec> jobs = shipped.jobs().stream().map(j -> dbSchedule == null ? j
                : j.name().equals("db-dump") ? with(j, dbSchedule)
                : j.name().equals("check") ? with(j, BackupSchedule.parse("weekly@SUN/06:00-07:00")) : j).toList();
        AgentConfig cfg = new AgentConfig(shipped.zone(), shipped.host(), shipped.seed(), shipped.state(),
                shipped.journal(), shipped.metrics(), Duration.ZERO, shipped.repositories(), shipped.alerts(), jobs);
        try (Agent agent = Agent.builder(cfg).clock(clock).env(env).keepEvents()
                .backends(loc -> loc.endsWith("repo-site2") ? new FlakySite(Backends.local(Path.of(loc)), clock)
                        : Backends.local(Path.of(loc)))
                .stream("billing-db", () -> {
                    Instant now = clock.instant();
                    if (now.atZone(ZoneOffset.UTC).toLocalDate().equals(DB_DOWN)) {
                        throw new IOException("pg_dump: connection refused (injected)");
                    }
                    return new ByteArrayInputStream(("-- billing dump " + now + "\n").getBytes(StandardCharsets.UTF_8));
                })
                .listener(e -> {
                    // the application changes a little every night, before the backup reads it
                    if (e instanceof OpsEvent.JobStarted s && s.job().equals("nightly")) {
                        try {
                            Files.writeString(app.getParent().resolve("config.yml"), "version: " + s.time() + "\n");
                            Files.writeString(app.resolve("course" + (s.time().getEpochSecond() / 86400 % 8) + ".txt"),
                                    "edited " + s.time() + "\n");
                        } catch (IOException ex) {
                            throw new java.io.UncheckedIOException(ex);
                        }
                    }
                })
                .start()) {
            agent.runUntil(START.plus(Duration.ofDays(DAYS)), Waiter.advancing(clock));
            List<OpsEvent> events = agent.events();

            // no job started outside its window, and nothing had to be caught up (the agent never stopped)
            int started = 0;
            for (OpsEvent e : events) {
                if (e instanceof OpsEvent.JobStarted s) {
                    started++;
                    assertTrue(!s.catchUp() && new BackupSchedule.Run(s.planned(), "", s.windowEnd()).inWindow(s.time()),
                            s.toString());
                }
            }
            assertTrue(events.stream().noneMatch(e -> e instanceof OpsEvent.RunsMissed), "missed runs");
            List<Instant> dumps = agent.repository("main").snapshots().stream()
                    .filter(s -> s.tags().contains("db")).map(s -> s.instant()).sorted().toList();
            if (!year) {
                return dumps;
            }

            // drills: 12 monthly full drills, all passed, in the journal and in both repositories
            List<DrillResult> journal = agent.journal().orElseThrow().drills();
            List<DrillResult> monthly = journal.stream().filter(d -> d.mode().equals("full")).toList();
            int months = (int) START.atZone(ZoneOffset.UTC).toLocalDate().datesUntil(
                    START.plus(Duration.ofDays(DAYS)).atZone(ZoneOffset.UTC).toLocalDate())
                    .filter(d -> d.getDayOfMonth() == 1).count();
            assertEquals(months, monthly.size());
            assertTrue(journal.stream().allMatch(DrillResult::ok), journal.toString());
            assertTrue(journal.stream().filter(d -> d.mode().equals("sample")).count() >= DAYS / 7 - 1);
            assertEquals(monthly, RepositoryRecords.drills(agent.repository("main")));
            List<DrillResult> copied = RepositoryRecords.drills(agent.repository("site2"));
            assertTrue(copied.size() >= months - 1 && monthly.containsAll(copied), copied.toString());

            // alerts: one per incident, then recovery, and nothing else
            List<String> seen = alerts.stream().map(a -> a.get("kind").asText() + " " + a.get("job").asText()).toList();
            assertEquals(List.of("FAILED db-dump", "RECOVERED db-dump", "FAILED replicate", "RECOVERED replicate"),
                    seen, alerts.toString());
            assertEquals(1, alerts.get(1).get("failures").asInt(), alerts.get(1).toString());

            // metrics were written after the runs
            String prom = Files.readString(tmp.resolve("state/backup4j.prom"));
            assertTrue(prom.contains("backup4j_job_last_success_timestamp_seconds{job=\"nightly\"}"), prom);
            assertTrue(prom.contains("backup4j_repository_size_bytes{repository="), prom);
            System.out.printf("simulated %d days: %d runs started, %d drills, %d alerts, in %d s%n", DAYS, started,
                    journal.size(), alerts.size(), (System.nanoTime() - t0) / 1_000_000_000L);
        }
        Restic.requireRestic();
        Restic.on(tmp.resolve("repo-site1"), "site1-pw").run("check", "--read-data").ok();
        Restic.on(tmp.resolve("repo-site2"), "site2-pw").run("check", "--read-data").ok();
        return List.of();
    }
}
