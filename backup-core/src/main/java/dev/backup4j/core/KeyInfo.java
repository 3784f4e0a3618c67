package dev.backup4j.core;

import dev.backup4j.core.common.Id;
import java.time.OffsetDateTime;

/**
 * A key file of the repository, as {@code key list} shows it.
 *
 * @param id the key file's id
 * @param current true for the key this repository was opened with
 * @param username who made it
 * @param hostname where it was made
 * @param created when it was made
 */
public record KeyInfo(Id id, boolean current, String username, String hostname, OffsetDateTime created) {
}
