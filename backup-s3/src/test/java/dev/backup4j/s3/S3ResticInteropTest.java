package dev.backup4j.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.RestoreResult;
import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.testing.FsFacts;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.ResticDifferential;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.core.testing.TreeDigest;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 repositories on a real S3 server (S3Proxy in process) shared with the stock restic binary ({@code s3:http://...}):
 * the adversarial tree in both directions, the create-only race, and many writers followed by a prune.
 */
class S3ResticInteropTest {
    @RegisterExtension
    final S3ProxyExtension server = S3TestBuckets.server();

    @TempDir
    Path tmp;

    private static Repository.Opener opener(S3Location loc) {
        return ResticDifferential.opener(S3TestBuckets.backend(loc));
    }

    private Restic restic(S3Location loc) {
        return Restic.at(loc.toString(), ResticDifferential.PASSWORD).withEnvironment(S3TestBuckets.resticEnv());
    }

    @Test
    void resticReadsOurS3BackupAndWeReadRestics() throws Exception {
        Restic.requireRestic();
        Path src = SampleTrees.adversarial(tmp.resolve("src"));
        Map<String, String> facts = FsFacts.exact().withoutSockets().of(src);
        S3Location ours = S3TestBuckets.bucket(server, "ours", "lms/prod");
        ResticDifferential.backUpWithUs(src, opener(ours));
        ResticDifferential.resticReadsOurs(src, restic(ours), tmp.resolve("restic-restore"), facts);
        S3Location theirs = S3TestBuckets.bucket(server, "theirs", "");
        ResticDifferential.backUpWithRestic(src, opener(theirs), restic(theirs));
        ResticDifferential.weReadRestics(src, opener(theirs), tmp.resolve("our-restore"));
    }

    @Test
    void ofSixteenWritersOfOneNameExactlyOneWins() throws Exception {
        Backend b = S3TestBuckets.backend(S3TestBuckets.bucket(server, "race", "r"));
        Handle h = Handle.of(FileType.LOCK, dev.backup4j.core.common.Id.hash(new byte[] {42}));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger won = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            byte[] mine = ("writer " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            fs.add(pool.submit(() -> {
                go.await();
                try {
                    b.write(h, mine);
                    won.incrementAndGet();
                } catch (FileAlreadyExistsException e) {
                    refused.incrementAndGet();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        assertEquals(1, won.get(), "one winner");
        assertEquals(15, refused.get(), "fifteen refused");
        assertTrue(new String(b.readAll(h), java.nio.charset.StandardCharsets.UTF_8).startsWith("writer "));
    }

    @Test
    void manyHostsBackUpIntoOneRepositoryAtOnceThenAPruneAndResticAgree() throws Exception {
        Restic.requireRestic();
        S3Location loc = S3TestBuckets.bucket(server, "fleet", "backups");
        opener(loc).init().close();
        int hosts = 4;
        Map<String, Map<String, String>> expected = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        List<Future<?>> fs = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            int host = h;
            fs.add(pool.submit(() -> {
                Path src = Files.createDirectories(tmp.resolve("host" + host));
                Random rnd = new Random(host);
                for (int round = 0; round < 3; round++) {
                    byte[] data = new byte[100_000 + rnd.nextInt(300_000)];
                    rnd.nextBytes(data);
                    Files.write(src.resolve("f" + round), data);
                    Files.deleteIfExists(src.resolve("f" + (round - 2)));
                    Map<String, String> digest = TreeDigest.of(src);
                    try (Repository repo = ResticDifferential.opener(S3TestBuckets.backend(loc))
                            .lockWait(Duration.ofMinutes(2)).open()) {
                        BackupResult r = repo.backup().path(src).host("host-" + host).run();
                        expected.put(r.snapshot().requireId().toString(), digest);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        try (Repository repo = opener(loc).open()) {
            assertEquals(hosts * 3, repo.snapshots().size());
            dev.backup4j.core.maintenance.Forget.on(repo).policy(dev.backup4j.retention.RetentionPolicy.builder()
                    .zone(java.time.ZoneOffset.UTC).keepLast(1).build()).run();
            Prune.on(repo).maxUnused("0%").run();
        }
        restic(loc).run("check", "--read-data").ok();
        try (Repository repo = opener(loc).open()) {
            List<Snapshot> left = repo.snapshots();
            assertEquals(hosts, left.size(), "the newest snapshot of each host");
            for (Snapshot s : left) {
                Path target = tmp.resolve("restore-" + s.requireId().shortString());
                RestoreResult r = repo.restore(s.requireId().toString()).target(target).run();
                assertTrue(r.complete(), r.errors().toString());
                assertEquals(expected.get(s.requireId().toString()),
                        TreeDigest.of(target.resolve(s.paths().get(0).substring(1))));
            }
        }
    }
}
