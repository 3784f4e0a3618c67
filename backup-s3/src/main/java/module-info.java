/**
 * Repositories on S3-compatible object storage, in restic's layout and at restic's {@code s3:} locations. Start with
 * {@link dev.backup4j.s3.S3Backends}.
 */
module dev.backup4j.s3 {
    requires transitive dev.backup4j.core;
    // the AWS SDK v2 (automatic modules): the S3 client, its JDK HTTP client, credentials and regions
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.http;
    requires org.slf4j;

    exports dev.backup4j.s3;
}
