package dev.backup4j.ops.agent;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backup4j.retention.BackupSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agent's config file: JSON, documented in docs/operations.md. Relative paths are read from the file's
 * directory. Unknown keys are refused (a typo must not silently drop a job's option). Immutable.
 *
 * <pre>{@code
 * AgentConfig cfg = AgentConfig.read(Path.of("/etc/backup4j/agent.json"));
 * }</pre>
 *
 * @param zone the zone schedules without their own zone and retention policies are read in
 * @param host the host name recorded in snapshots (empty: the machine's)
 * @param seed the scheduler's jitter seed and the default seed of drills and checks
 * @param state where the scheduler remembers its last runs (empty: in memory, no catch-up after a restart)
 * @param journal the drill and check journal (JSON lines), if any
 * @param metrics the Prometheus text file written after every run, if any
 * @param lockCheckDelay the pause between writing a lock and checking it (restic's 200 ms by default)
 * @param repositories repositories by name
 * @param alerts where alerts go
 * @param jobs the jobs, in the order given
 */
public record AgentConfig(ZoneId zone, String host, long seed, Optional<Path> state, Optional<Path> journal,
        Optional<Path> metrics, Duration lockCheckDelay, Map<String, RepositorySpec> repositories, AlertSpec alerts,
        List<JobSpec> jobs) {

    /** Copies the collections. */
    public AgentConfig {
        repositories = Map.copyOf(repositories);
        jobs = List.copyOf(jobs);
    }

    /**
     * A repository.
     *
     * @param location a directory (or what the CLI's {@code --repo} takes, when the CLI runs the agent)
     * @param passwordFile a file whose first line is the password
     * @param passwordEnv else the environment variable holding it
     */
    public record RepositorySpec(String location, Optional<Path> passwordFile, Optional<String> passwordEnv) {
    }

    /**
     * Alert sinks.
     *
     * @param webhook a URL to POST each alert's JSON to
     * @param command a command to run with the alert's JSON on its standard input
     * @param log whether to log each alert (default true)
     */
    public record AlertSpec(Optional<String> webhook, List<String> command, boolean log) {
    }

    /**
     * One job. {@code type} is {@code backup}, {@code forget}, {@code copy}, {@code drill} or {@code check};
     * {@code options} holds the type's own keys (see docs/operations.md), already checked.
     */
    public record JobSpec(String name, String type, String repository, BackupSchedule schedule, int priority,
            Duration jitter, int retries, Duration retryDelay, boolean catchUp, JsonNode options) {
    }

    private static final Set<String> TOP = Set.of("zone", "host", "seed", "state", "journal", "metrics",
            "lock_check_delay_ms", "repositories", "alerts", "jobs");
    private static final Set<String> COMMON = Set.of("name", "type", "repository", "schedule", "priority",
            "jitter_minutes", "retries", "retry_minutes", "catch_up");
    private static final Map<String, Set<String>> BY_TYPE = Map.of(
            "backup", Set.of("paths", "exclude", "tags", "stream"),
            "forget", Set.of("policy", "versions", "prune", "only_tag"),
            "copy", Set.of("to"),
            "drill", Set.of("pick", "sample_files", "scratch", "record", "only_tag", "seed"),
            "check", Set.of("subset", "record", "seed"));

    /**
     * Reads and checks a config file.
     *
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not valid (the message names the key)
     */
    public static AgentConfig read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readString(requireNonNull(file, "file")));
        return parse(root, file.toAbsolutePath().getParent());
    }

    /**
     * Checks a config given as JSON, relative paths resolved against {@code base}.
     *
     * @throws IllegalArgumentException if it is not valid (the message names the key)
     */
    public static AgentConfig parse(JsonNode root, Path base) {
        requireNonNull(root, "root");
        requireNonNull(base, "base");
        if (!root.isObject()) {
            throw bad("the config must be a JSON object");
        }
        known(root, TOP, "the config");
        ZoneId zone = root.has("zone") ? zone(text(root, "zone")) : ZoneId.of("UTC");
        Map<String, RepositorySpec> repos = new LinkedHashMap<>();
        JsonNode rs = root.path("repositories");
        if (!rs.isObject() || rs.isEmpty()) {
            throw bad("'repositories' must name at least one repository: {\"main\": {\"location\": \"/srv/repo\"}}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = rs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            known(r, Set.of("location", "password_file", "password_env"), "repository '" + e.getKey() + "'");
            repos.put(e.getKey(), new RepositorySpec(text(r, "location"),
                    r.has("password_file") ? Optional.of(base.resolve(text(r, "password_file"))) : Optional.empty(),
                    r.has("password_env") ? Optional.of(text(r, "password_env")) : Optional.empty()));
        }
        JsonNode a = root.path("alerts");
        if (!a.isMissingNode()) {
            known(a, Set.of("webhook", "command", "log"), "'alerts'");
        }
        AlertSpec alerts = new AlertSpec(a.has("webhook") ? Optional.of(text(a, "webhook")) : Optional.empty(),
                strings(a, "command"), !a.has("log") || a.get("log").asBoolean());
        List<JobSpec> jobs = new ArrayList<>();
        JsonNode js = root.path("jobs");
        if (!js.isArray() || js.isEmpty()) {
            throw bad("'jobs' must be a list of at least one job");
        }
        for (JsonNode j : js) {
            String name = text(j, "name");
            String type = text(j, "type");
            Set<String> own = BY_TYPE.get(type);
            if (own == null) {
                throw bad("job '" + name + "': unknown type '" + type + "'; use one of " + BY_TYPE.keySet());
            }
            Set<String> allowed = new java.util.HashSet<>(COMMON);
            allowed.addAll(own);
            known(j, allowed, "job '" + name + "'");
            String repo = j.has("repository") ? text(j, "repository") : repos.keySet().iterator().next();
            if (!repos.containsKey(repo)) {
                throw bad("job '" + name + "': no repository named '" + repo + "'");
            }
            if (type.equals("copy") && !repos.containsKey(text(j, "to"))) {
                throw bad("job '" + name + "': 'to' names no repository: '" + text(j, "to") + "'");
            }
            BackupSchedule schedule;
            try {
                schedule = BackupSchedule.parse(text(j, "schedule"));
            } catch (IllegalArgumentException e) {
                throw bad("job '" + name + "': " + e.getMessage());
            }
            String catchUp = j.path("catch_up").asText("once");
            if (!catchUp.equals("once") && !catchUp.equals("skip")) {
                throw bad("job '" + name + "': catch_up is 'once' or 'skip', not '" + catchUp + "'");
            }
            jobs.add(new JobSpec(name, type, repo, schedule, j.path("priority").asInt(0),
                    Duration.ofMinutes(j.path("jitter_minutes").asLong(0)), j.path("retries").asInt(0),
                    Duration.ofMinutes(j.path("retry_minutes").asLong(5)), catchUp.equals("once"), j));
        }
        return new AgentConfig(zone, root.path("host").asText(""), root.path("seed").asLong(0),
                path(root, "state", base), path(root, "journal", base), path(root, "metrics", base),
                Duration.ofMillis(root.path("lock_check_delay_ms").asLong(200)), repos, alerts, jobs);
    }

    private static Optional<Path> path(JsonNode n, String key, Path base) {
        return n.has(key) ? Optional.of(base.resolve(text(n, key))) : Optional.empty();
    }

    static ZoneId zone(String z) {
        try {
            return ZoneId.of(z);
        } catch (java.time.DateTimeException e) {
            throw bad("unknown zone '" + z + "'");
        }
    }

    static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw bad("'" + key + "' must be a non-empty string in " + n);
        }
        return v.asText();
    }

    static List<String> strings(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw bad("'" + key + "' must be a list of strings in " + n);
        }
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }

    private static void known(JsonNode n, Set<String> allowed, String where) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw bad(where + ": unknown key '" + k + "'; known: " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    private static IllegalArgumentException bad(String m) {
        return new IllegalArgumentException("agent config: " + m);
    }
}
