/**
 * backup4j's repository engine: restic repositories (format version 2) on a {@link dev.backup4j.core.backend.Backend},
 * backups from {@link dev.backup4j.core.snapshot.SnapshotSource}s, restores, browsing and maintenance. Start with
 * {@link dev.backup4j.core.Repository}.
 *
 * <p>On the module path, {@code --add-opens java.base/sun.nio.fs=dev.backup4j.core} lets local backups read the
 * JDK's file attributes directly (about a third less CPU time per entry in a walk) and restored symlink targets keep
 * repeated and trailing slashes; without it the same values come through the public file API
 * ({@link dev.backup4j.core.snapshot.FileNames}).
 * Exported packages and why: docs/modules.md.
 */
module dev.backup4j.core {
    // Forget takes a RetentionPolicy and returns its RetentionDecision
    requires transitive dev.backup4j.retention;
    // common.Json's API returns Jackson's JsonNode and ObjectNode
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;
    requires com.github.luben.zstd_jni;
    requires com.google.common;
    requires org.slf4j;
    // the REST backend (Backends.rest)
    requires java.net.http;
    // sun.misc.Signal: a process holding a lock ignores SIGHUP, restic's liveness probe (Locks)
    requires jdk.unsupported;

    exports dev.backup4j.core;
    exports dev.backup4j.core.backend;
    // BackupResult, BackupListener, BackupStatus, RunningBackup: what a backup reports and returns
    exports dev.backup4j.core.backup;
    exports dev.backup4j.core.browse;
    exports dev.backup4j.core.common;
    exports dev.backup4j.core.crypto;
    exports dev.backup4j.core.maintenance;
    // OpenRepository: what the operations below the root take (Forget.on, RestorePlanner.of, ...); Repository
    // implements it
    exports dev.backup4j.core.repository;
    exports dev.backup4j.core.restore;
    exports dev.backup4j.core.snapshot;
    // Lower layers, exported because public signatures of the packages above name their types (Repository.index(),
    // chunker(), saveBlob/loadBlob/decodeBlob, newPackWriter, readPackHeader; RestorePlan's pack reads). For tools
    // that work at blob level; not needed for backup, restore, browse or maintenance.
    exports dev.backup4j.core.chunker;
    exports dev.backup4j.core.index;
    exports dev.backup4j.core.pack;
    // not exported: dev.backup4j.core.compress (zstd framing; no public signature outside it names its types)
}
