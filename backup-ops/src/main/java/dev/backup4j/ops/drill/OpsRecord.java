package dev.backup4j.ops.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A result worth keeping: a {@link DrillResult} or a {@link CheckRecord}. Both are written as one JSON object per
 * line to an {@link OpsJournal} and may be stored in the repository by {@link RepositoryRecords}.
 */
public sealed interface OpsRecord permits DrillResult, CheckRecord {

    /** Shared, thread-safe once configured. */
    ObjectMapper MAPPER = new ObjectMapper();

    /** {@code drill} or {@code check}: the {@code type} field of the JSON. */
    String type();

    /** When the result was known. */
    Instant time();

    /** Whether it passed. */
    boolean ok();

    /** One line for people. */
    String summary();

    /** The JSON object, with {@code type} and {@code ok} first. */
    ObjectNode toJson();
}
