package dev.backup4j.s3;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.BackendContractTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The backend contract on a real S3 server (S3Proxy, in process), under a key prefix as restic uses them. */
class S3BackendContractTest extends BackendContractTest {
    static final S3ProxyExtension SERVER = S3TestBuckets.server();
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        SERVER.beforeEach(null); // one server for the class, a bucket per test
    }

    @AfterAll
    static void stop() {
        SERVER.afterEach(null);
    }

    @Override
    protected Backend newBackend() {
        return S3TestBuckets.backend(S3TestBuckets.bucket(SERVER, "contract" + BUCKETS.incrementAndGet(),
                "team/repo"));
    }
}
