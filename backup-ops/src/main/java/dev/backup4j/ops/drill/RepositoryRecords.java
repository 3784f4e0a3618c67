package dev.backup4j.ops.drill;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backup4j.core.Repository;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.browse.SnapshotBrowser;
import dev.backup4j.core.snapshot.Snapshot;
import dev.backup4j.core.snapshot.SnapshotSources;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Drill and check results stored in the repository itself, so their history survives the machine that ran them and
 * travels with {@code copy} to a second site. Each record is a tiny snapshot, tagged {@link #DRILL_TAG} or
 * {@link #CHECK_TAG}, holding one file, {@code /backup4j/drill.json} or {@code /backup4j/check.json}, with the
 * record's JSON; its time is the record's. restic lists and reads them as any snapshot:
 * {@code restic snapshots --tag backup4j-drill}, {@code restic dump ID /backup4j/drill.json}.
 *
 * <p>Why a snapshot and not a file of our own in the repository: restic's format has no place for other files
 * (a file under an unknown directory is ignored by restic today but by nothing promised), while a snapshot is
 * checked by {@code restic check}, copied by {@code copy}, and needs nothing but the existing format. The cost: the
 * records are snapshots, so retention must leave them alone. {@link #isRecord(Snapshot)} tells them apart; the
 * agent's forget passes {@code Forget.only(isRecord.negate())}, drills never pick them, and
 * {@code versions} skips them.
 *
 * <pre>{@code
 * RepositoryRecords.save(repo, drillResult, clock);
 * List<DrillResult> history = RepositoryRecords.drills(repo);
 * }</pre>
 */
public final class RepositoryRecords {
    /** The tag of a drill record. */
    public static final String DRILL_TAG = "backup4j-drill";
    /** The tag of a check record. */
    public static final String CHECK_TAG = "backup4j-check";

    private RepositoryRecords() {
    }

    /** Whether {@code s} is a record snapshot (tagged {@link #DRILL_TAG} or {@link #CHECK_TAG}). */
    public static boolean isRecord(Snapshot s) {
        return s.tags().contains(DRILL_TAG) || s.tags().contains(CHECK_TAG);
    }

    /** {@link #isRecord}, as a predicate. */
    public static Predicate<Snapshot> records() {
        return RepositoryRecords::isRecord;
    }

    /**
     * Stores {@code record} as a tagged snapshot, dated at the record's time.
     *
     * @return the record's snapshot
     * @throws IOException if the repository cannot be written
     */
    public static Snapshot save(Repository repo, OpsRecord record, Clock clock) throws IOException {
        requireNonNull(repo, "repo");
        requireNonNull(record, "record");
        requireNonNull(clock, "clock");
        byte[] json = OpsRecord.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record.toJson());
        BackupResult r = repo.backup()
                .source(SnapshotSources.stream(path(record.type()), () -> new ByteArrayInputStream(json), clock))
                .tag(record.type().equals("drill") ? DRILL_TAG : CHECK_TAG)
                .tag(record.ok() ? "ok" : "failed")
                .time(record.time())
                .workers(1)
                .run();
        return r.snapshot();
    }

    private static String path(String type) {
        return "/backup4j/" + type + ".json";
    }

    /** Drill records in the repository, oldest first. */
    public static List<DrillResult> drills(Repository repo) throws IOException {
        List<DrillResult> out = new ArrayList<>();
        for (JsonNode n : read(repo, DRILL_TAG, "drill")) {
            out.add(DrillResult.fromJson(n));
        }
        return out;
    }

    /** Check records in the repository, oldest first. */
    public static List<CheckRecord> checks(Repository repo) throws IOException {
        List<CheckRecord> out = new ArrayList<>();
        for (JsonNode n : read(repo, CHECK_TAG, "check")) {
            out.add(CheckRecord.fromJson(n));
        }
        return out;
    }

    private static List<JsonNode> read(Repository repo, String tag, String type) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (Snapshot s : repo.snapshots()) {
            if (!s.tags().contains(tag)) {
                continue;
            }
            try (InputStream in = SnapshotBrowser.of(repo, s).open(path(type))) {
                out.add(OpsRecord.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }
}
