package dev.backup4j.s3;

import dev.backup4j.core.backend.Backend;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/**
 * Repositories on S3-compatible object storage, at restic's {@code s3:} locations.
 *
 * <pre>{@code
 * Backend storage = S3Backends.builder(S3Location.parse("s3:http://minio.internal:9000/backups/lms"))
 *         .credentialsFromEnvironment(System.getenv())      // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...
 *         .build();
 * try (Repository repo = Repository.at(storage).password("secret").open()) {
 *     System.out.println(repo.snapshots().size() + " snapshots");
 * }
 * }</pre>
 *
 * <p>Defaults: path-style requests (what S3-compatible stores expect; {@link Builder#virtualHostStyle()} for AWS's
 * preferred form), region from {@code AWS_REGION}/{@code AWS_DEFAULT_REGION} or {@code us-east-1}, the SDK's
 * standard retries (5xx and throttling, with backoff; 4xx are never retried), checksums only where the API
 * requires them plus a {@code Content-MD5} on every upload, and the AWS default credentials chain (environment,
 * {@code ~/.aws/credentials} and {@code config} profiles, container and instance roles).
 */
public final class S3Backends {
    private S3Backends() {
    }

    /** A backend with the defaults for {@code location}. */
    public static Backend open(S3Location location) {
        return builder(location).build();
    }

    /** Starts configuring a backend for {@code location}. */
    public static Builder builder(S3Location location) {
        return new Builder(Objects.requireNonNull(location, "location"));
    }

    /** Options of an S3 backend; each may be set once. Not thread-safe; the backend it builds is. */
    public static final class Builder {
        private final S3Location location;
        private AwsCredentialsProvider credentials;
        private String region;
        private boolean virtualHost;
        private String dataStorageClass;
        private Duration retention;
        private ObjectLockMode lockMode = ObjectLockMode.GOVERNANCE;
        private Clock clock = Clock.systemUTC();
        private final Set<String> set = new HashSet<>();

        private Builder(S3Location location) {
            this.location = location;
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " was already set");
            }
        }

        /** Explicit credentials (access key id, secret, optional session token). */
        public Builder credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
            once("credentials");
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            credentials = StaticCredentialsProvider.create(sessionToken == null || sessionToken.isEmpty()
                    ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                    : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken));
            return this;
        }

        /**
         * Credentials and region from an environment map, as restic reads them ({@code AWS_ACCESS_KEY_ID},
         * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, {@code AWS_DEFAULT_REGION}/{@code AWS_REGION});
         * without keys there, the default chain (profiles with {@code AWS_PROFILE}, roles).
         */
        public Builder credentialsFromEnvironment(Map<String, String> env) {
            String id = env.get("AWS_ACCESS_KEY_ID");
            String secret = env.get("AWS_SECRET_ACCESS_KEY");
            if (id != null && !id.isEmpty() && secret != null) {
                credentials(id, secret, env.get("AWS_SESSION_TOKEN"));
            }
            String r = env.getOrDefault("AWS_DEFAULT_REGION", env.get("AWS_REGION"));
            if (r != null && !r.isEmpty() && region == null) {
                region(r);
            }
            return this;
        }

        /** The region (default from the environment, else {@code us-east-1}, as restic). */
        public Builder region(String name) {
            once("region");
            this.region = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Virtual-host style requests ({@code bucket.host}) instead of path style. */
        public Builder virtualHostStyle() {
            once("virtualHostStyle");
            this.virtualHost = true;
            return this;
        }

        /** The storage class of data packs (e.g. {@code STANDARD_IA}); other files stay in the default class. */
        public Builder dataStorageClass(String storageClass) {
            once("dataStorageClass");
            this.dataStorageClass = Objects.requireNonNull(storageClass, "storageClass");
            return this;
        }

        /**
         * S3 Object Lock: every object but the lock files is written with a retention date {@code period} from
         * now, in {@code mode} (GOVERNANCE or COMPLIANCE). The bucket must have Object Lock enabled. Nothing of a
         * backup can then be deleted or overwritten before that date, by anyone (COMPLIANCE) or anyone without the
         * bypass permission (GOVERNANCE).
         *
         * @throws IllegalArgumentException if {@code period} is not positive or {@code mode} is unknown
         */
        public Builder objectLock(Duration period, String mode) {
            once("objectLock");
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("an object lock period must be positive: " + period);
            }
            this.retention = period;
            this.lockMode = ObjectLockMode.fromValue(mode.toUpperCase(java.util.Locale.ROOT));
            if (lockMode == ObjectLockMode.UNKNOWN_TO_SDK_VERSION) {
                throw new IllegalArgumentException("object lock mode is GOVERNANCE or COMPLIANCE, got '" + mode + "'");
            }
            return this;
        }

        /** The clock retention dates are computed from (default UTC system clock). */
        public Builder clock(Clock c) {
            once("clock");
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** The backend. */
        public Backend build() {
            URI endpoint = location.endpoint();
            S3Client client = S3Client.builder()
                    .endpointOverride(endpoint)
                    .region(Region.of(region != null ? region : "us-east-1"))
                    .credentialsProvider(credentials != null ? credentials : DefaultCredentialsProvider.builder()
                            .build())
                    .forcePathStyle(!virtualHost)
                    // No "Expect: 100-continue": the JDK's HttpURLConnection handles the interim response badly (the
                    // SDK works around part of it); it is the suspected cause of a CI run in which an empty PUT to
                    // S3Proxy failed three attempts in a row with "Error writing request body to server" (not
                    // reproduced). Without it, an upload the server rejects costs its body once.
                    .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(30))
                            .socketTimeout(Duration.ofMinutes(5)).build())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD)
                            .build())
                    .build();
            return create(new AwsObjectStore(client, location.bucket(), lockMode));
        }

        /** The backend over a given object store (the AWS one, or a test's). */
        Backend create(ObjectStore store) {
            return retention == null ? new S3Backend(store, location, dataStorageClass, null, clock)
                    : new S3Backend.Locked(store, location, dataStorageClass, retention, clock);
        }
    }
}
