package dev.backup4j.core.repository;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backup4j.core.chunker.Polynomial;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Json;
import dev.backup4j.core.common.UnsupportedFormatException;

/**
 * The repository's {@code config} file: format version, random repository id and the chunker polynomial.
 *
 * @param version restic repository format version (1 or 2)
 * @param id the repository's random id, 64 hex digits
 * @param chunkerPolynomial the irreducible polynomial of degree 53 used for chunking
 */
public record RepositoryConfig(int version, String id, long chunkerPolynomial) {
    /** The versions this library reads. */
    public static final int MIN_VERSION = 1;
    /** The version this library writes for new repositories. */
    public static final int MAX_VERSION = 2;

    /** The config JSON. */
    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeNumberField("version", version);
            g.writeStringField("id", id);
            g.writeStringField("chunker_polynomial", Polynomial.toHex(chunkerPolynomial));
            g.writeEndObject();
        });
    }

    /**
     * Parses the config JSON.
     *
     * @throws UnsupportedFormatException for a version other than 1 or 2
     * @throws CorruptDataException if it is not a config
     */
    public static RepositoryConfig parse(byte[] json) throws CorruptDataException, UnsupportedFormatException {
        JsonNode n = Json.parse(json, "config");
        int version = n.path("version").asInt(-1);
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new UnsupportedFormatException("repository format version " + n.path("version")
                    + " is not supported (this library reads versions 1 and 2)");
        }
        try {
            long pol = Polynomial.parseHex(Json.text(n, "chunker_polynomial", "config"));
            if (Polynomial.degree(pol) > 53 || Polynomial.degree(pol) < 9) {
                throw new CorruptDataException("config: invalid chunker polynomial");
            }
            return new RepositoryConfig(version, Json.text(n, "id", "config"), pol);
        } catch (NumberFormatException e) {
            throw new CorruptDataException("config: invalid chunker polynomial", e);
        }
    }
}
