package dev.backup4j.core.restic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.maintenance.Forget;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.core.testing.FsFacts;
import dev.backup4j.core.testing.RcloneRestServer;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.ResticDifferential;
import dev.backup4j.core.testing.SampleTrees;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.core.common.AppendOnlyRepositoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST repositories on a real {@code rclone serve restic}: the adversarial tree in both directions with restic
 * ({@code rest:} URLs), and an append-only server, where backups work and forget and prune fail with a message that
 * names the append-only server and delete nothing.
 */
class RestResticInteropTest {
    @TempDir
    Path tmp;

    private static Repository.Opener opener(java.net.URI url) {
        return ResticDifferential.opener(Backends.rest(url));
    }

    @Test
    void resticReadsOurRestBackupAndWeReadRestics() throws Exception {
        Restic.requireRestic();
        try (RcloneRestServer server = RcloneRestServer.start(tmp.resolve("served"), false)) {
            Path src = SampleTrees.adversarial(tmp.resolve("src"));
            Map<String, String> facts = FsFacts.exact().withoutSockets().of(src);
            ResticDifferential.backUpWithUs(src, opener(server.url("ours")));
            ResticDifferential.resticReadsOurs(src, Restic.at("rest:" + server.url("ours"), ResticDifferential.PASSWORD),
                    tmp.resolve("restic-restore"), facts);
            ResticDifferential.backUpWithRestic(src, opener(server.url("restics")),
                    Restic.at("rest:" + server.url("restics"), ResticDifferential.PASSWORD));
            ResticDifferential.weReadRestics(src, opener(server.url("restics")), tmp.resolve("our-restore"));
        }
    }

    @Test
    void anAppendOnlyServerTakesBackupsAndRefusesForgetAndPruneWithoutDeletingAnything() throws Exception {
        Restic.requireRestic();
        Path served = tmp.resolve("served");
        Path src = Files.createDirectories(tmp.resolve("src"));
        java.net.URI url;
        try (RcloneRestServer open = RcloneRestServer.start(served, false)) {
            url = open.url("repo");
            try (Repository repo = opener(url).init()) {
                // a forgotten snapshot leaves data for a prune to delete
                Files.writeString(src.resolve("gone.bin"), "x".repeat(100_000));
                repo.backup().path(src).run();
                Forget.on(repo).policy(RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(1).build()).run();
                Files.delete(src.resolve("gone.bin"));
                repo.backup().path(src).run();
                Forget.on(repo).policy(RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(1).build()).run();
            }
        }
        try (RcloneRestServer server = RcloneRestServer.start(served, true)) {
            url = server.url("repo");
            try (Repository repo = opener(url).open()) {
                for (int i = 0; i < 2; i++) {
                    Files.writeString(src.resolve("f" + i + ".txt"), "version " + i);
                    repo.backup().path(src).run();
                }
                assertEquals(3, repo.snapshots().size());
                AppendOnlyRepositoryException f = assertThrows(AppendOnlyRepositoryException.class,
                        () -> Forget.on(repo).policy(RetentionPolicy.builder().zone(ZoneOffset.UTC).keepLast(1)
                                .build()).run());
                assertTrue(f.getMessage().contains("append-only") && f.getMessage().contains(url.toString()),
                        f.getMessage());
                assertTrue(repo.isAppendOnly(), "known append-only after the refusal");
                AppendOnlyRepositoryException p = assertThrows(AppendOnlyRepositoryException.class,
                        () -> Prune.on(repo).maxUnused("0%").run());
                assertTrue(p.getMessage().contains("append-only"), p.getMessage());
                assertEquals(3, repo.snapshots().size(), "no snapshot was removed");
            }
            try (Repository fresh = opener(url).open()) {
                // a fresh instance learns it from the server's refusal, once prune gets to its first delete
                assertThrows(AppendOnlyRepositoryException.class, () -> Prune.on(fresh).maxUnused("0%").run());
            }
            try (Repository told = ResticDifferential.opener(Backends.rest(url)).appendOnly().open()) {
                assertThrows(AppendOnlyRepositoryException.class, () -> Prune.on(told).maxUnused("0%").run());
            }
            Restic restic = Restic.at("rest:" + url, ResticDifferential.PASSWORD);
            restic.run("check", "--read-data").ok();
            assertEquals(3, ResticDifferential.jsonLines(restic.run("snapshots", "--json").ok().stdout()).get(0)
                    .size(), "restic lists the three snapshots");
        }
    }
}
