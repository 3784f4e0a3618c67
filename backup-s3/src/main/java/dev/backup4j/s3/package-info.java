/**
 * Repositories on S3-compatible object storage (AWS S3, Ceph RGW, MinIO, Garage), in restic's layout and at restic's
 * {@code s3:} locations, so restic reads and writes the same repositories. Start with {@link dev.backup4j.s3.S3Backends}
 * and {@link dev.backup4j.s3.S3Location}; the S3 client (the AWS SDK v2 over the JDK's HTTP connection) is behind
 * a small internal interface.
 */
package dev.backup4j.s3;
