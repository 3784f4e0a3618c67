package dev.backup4j.core.backend;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A repository location in restic's {@code -r} form, classified: a local path ({@code /srv/repo},
 * {@code local:/srv/repo}), {@code sftp:user@host:/path} or {@code sftp://user@host:port//path},
 * {@code rest:http://user:pass@host:port/repo}, or {@code s3:host/bucket/prefix} and
 * {@code s3:http://host:port/bucket/prefix}. The kinds restic knows that this library does not implement
 * ({@code b2:}, {@code azure:}, {@code gs:}, {@code swift:}, {@code rclone:}) and anything shaped like a URL
 * ({@code http://...}) are refused with a message in words, instead of becoming a local folder of that name.
 *
 * <pre>{@code
 * RepositoryLocation loc = RepositoryLocation.parse("rest:http://127.0.0.1:8000/lms");
 * Backend b = loc.kind() == RepositoryLocation.Kind.REST ? Backends.rest(loc.uri())
 *         : Backends.local(java.nio.file.Path.of(loc.spec()));
 * }</pre>
 *
 * @param kind which backend
 * @param spec the location without its scheme prefix: the path, {@code user@host:/path}, the URL
 */
public record RepositoryLocation(Kind kind, String spec) {
    private static final List<String> UNSUPPORTED = List.of("b2", "azure", "gs", "swift", "rclone");
    private static final Pattern URL_LIKE = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    /** Kinds of location. */
    public enum Kind {
        /** A directory on this machine. */
        LOCAL,
        /** A directory over SFTP (module backup-ssh). */
        SFTP,
        /** restic's REST protocol. */
        REST,
        /** S3-compatible object storage (module backup-s3). */
        S3
    }

    /** Checks the fields. */
    public RepositoryLocation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(spec, "spec");
    }

    /**
     * Classifies a location as restic's {@code -r} takes it.
     *
     * @throws IllegalArgumentException for an empty location, a backend restic has and this library does not, a
     *     malformed {@code rest:} URL, or a URL without a known prefix
     */
    public static RepositoryLocation parse(String location) {
        Objects.requireNonNull(location, "location");
        if (location.isBlank()) {
            throw new IllegalArgumentException("empty repository location: give a directory, sftp:, rest: or s3:");
        }
        int colon = location.indexOf(':');
        String scheme = colon > 0 ? location.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        String rest = colon > 0 ? location.substring(colon + 1) : location;
        switch (scheme) {
            case "local":
                return new RepositoryLocation(Kind.LOCAL, rest);
            case "sftp":
                return new RepositoryLocation(Kind.SFTP, location);
            case "rest":
                checkRestUrl(location, rest);
                return new RepositoryLocation(Kind.REST, rest);
            case "s3":
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("invalid s3 location '" + location
                            + "': give s3:host/bucket/prefix or s3:http://host:port/bucket/prefix");
                }
                return new RepositoryLocation(Kind.S3, rest);
            default:
                if (UNSUPPORTED.contains(scheme)) {
                    throw new IllegalArgumentException("the " + scheme + " backend is not supported by backup4j "
                            + "(repository '" + location + "'; supported: a local directory, sftp:, rest:, s3:)");
                }
                if (URL_LIKE.matcher(location).matches()) {
                    throw new IllegalArgumentException("invalid repository location '" + location + "': a URL needs "
                            + "restic's prefix, e.g. rest:" + location + " or s3:" + location);
                }
                return new RepositoryLocation(Kind.LOCAL, location);
        }
    }

    private static void checkRestUrl(String location, String url) {
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("invalid REST URL in '" + location
                        + "': give rest:http://host:port/repo or rest:https://user:pass@host/repo");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid REST URL in '" + location + "': " + e.getMessage(), e);
        }
    }

    /** The location as a URI, for {@link Kind#REST} (and the URL forms of {@link Kind#S3}). */
    public URI uri() {
        return URI.create(spec);
    }
}
