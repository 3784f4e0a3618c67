package dev.backup4j.s3;

import java.net.URI;
import java.util.Objects;

/**
 * Where an S3 repository lives, from restic's {@code s3:} location: {@code s3:host[:port]/bucket[/prefix]} (HTTPS) or
 * {@code s3:http(s)://host[:port]/bucket[/prefix]}; without a host ({@code s3:bucket/prefix} is taken as AWS's
 * {@code s3.amazonaws.com}).
 *
 * @param endpoint the service endpoint, e.g. {@code https://s3.amazonaws.com} or {@code http://127.0.0.1:9000}
 * @param bucket the bucket
 * @param prefix the key prefix of the repository inside the bucket, without a trailing '/' ("" for none)
 */
public record S3Location(URI endpoint, String bucket, String prefix) {

    /** Checks the fields. */
    public S3Location {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("an S3 location needs a bucket");
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
    }

    /**
     * Parses restic's form, with or without the {@code s3:} prefix.
     *
     * @throws IllegalArgumentException if there is no bucket or the URL is malformed
     */
    public static S3Location parse(String location) {
        String s = location.startsWith("s3:") ? location.substring(3) : location;
        String scheme = "https";
        if (s.startsWith("http://") || s.startsWith("https://")) {
            scheme = s.substring(0, s.indexOf(':'));
            s = s.substring(scheme.length() + 3);
        }
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1) {
            throw new IllegalArgumentException("invalid s3 location '" + location
                    + "': give s3:host/bucket/prefix or s3:http://host:port/bucket/prefix");
        }
        String host = s.substring(0, slash);
        String path = s.substring(slash + 1);
        int next = path.indexOf('/');
        String bucket = next < 0 ? path : path.substring(0, next);
        String prefix = next < 0 ? "" : path.substring(next + 1);
        try {
            return new S3Location(URI.create(scheme + "://" + host), bucket, prefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid s3 location '" + location + "': " + e.getMessage(), e);
        }
    }

    /** The object key of a repository path ({@code data/ab/abcd...}). */
    String key(String relativePath) {
        return prefix.isEmpty() ? relativePath : prefix + "/" + relativePath;
    }

    @Override
    public String toString() {
        return "s3:" + endpoint + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
