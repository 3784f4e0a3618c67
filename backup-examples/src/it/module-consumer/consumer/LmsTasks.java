package consumer;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.backup.BackupStatus;
import dev.backup4j.core.backup.RunningBackup;
import dev.backup4j.core.maintenance.Check;
import dev.backup4j.core.maintenance.CheckResult;
import dev.backup4j.core.maintenance.Forget;
import dev.backup4j.core.maintenance.ForgetResult;
import dev.backup4j.core.maintenance.Locks;
import dev.backup4j.core.maintenance.Prune;
import dev.backup4j.core.maintenance.PruneResult;
import dev.backup4j.core.restore.RestoreExecutor;
import dev.backup4j.core.restore.RestorePlan;
import dev.backup4j.core.restore.RestorePlanner;
import dev.backup4j.core.restore.RestoreReport;
import dev.backup4j.core.restore.RestoreTarget;
import dev.backup4j.core.restore.RestoreTargets;
import dev.backup4j.core.restore.SnapshotSelector;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntries;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.retention.BackupSchedule;
import dev.backup4j.retention.Calendars;
import dev.backup4j.retention.RetentionCalendar;
import dev.backup4j.retention.RetentionPolicy;
import dev.backup4j.retention.RetentionPresets;
import dev.backup4j.retention.RetentionSimulation;
import dev.backup4j.retention.SimulatedClock;
import dev.backup4j.retention.SimulationResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The six tasks an LMS vendor does with backup4j, each a method of at most 20 lines of library calls, run on the
 * module path by ModulePathConsumerTest: {@code java -m consumer/consumer.LmsTasks WORK}. Each task checks its own
 * outcome and prints one {@code task N ok: ...} line; a failed check throws, so the program exits non-zero.
 *
 * <p>The repository is local ({@code WORK/repo}) and its clock a {@link SimulatedClock}: backups are days apart in
 * simulated time, within milliseconds of real time.
 */
public final class LmsTasks {
    static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
    static final String PASSWORD = "lms tasks";

