package dev.backup4j.ops.drill;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a restore drill found. Immutable; {@link #toJson()} is the line written to the journal and the file stored
 * in the repository, {@link #fromJson} reads it back.
 *
 * @param started when the drill started (on the drill's clock)
 * @param finished when it ended
 * @param snapshotId the full id of the snapshot restored
 * @param snapshotTime when that snapshot was taken
 * @param host the snapshot's host
 * @param paths the snapshot's paths
 * @param mode {@code full} (the whole snapshot) or {@code sample} (a random sample of its files)
 * @param pick how the snapshot was chosen, for example {@code random(seed=42)} or {@code oldest-kept}
 * @param filesSelected regular files the drill restored
 * @param filesVerified regular files whose every byte matched the snapshot's content ids
 * @param bytesVerified bytes read back and matched
 * @param restoreTime time the restore took
 * @param rto time from the start of the restore to the end of the verification: the measured recovery time
 * @param problems what did not match or could not be restored, one line each (empty when the drill passed)
 */
public record DrillResult(Instant started, Instant finished, String snapshotId, Instant snapshotTime, String host,
        List<String> paths, String mode, String pick, long filesSelected, long filesVerified, long bytesVerified,
        Duration restoreTime, Duration rto, List<String> problems) implements OpsRecord {

    /** @throws NullPointerException if an argument is null */
    public DrillResult {
        requireNonNull(started, "started");
        requireNonNull(finished, "finished");
        requireNonNull(snapshotId, "snapshotId");
        requireNonNull(snapshotTime, "snapshotTime");
        requireNonNull(host, "host");
        requireNonNull(mode, "mode");
        requireNonNull(pick, "pick");
        requireNonNull(restoreTime, "restoreTime");
        requireNonNull(rto, "rto");
        paths = List.copyOf(paths);
        problems = List.copyOf(problems);
    }

    /** True when every selected file was restored and matched. */
    @Override
    public boolean ok() {
        return problems.isEmpty() && filesVerified == filesSelected;
    }

    @Override
    public String type() {
        return "drill";
    }

    @Override
    public Instant time() {
        return finished;
    }

    /** One line for people. */
    @Override
    public String summary() {
        return "drill " + (ok() ? "passed" : "FAILED") + ": " + mode + " restore of " + snapshotId.substring(0, 8)
                + " (" + snapshotTime + "), " + filesVerified + "/" + filesSelected + " files, " + bytesVerified
                + " bytes verified, RTO " + rto + (problems.isEmpty() ? "" : "; " + problems.size() + " problems: "
                + problems.get(0));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = OpsRecord.MAPPER.createObjectNode();
        o.put("type", type());
        o.put("ok", ok());
        o.put("started", started.toString());
        o.put("finished", finished.toString());
        o.put("snapshot_id", snapshotId);
        o.put("snapshot_time", snapshotTime.toString());
        o.put("host", host);
        ArrayNode p = o.putArray("paths");
        paths.forEach(p::add);
        o.put("mode", mode);
        o.put("pick", pick);
        o.put("files_selected", filesSelected);
        o.put("files_verified", filesVerified);
        o.put("bytes_verified", bytesVerified);
        o.put("restore_seconds", restoreTime.toNanos() / 1e9);
        o.put("rto_seconds", rto.toNanos() / 1e9);
        ArrayNode pr = o.putArray("problems");
        problems.forEach(pr::add);
        return o;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException if a field is missing or malformed
     */
    public static DrillResult fromJson(JsonNode o) {
        try {
            List<String> paths = new ArrayList<>();
            o.get("paths").forEach(n -> paths.add(n.asText()));
            List<String> problems = new ArrayList<>();
            o.get("problems").forEach(n -> problems.add(n.asText()));
            return new DrillResult(Instant.parse(o.get("started").asText()), Instant.parse(o.get("finished").asText()),
                    o.get("snapshot_id").asText(), Instant.parse(o.get("snapshot_time").asText()),
                    o.get("host").asText(), paths, o.get("mode").asText(), o.get("pick").asText(),
                    o.get("files_selected").asLong(), o.get("files_verified").asLong(),
                    o.get("bytes_verified").asLong(), seconds(o.get("restore_seconds")), seconds(o.get("rto_seconds")),
                    problems);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a drill record: " + o + " (" + e + ")", e);
        }
    }

    static Duration seconds(JsonNode n) {
        return Duration.ofNanos(Math.round(n.asDouble() * 1e9));
    }
}
