package dev.backup4j.ops.schedule;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Where the scheduler remembers, per job, the planned time of the last run it dealt with (ran or gave up), so that
 * after a restart it knows which runs it missed while it was down. Small SPI: {@link #file(Path)} (a JSON file,
 * replaced atomically) and {@link #inMemory()}.
 *
 * <pre>{@code
 * StateStore state = StateStore.file(Path.of("/var/lib/backup4j/scheduler.json"));
 * }</pre>
 */
public interface StateStore {

    /** The planned time of the last run of {@code job} that was dealt with, if any. */
    Optional<Instant> lastRun(String job);

    /**
     * Remembers it.
     *
     * @throws UncheckedIOException if it cannot be stored
     */
    void setLastRun(String job, Instant planned);

    /** A store that forgets everything when the process ends. */
    static StateStore inMemory() {
        Map<String, Instant> m = new java.util.concurrent.ConcurrentHashMap<>();
        return new StateStore() {
            @Override
            public Optional<Instant> lastRun(String job) {
                return Optional.ofNullable(m.get(job));
            }

            @Override
            public void setLastRun(String job, Instant planned) {
                m.put(job, planned);
            }
        };
    }

    /** A JSON file {@code {"job": "2024-03-01T19:30:00Z", ...}}, written to a temporary name and renamed. */
    static StateStore file(Path file) {
        requireNonNull(file, "file");
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Instant> m = new HashMap<>();
        try {
            if (Files.exists(file)) {
                JsonNode n = mapper.readTree(file.toFile());
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    m.put(e.getKey(), Instant.parse(e.getValue().asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scheduler state " + file, e);
        }
        return new StateStore() {
            @Override
            public synchronized Optional<Instant> lastRun(String job) {
                return Optional.ofNullable(m.get(job));
            }

            @Override
            public synchronized void setLastRun(String job, Instant planned) {
                m.put(job, planned);
                ObjectNode o = mapper.createObjectNode();
                new java.util.TreeMap<>(m).forEach((k, v) -> o.put(k, v.toString()));
                try {
                    Path dir = file.toAbsolutePath().getParent();
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, ".scheduler-", ".tmp");
                    mapper.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), o);
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write scheduler state " + file, e);
                }
            }
        };
    }
}
