package dev.backup4j.core.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Json;
import dev.backup4j.core.common.UnsupportedFormatException;
import dev.backup4j.core.common.WrongPasswordException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Objects;

/**
 * A restic key file ({@code keys/ID}): the master key, encrypted with a key derived from a password by scrypt,
 * plus who made it and when. The file's id is the SHA-256 of its JSON bytes.
 *
 * <p>{@link #toString()} shows no key material.
 */
public final class KeyFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_LENGTH = 64;

    private final OffsetDateTime created;
    private final String username;
    private final String hostname;
    private final KdfParams params;
    private final byte[] salt;
    private final byte[] data;

    private KeyFile(OffsetDateTime created, String username, String hostname, KdfParams params, byte[] salt,
            byte[] data) {
        this.created = created;
        this.username = username;
        this.hostname = hostname;
        this.params = params;
        this.salt = salt;
        this.data = data;
    }

    /** Encrypts {@code master} under {@code password} with fresh salt. */
    public static KeyFile create(MasterKey master, char[] password, KdfParams params, OffsetDateTime created,
            String username, String hostname) {
        Objects.requireNonNull(master, "master");
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        MasterKey user = derive(password, salt, params);
        byte[] plain = Json.write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("mac");
            g.writeBinaryField("k", master.macK());
            g.writeBinaryField("r", master.macR());
            g.writeEndObject();
            g.writeBinaryField("encrypt", master.encryptionKey());
            g.writeEndObject();
        });
        return new KeyFile(created, username, hostname, params, salt, user.seal(plain));
    }

    private static MasterKey derive(char[] password, byte[] salt, KdfParams params) {
        java.nio.ByteBuffer encoded = StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password));
        byte[] exact = new byte[encoded.remaining()];
        encoded.get(exact);
        if (encoded.hasArray()) {
            java.util.Arrays.fill(encoded.array(), (byte) 0);
        }
        byte[] derived = Scrypt.derive(exact, salt, params.n(), params.r(), params.p(), 64);
        java.util.Arrays.fill(exact, (byte) 0);
        return MasterKey.fromDerived(derived);
    }

    /**
     * Decrypts the master key.
     *
     * @throws WrongPasswordException if the password does not open this key file
     * @throws CorruptDataException if it opens but does not hold a master key
     */
    public MasterKey open(char[] password) throws WrongPasswordException, CorruptDataException {
        MasterKey user = derive(password, salt, params);
        byte[] plain;
        try {
            plain = user.open(data);
        } catch (CorruptDataException e) {
            throw new WrongPasswordException("wrong password or no key found");
        }
        JsonNode n = Json.parse(plain, "master key");
        try {
            return new MasterKey(n.get("encrypt").binaryValue(), n.get("mac").get("k").binaryValue(),
                    n.get("mac").get("r").binaryValue());
        } catch (java.io.IOException | RuntimeException e) {
            throw new CorruptDataException("key file holds no valid master key", e);
        }
    }

    /** The JSON bytes stored in the key file. */
    public byte[] toJson() {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("created", Json.formatTime(created));
            g.writeStringField("username", username);
            g.writeStringField("hostname", hostname);
            g.writeStringField("kdf", "scrypt");
            g.writeNumberField("N", params.n());
            g.writeNumberField("r", params.r());
            g.writeNumberField("p", params.p());
            g.writeBinaryField("salt", salt);
            g.writeBinaryField("data", data);
            g.writeEndObject();
        });
    }

    /**
     * Parses a key file.
     *
     * @param what the file's name, for messages
     * @throws CorruptDataException if it is not a key file
     * @throws UnsupportedFormatException if it uses a KDF other than scrypt
     */
    public static KeyFile parse(byte[] json, String what) throws CorruptDataException, UnsupportedFormatException {
        JsonNode n = Json.parse(json, what);
        String kdf = Json.optText(n, "kdf");
        if (!kdf.equals("scrypt")) {
            throw new UnsupportedFormatException(what + ": unsupported key derivation '" + kdf + "'");
        }
        try {
            KdfParams p = new KdfParams(n.get("N").asInt(), n.get("r").asInt(), n.get("p").asInt());
            String created = Json.optText(n, "created");
            return new KeyFile(created.isEmpty() ? OffsetDateTime.parse("1970-01-01T00:00:00Z")
                    : Json.parseTime(created, what), Json.optText(n, "username"), Json.optText(n, "hostname"), p,
                    Base64.getDecoder().decode(Json.text(n, "salt", what)),
                    Base64.getDecoder().decode(Json.text(n, "data", what)));
        } catch (RuntimeException e) {
            throw new CorruptDataException(what + ": malformed key file", e);
        }
    }

    /** When the key was made. */
    public OffsetDateTime created() {
        return created;
    }

    /** The user who made the key. */
    public String username() {
        return username;
    }

    /** The host the key was made on. */
    public String hostname() {
        return hostname;
    }

    /** The scrypt parameters. */
    public KdfParams params() {
        return params;
    }

    @Override
    public String toString() {
        return "KeyFile[" + username + "@" + hostname + ", created " + created + ", scrypt N=" + params.n() + "]";
    }
}
