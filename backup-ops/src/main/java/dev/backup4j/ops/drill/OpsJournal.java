package dev.backup4j.ops.drill;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local journal of drill and check results: a JSON lines file, one {@link OpsRecord#toJson()} object per line,
 * appended and synced one record at a time, so a crash loses at most the record being written. A torn last line
 * (a crash mid-write) is skipped when reading, with a warning. Thread-safe within one process.
 *
 * <pre>{@code
 * OpsJournal journal = OpsJournal.at(Path.of("/var/lib/backup4j/journal.jsonl"));
 * for (DrillResult d : journal.drills()) {
 *     System.out.println(d.summary());
 * }
 * }</pre>
 */
public final class OpsJournal {
    private static final Logger LOG = LoggerFactory.getLogger(OpsJournal.class);

    private final Path file;

    private OpsJournal(Path file) {
        this.file = file;
    }

    /** The journal in {@code file} (created, with its directory, on the first append). */
    public static OpsJournal at(Path file) {
        return new OpsJournal(requireNonNull(file, "file").toAbsolutePath());
    }

    /** The journal's file. */
    public Path file() {
        return file;
    }

    /**
     * Appends one record and syncs the file.
     *
     * @throws IOException if the file cannot be written
     */
    public synchronized void append(OpsRecord record) throws IOException {
        requireNonNull(record, "record");
        byte[] line = (OpsRecord.MAPPER.writeValueAsString(record.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }
    }

    /**
     * Every record, oldest first, as JSON objects (an empty list if the file does not exist).
     *
     * @throws IOException if the file cannot be read
     */
    public synchronized List<JsonNode> records() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank()) {
                continue;
            }
            try {
                out.add(OpsRecord.MAPPER.readTree(l));
            } catch (IOException e) {
                LOG.warn("{}:{}: skipping a line that is not JSON (torn write?): {}", file, i + 1, e.getMessage());
            }
        }
        return out;
    }

    /** The drill results, oldest first. */
    public List<DrillResult> drills() throws IOException {
        return records().stream().filter(n -> "drill".equals(n.path("type").asText()))
                .map(DrillResult::fromJson).toList();
    }

    /** The check records, oldest first. */
    public List<CheckRecord> checks() throws IOException {
        return records().stream().filter(n -> "check".equals(n.path("type").asText()))
                .map(CheckRecord::fromJson).toList();
    }
}
