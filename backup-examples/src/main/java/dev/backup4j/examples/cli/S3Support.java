package dev.backup4j.examples.cli;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.s3.S3Backends;
import dev.backup4j.s3.S3Location;
import java.time.Duration;
import java.util.Map;

/**
 * S3 repository locations as restic takes them ({@code s3:host/bucket/prefix}, {@code s3:http://host:port/bucket}),
 * credentials and region from the environment as restic reads them ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}, {@code AWS_DEFAULT_REGION}, {@code AWS_PROFILE}).
 */
final class S3Support {
    private S3Support() {
    }

    static Backend backend(String spec, Map<String, String> env, Integer objectLockDays, String objectLockMode) {
        S3Location loc;
        try {
            loc = S3Location.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        S3Backends.Builder b = S3Backends.builder(loc).credentialsFromEnvironment(env);
        if (objectLockDays != null) {
            if (objectLockDays <= 0) {
                throw new CliException("--object-lock-days must be positive, got " + objectLockDays);
            }
            try {
                b.objectLock(Duration.ofDays(objectLockDays), objectLockMode);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
        }
        return b.build();
    }
}
