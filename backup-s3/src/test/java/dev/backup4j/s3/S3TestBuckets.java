package dev.backup4j.s3;

import java.net.URI;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** S3Proxy in the test JVM (in-memory store, AWS v4 signatures), and buckets on it. */
final class S3TestBuckets {
    static final String ACCESS = "access-key";
    static final String SECRET = "secret-key";

    private S3TestBuckets() {
    }

    /** A fresh S3Proxy per test, on 127.0.0.1. */
    static S3ProxyExtension server() {
        return S3ProxyExtension.builder().withCredentials(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .withBlobStoreProvider("transient-nio2").build();
    }

    /** Creates {@code bucket} on the server and returns its location with {@code prefix}. */
    static S3Location bucket(S3ProxyExtension server, String bucket, String prefix) {
        URI u = server.getUri();
        try (S3Client s3 = S3Client.builder().endpointOverride(u).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        return S3Location.parse("s3:" + u.getScheme() + "://127.0.0.1:" + u.getPort() + "/" + bucket
                + (prefix.isEmpty() ? "" : "/" + prefix));
    }

    /** Our backend on that location. */
    static dev.backup4j.core.backend.Backend backend(S3Location loc) {
        return S3Backends.builder(loc).credentials(ACCESS, SECRET, null).build();
    }

    /** restic's environment for the server. */
    static java.util.Map<String, String> resticEnv() {
        return java.util.Map.of("AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET);
    }
}
