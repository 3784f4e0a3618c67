package dev.backup4j.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} over the AWS SDK v2's synchronous S3 client. Checksums are the store's business only where the
 * API requires them (the SDK's default CRC trailers since 2.30 are refused by several S3-compatible stores); every
 * upload carries a {@code Content-MD5} instead, which all of them check. Create-only writes are conditional
 * ({@code If-None-Match: *}); a store that answers that it does not implement them (501) is remembered, and from
 * then on such writes ask first whether the key exists (not atomic against a concurrent writer of the same key;
 * repository files are content-addressed, so such a writer writes the same bytes).
 */
final class AwsObjectStore implements ObjectStore {
    private static final Logger LOG = LoggerFactory.getLogger(AwsObjectStore.class);

    private final S3Client s3;
    private final String bucket;
    private final ObjectLockMode lockMode;
    private volatile boolean conditionalWrites = true;

    AwsObjectStore(S3Client s3, String bucket, ObjectLockMode lockMode) {
        this.s3 = s3;
        this.bucket = bucket;
        this.lockMode = lockMode;
    }

    /** Whether create-only writes are still made conditional (false once the store said it cannot). */
    boolean conditionalWrites() {
        return conditionalWrites;
    }

    private IOException translate(SdkException e, String what, String key) {
        if (e instanceof S3Exception s) {
            int code = s.statusCode();
            String msg = what + " " + key + ": " + (s.awsErrorDetails() != null
                    ? s.awsErrorDetails().errorCode() + " " + s.awsErrorDetails().errorMessage() : s.getMessage());
            return switch (code) {
                case 404 -> new NoSuchFileException(key, null, msg);
                case 403 -> new AccessDeniedException(key, null, msg + " (403: the credentials may not do this; "
                        + "credentials without delete make the repository append-only)");
                case 412 -> new FileAlreadyExistsException(key, null, msg);
                case 416 -> new EOFException(msg);
                default -> new IOException(msg + " (HTTP " + code + ")", e);
            };
        }
        if (e.getCause() instanceof InterruptedException || e.getCause() instanceof InterruptedIOException
                || Thread.currentThread().isInterrupted()) {
            return new InterruptedIOException(what + " " + key + " interrupted");
        }
        return new IOException(what + " " + key + ": " + e.getMessage(), e);
    }

    @Override
    public List<Entry> list(String prefix) throws IOException {
        try {
            List<Entry> out = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                    .build()).contents()) {
                out.add(new Entry(o.key(), o.size(), java.util.Optional.ofNullable(o.lastModified())));
            }
            return out;
        } catch (SdkException e) {
            throw translate(e, "listing", prefix);
        }
    }

    @Override
    public long size(String key) throws IOException {
        try {
            return s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).contentLength();
        } catch (SdkException e) {
            throw translate(e, "size of", key);
        }
    }

    @Override
    public byte[] get(String key, long offset, int length) throws IOException {
        GetObjectRequest.Builder b = GetObjectRequest.builder().bucket(bucket).key(key);
        if (offset > 0 || length > 0) {
            b.range("bytes=" + offset + "-" + (length > 0 ? Long.toString(offset + length - 1) : ""));
        }
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObjectAsBytes(b.build());
            return r.asByteArrayUnsafe();
        } catch (SdkException e) {
            throw translate(e, "reading", key);
        }
    }

    @Override
    public void put(String key, byte[] data, int length, boolean createOnly, String storageClass,
            Instant retainUntil) throws IOException {
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key).contentLength((long) length)
                .contentMD5(md5(data, length)).contentType("application/octet-stream");
        // (the MD5 is computed twice for a create-only write that meets a 412; cheap next to the upload)
        if (storageClass != null) {
            b.storageClass(storageClass);
        }
        if (retainUntil != null) {
            b.objectLockMode(lockMode).objectLockRetainUntilDate(retainUntil);
        }
        if (createOnly && conditionalWrites) {
            b.ifNoneMatch("*");
        } else if (createOnly) {
            try {
                size(key);
                throw new FileAlreadyExistsException(key, null, "exists");
            } catch (NoSuchFileException absent) {
                // write it
            }
        }
        String md5 = md5(data, length);
        try {
            s3.putObject(b.build(), RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(data, 0, length)));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 && sameContent(key, md5)) {
                // the SDK retried a write whose first attempt had landed: that object is this one
                return;
            }
            if (createOnly && conditionalWrites && e.statusCode() == 501) {
                LOG.info("the store does not implement conditional writes ({}); create-only writes now ask first",
                        e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorCode());
                conditionalWrites = false;
                put(key, data, length, true, storageClass, retainUntil);
                return;
            }
            throw translate(e, "writing", key);
        } catch (SdkException e) {
            throw translate(e, "writing", key);
        }
    }

    /** True if {@code key} holds an object whose ETag is this MD5 (a single-part upload's ETag is its MD5). */
    private boolean sameContent(String key, String md5Base64) {
        try {
            String etag = s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).eTag();
            String hex = java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(md5Base64));
            return etag != null && etag.replace("\"", "").equalsIgnoreCase(hex);
        } catch (SdkException e) {
            return false;
        }
    }

    private static String md5(byte[] data, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(data, 0, length);
            return Base64.getEncoder().encodeToString(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    @Override
    public java.util.Optional<Instant> retention(String key) throws IOException {
        try {
            return java.util.Optional.ofNullable(s3.getObjectRetention(r -> r.bucket(bucket).key(key)).retention())
                    .map(software.amazon.awssdk.services.s3.model.ObjectLockRetention::retainUntilDate);
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && e.awsErrorDetails() != null
                    && "NoSuchObjectLockConfiguration".equals(e.awsErrorDetails().errorCode())) {
                return java.util.Optional.empty();
            }
            throw translate(e, "retention of", key);
        } catch (SdkException e) {
            throw translate(e, "retention of", key);
        }
    }

    @Override
    public void retain(String key, Instant until) throws IOException {
        try {
            s3.putObjectRetention(r -> r.bucket(bucket).key(key).retention(
                    software.amazon.awssdk.services.s3.model.ObjectLockRetention.builder().mode(
                            software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode.fromValue(
                                    lockMode.toString())).retainUntilDate(until).build()));
        } catch (SdkException e) {
            throw translate(e, "extending the retention of", key);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        size(key); // S3 deletes a missing key without complaint; the backend contract wants NoSuchFileException
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (SdkException e) {
            throw translate(e, "deleting", key);
        }
    }

    @Override
    public boolean isPermanent(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException
                || e instanceof AccessDeniedException || e instanceof EOFException) {
            return true;
        }
        Throwable c = e.getCause();
        if (c instanceof S3Exception s) {
            return s.statusCode() >= 400 && s.statusCode() < 500 && s.statusCode() != 429 && s.statusCode() != 408;
        }
        return !(c instanceof SdkClientException);
    }

    @Override
    public void close() {
        s3.close();
    }
}