    private LmsTasks() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path moodledata = Files.createDirectories(work.resolve("moodledata/course42"));
        Files.writeString(moodledata.resolve("syllabus.txt"), "week 1: backups\n", StandardCharsets.UTF_8);
        Files.write(moodledata.resolve("lecture.bin"), new byte[2 << 20]);
        SimulatedClock clock = SimulatedClock.at(Instant.parse("2026-09-01T01:00:00Z"), ZONE);
        try (Repository repo = Repository.at(Backends.local(work.resolve("repo"))).password(PASSWORD).clock(clock)
                .init()) {
            folderAndDump(repo, work.resolve("moodledata"), clock);
            clock.advanceBy(Duration.ofDays(1));
            courseSource(repo);
            threeYearsOfRetention();
            restoreByDate(repo, Instant.parse("2026-09-01T12:00:00Z"), work.resolve("restored"));
            clock.advanceBy(Duration.ofDays(1));
            progressAndCancellation(repo, work.resolve("moodledata"));
            maintenance(repo, clock);
        }
    }

    /** Task 1: the data folder under a logical path, plus a database dump streamed from a command's output. */
    static void folderAndDump(Repository repo, Path moodledata, SimulatedClock clock) throws IOException {
        BackupResult r = repo.backup()
                .path(moodledata, "/moodledata")
                .source(SnapshotSources.stream("/db/moodle.sql",
                        () -> new ByteArrayInputStream("CREATE TABLE course (id int);\n".getBytes()), clock))
                .tag("nightly")
                .run();
        check(Set.copyOf(r.snapshot().paths()).equals(Set.of("/db/moodle.sql", "/moodledata")), "paths " + r.snapshot().paths());
        System.out.println("task 1 ok: snapshot " + r.snapshot().requireId().shortString() + " of "
                + r.snapshot().paths());
    }

    /** Task 2: courses straight from the application's records (here a list), no temporary files. */
    static void courseSource(Repository repo) throws IOException {
        record Upload(String name, Instant uploaded, String text) { }
        List<Upload> uploads = List.of(new Upload("essay.txt", Instant.parse("2026-09-01T10:00:00Z"), "an essay"),
                new Upload("quiz.csv", Instant.parse("2026-09-01T11:00:00Z"), "q,a\n1,b\n"));
        SnapshotSource courses = new SnapshotSource() {
            public String path() {
                return "/lms/course42";
            }

            public SourceEntry root() {
                return SourceEntries.directory("course42", Instant.parse("2026-09-01T00:00:00Z"),
                        () -> uploads.stream().map(u -> SourceEntries.file(u.name(), u.text().length(), u.uploaded(),
                                () -> new ByteArrayInputStream(u.text().getBytes(StandardCharsets.UTF_8)))).toList());
            }
        };
        BackupResult r = repo.backup().source(courses).tag("courses").run();
        check(r.filesNew() == 2 && r.errors().isEmpty(), "files " + r.filesNew() + ", errors " + r.errors());
        System.out.println("task 2 ok: " + r.filesNew() + " uploads in snapshot "
                + r.snapshot().requireId().shortString());
    }

    /** Task 3: a preset extended with the academic terms, simulated over three years of nightly backups. */
    static void threeYearsOfRetention() {
        RetentionCalendar terms = Calendars.custom("academic-term")
                .period("2026-autumn", LocalDate.of(2026, 9, 1), LocalDate.of(2027, 1, 31))
                .period("2027-spring", LocalDate.of(2027, 2, 1), LocalDate.of(2027, 6, 30))
                .period("2027-autumn", LocalDate.of(2027, 9, 1), LocalDate.of(2028, 1, 31))
                .period("2028-spring", LocalDate.of(2028, 2, 1), LocalDate.of(2028, 6, 30))
                .build();
        RetentionPolicy policy = RetentionPresets.daily7Weekly3Monthly3(ZONE).toBuilder().keepPeriods(terms, 4).build();
        SimulationResult sim = RetentionSimulation.builder().policy(policy)
                .schedule(BackupSchedule.parse("daily@02:00")).from(LocalDate.of(2026, 9, 1)).years(3).run();
        long termEnds = sim.restorePointsAt(LocalDate.of(2029, 8, 31)).stream()
                .filter(p -> p.reasons().stream().anyMatch(k -> k.toString().contains("2027-spring"))).count();
        check(termEnds == 1, "restore points kept for the 2027 spring term: " + termEnds);
        System.out.println("task 3 ok: " + sim.successfulRuns() + " simulated backups, at most " + sim.maxHeld()
                + " held, the last backup of the 2027 spring term still kept after three years");
    }

    /** Task 4: restore the course as it was at a date (the nearest snapshot before it), previewed, then verified. */
    static void restoreByDate(Repository repo, Instant asOf, Path target) throws IOException {
        try (RestoreTarget dir = RestoreTargets.directory(target)) {
            RestorePlan plan = RestorePlanner.of(repo, SnapshotSelector.at(asOf, SnapshotSelector.TimeMatch.AT_OR_BEFORE))
                    .subPath("/moodledata/course42")
                    .plan(dir);
            System.out.println("task 4 plan: " + plan);
            RestoreReport report = RestoreExecutor.of(repo).execute(plan, dir);
            check(report.complete() && report.files() == 2, "restore " + report);
        }
        check(Files.readString(target.resolve("syllabus.txt")).equals("week 1: backups\n"), "syllabus content");
        System.out.println("task 4 ok: course42 as of " + asOf + " restored into " + target);
    }

    /** Task 5: a backup in the background with progress, cancelled: no snapshot, no lock left behind. */
    static void progressAndCancellation(Repository repo, Path moodledata) throws Exception {
        int before = repo.snapshots().size();
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            RunningBackup running = repo.backup().path(moodledata, "/moodledata").force()
                    .source(SnapshotSources.stream("/db/slow.sql", () -> new SlowDump(started), repo.clock()))
                    .start(executor);
            started.await();
            BackupStatus status = running.status();
            check(running.cancel(), "cancel came too late");
            try {
                running.await();
                throw new IllegalStateException("a cancelled backup completed");
            } catch (CancellationException expected) {
                // no snapshot, lock released
            }
            check(repo.snapshots().size() == before, "a snapshot was saved");
            check(Locks.on(repo).list().isEmpty(), "locks left: " + Locks.on(repo).list());
            System.out.println("task 5 ok: cancelled at " + status.filesDone() + " files; no snapshot, no lock");
        } finally {
            executor.shutdown();
        }
    }

    /** Task 6: the nightly maintenance: forget by policy, prune, and a check that reads 10% of the data. */
    static void maintenance(Repository repo, SimulatedClock clock) throws IOException {
        for (int day = 0; day < 3; day++) { // three nightly dumps: the policy keeps the last two days
            clock.advanceBy(Duration.ofDays(1));
            String dump = "CREATE TABLE course (id int);\n-- night " + day + "\n";
            repo.backup().source(SnapshotSources.stream("/db/nightly.sql",
                    () -> new ByteArrayInputStream(dump.getBytes(StandardCharsets.UTF_8)), clock)).run();
        }
        ForgetResult forget = Forget.on(repo).policy(RetentionPresets.lastTwoDays(ZONE))
                .only(s -> s.paths().equals(List.of("/db/nightly.sql"))).run();
        PruneResult prune = Prune.on(repo).run();
        CheckResult check = Check.on(repo).readDataSubset("10%").run();
        check(forget.removed().size() == 1, "forgot " + forget.removed());
        check(check.ok(), "check: " + check.errors());
        System.out.println("task 6 ok: forgot " + forget.removed().size() + " snapshots, pruned "
                + prune.packsDeleted() + " packs, check ok");
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }

    /** A dump that produces a few bytes, signals that the backup is reading it, and then never ends. */
    static final class SlowDump extends java.io.InputStream {
        private final CountDownLatch started;
        private int sent;

        SlowDump(CountDownLatch started) {
            this.started = started;
        }

        @Override
        public int read() throws IOException {
            if (sent++ < 1024) {
                return 'x';
            }
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("cancelled");
            }
            return -1;
        }
    }
}
