package dev.backup4j.ops.drill;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.maintenance.CheckResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of one repository check ({@code check --read-data-subset} on a schedule), written to the journal and
 * optionally into the repository like a {@link DrillResult}.
 *
 * @param started when the check started
 * @param finished when it ended
 * @param subset the data subset read ({@code 5%}, {@code 1/7}, {@code all}, or {@code none} for structure only)
 * @param snapshotsChecked snapshots whose trees were walked
 * @param packsChecked packs compared against the index
 * @param packsRead packs read and verified blob by blob
 * @param errors the check's errors, one line each (at most 20 kept)
 */
public record CheckRecord(Instant started, Instant finished, String subset, long snapshotsChecked, long packsChecked,
        long packsRead, List<String> errors) implements OpsRecord {

    private static final int MAX_ERRORS = 20;

    /** @throws NullPointerException if an argument is null */
    public CheckRecord {
        requireNonNull(started, "started");
        requireNonNull(finished, "finished");
        requireNonNull(subset, "subset");
        errors = List.copyOf(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
    }

    /** The record of a {@link CheckResult}. */
    public static CheckRecord of(CheckResult r, String subset, Instant started, Instant finished) {
        List<String> errors = new ArrayList<>(r.errors());
        r.damagedPacks().forEach(d -> errors.add("damaged pack " + d.pack() + ": " + d.problem()));
        return new CheckRecord(started, finished, subset, r.snapshotsChecked(), r.packsChecked(), r.packsRead(),
                errors);
    }

    @Override
    public boolean ok() {
        return errors.isEmpty();
    }

    @Override
    public String type() {
        return "check";
    }

    @Override
    public Instant time() {
        return finished;
    }

    /** How long the check took. */
    public Duration duration() {
        return Duration.between(started, finished);
    }

    @Override
    public String summary() {
        return "check " + (ok() ? "passed" : "FAILED") + ": subset " + subset + ", " + packsRead + " of "
                + packsChecked + " packs read, " + snapshotsChecked + " snapshots"
                + (ok() ? "" : "; " + errors.size() + " errors: " + errors.get(0));
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = OpsRecord.MAPPER.createObjectNode();
        o.put("type", type());
        o.put("ok", ok());
        o.put("started", started.toString());
        o.put("finished", finished.toString());
        o.put("subset", subset);
        o.put("snapshots_checked", snapshotsChecked);
        o.put("packs_checked", packsChecked);
        o.put("packs_read", packsRead);
        ArrayNode e = o.putArray("errors");
        errors.forEach(e::add);
        return o;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException if a field is missing or malformed
     */
    public static CheckRecord fromJson(JsonNode o) {
        try {
            List<String> errors = new ArrayList<>();
            o.get("errors").forEach(n -> errors.add(n.asText()));
            return new CheckRecord(Instant.parse(o.get("started").asText()), Instant.parse(o.get("finished").asText()),
                    o.get("subset").asText(), o.get("snapshots_checked").asLong(), o.get("packs_checked").asLong(),
                    o.get("packs_read").asLong(), errors);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a check record: " + o + " (" + e + ")", e);
        }
    }
}
