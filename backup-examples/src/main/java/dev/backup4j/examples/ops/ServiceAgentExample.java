package dev.backup4j.examples.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.ops.agent.AgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The agent of a service that publishes policies B and D (shared/POLICIES.md), as a config file:
 * {@code agent-b-d.json} beside this class. Jobs: hourly database dumps through a stream source (D: RPO 1 h, kept
 * 90 days), a nightly backup of the application's files in a 02:00-03:00 UTC window with jitter (B), retention by
 * B's calendar plus 5 versions per file, replication of every snapshot to a second site (B: "every backup exists in
 * both"), a daily 5% data check (B's daily integrity checks), weekly sample restores (D) and a monthly full restore
 * drill of a random backup to an isolated place (B, D), recorded in the journal and in the repository; metrics in a
 * Prometheus file and alerts to a webhook. Priorities put the database first (D's restore priority order).
 *
 * <pre>{@code
 * AgentConfig cfg = ServiceAgentExample.config(Path.of("/var/lib/backup4j"), Path.of("/srv/app"),
 *         "https://hooks.example.net/backup");
 * try (Agent agent = Agent.builder(cfg).stream("billing-db", () -> process.getInputStream()).start()) {
 *     agent.run(Waiter.realTime(Clock.systemUTC()));
 * }
 * }</pre>
 */
public final class ServiceAgentExample {
    private ServiceAgentExample() {
    }

    /** The example's config file, as shipped. */
    public static JsonNode template() throws IOException {
        try (InputStream in = Objects.requireNonNull(ServiceAgentExample.class.getResourceAsStream("agent-b-d.json"),
                "agent-b-d.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /**
     * The config with the application's directory and the webhook filled in, relative paths (repositories, state)
     * under {@code base}.
     *
     * @throws IOException if the template cannot be read
     */
    public static AgentConfig config(Path base, Path app, String webhook) throws IOException {
        ObjectNode root = (ObjectNode) template();
        ((ObjectNode) root.get("alerts")).put("webhook", webhook);
        for (JsonNode j : root.get("jobs")) {
            ObjectNode job = (ObjectNode) j;
            if (job.has("paths")) {
                ArrayNode paths = job.putArray("paths");
                paths.add(app.toString());
            }
            if (job.has("versions")) {
                ((ObjectNode) job.get("versions")).put("under", app.toString());
            }
        }
        ObjectNode repos = (ObjectNode) root.get("repositories");
        repos.fields().forEachRemaining(e -> ((ObjectNode) e.getValue()).put("location",
                base.resolve(e.getValue().get("location").asText()).toString()));
        return AgentConfig.parse(root, base);
    }
}
