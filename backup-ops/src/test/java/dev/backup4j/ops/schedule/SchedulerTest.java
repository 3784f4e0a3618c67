package dev.backup4j.ops.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.ops.event.JobReport;
import dev.backup4j.ops.event.OpsEvent;
import dev.backup4j.ops.monitor.Alert;
import dev.backup4j.ops.monitor.Alerts;
import dev.backup4j.retention.BackupSchedule;
import dev.backup4j.retention.SimulatedClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler on a simulated clock: a year of schedule per test, no real waiting. */
class SchedulerTest {
    private static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private final List<OpsEvent> events = new ArrayList<>();

    private <T extends OpsEvent> List<T> of(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aYearOfPolicyEWindowsWithJitterStartsEveryRunInsideItsWindowOncePerDay() throws Exception {
        SimulatedClock clock = SimulatedClock.at(START, ZoneOffset.UTC);
        BackupSchedule e = BackupSchedule.parse("daily@01:00-02:00 Asia/Kolkata");
        Scheduler s = Scheduler.builder().clock(clock).listener(events::add).seed(7)
                .job(Job.builder("e", e, ctx -> {
                    clock.advanceBy(Duration.ofMinutes(3)); // the backup takes 3 minutes
                    return JobReport.of("ok");
                }).jitter(Duration.ofMinutes(50)).build())
                .build();
        long t0 = System.nanoTime();
        s.runUntil(START.plus(Duration.ofDays(366)), Waiter.advancing(clock));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        List<OpsEvent.JobStarted> started = of(OpsEvent.JobStarted.class);
        assertEquals(366, started.size());
        java.util.Set<LocalDate> days = new java.util.HashSet<>();
        java.util.Set<Long> offsets = new java.util.HashSet<>();
        for (OpsEvent.JobStarted st : started) {
            BackupSchedule.Run run = new BackupSchedule.Run(st.planned(), "daily", st.windowEnd());
            assertTrue(run.inWindow(st.time()), st.toString());
            assertEquals(java.time.LocalTime.of(1, 0), st.planned().atZone(IST).toLocalTime());
            assertTrue(days.add(st.time().atZone(IST).toLocalDate()));
            offsets.add(Duration.between(st.planned(), st.time()).toMinutes());
            assertFalse(st.catchUp());
        }
        // jitter spreads the starts over the window (seeded: the same every run of this test)
        assertTrue(offsets.size() > 30, offsets.toString());
        assertTrue(of(OpsEvent.RunsMissed.class).isEmpty());
        System.out.println("a simulated year of daily runs took " + ms + " ms");
    }

    @Test
    void theSameSeedGivesTheSameStartsAndAnotherSeedOthers() throws Exception {
        assertEquals(starts(1), starts(1));
        assertFalse(starts(1).equals(starts(2)));
    }

    private List<Instant> starts(long seed) throws InterruptedException {
        SimulatedClock clock = SimulatedClock.at(START, ZoneOffset.UTC);
        List<Instant> out = new ArrayList<>();
        Scheduler s = Scheduler.builder().clock(clock).seed(seed).job(Job.builder("j",
                BackupSchedule.parse("daily@02:00-03:00"), ctx -> {
                    out.add(ctx.clock().instant());
                    return JobReport.of("ok");
                }).jitter(Duration.ofHours(1)).build()).build();
        s.runUntil(START.plus(Duration.ofDays(30)), Waiter.advancing(clock));
        return out;
    }

    @Test
    void jobsDueTogetherRunByPriorityAndOneWhoseWindowClosedMeanwhileIsMissedAndCaughtUpOrSkipped()
            throws Exception {
        SimulatedClock clock = SimulatedClock.at(START, ZoneOffset.UTC);
        List<String> order = new ArrayList<>();
        JobTask slow = ctx -> {
            order.add(ctx.job());
            clock.advanceBy(Duration.ofMinutes(90));
            return JobReport.of("ok");
        };
        JobTask quick = ctx -> {
            order.add(ctx.job() + (ctx.catchUp() ? "(catch-up)" : ""));
            return JobReport.of("ok");
        };
        Scheduler s = Scheduler.builder().clock(clock).listener(events::add)
                .job(Job.builder("low", BackupSchedule.parse("daily@02:00-03:00"), quick).priority(1).build())
                .job(Job.builder("low-skip", BackupSchedule.parse("daily@02:00-03:00"), quick).priority(0)
                        .catchUp(CatchUp.SKIP).build())
                .job(Job.builder("high", BackupSchedule.parse("daily@02:00-03:00"), slow).priority(9).build())
                .build();
        s.runUntil(START.plus(Duration.ofHours(26)), Waiter.advancing(clock));
        assertEquals(List.of("high", "low(catch-up)"), order);
        List<OpsEvent.RunsMissed> missed = of(OpsEvent.RunsMissed.class);
        assertEquals(2, missed.size());
        assertTrue(missed.stream().anyMatch(m -> m.job().equals("low") && m.catchingUp()));
        assertTrue(missed.stream().anyMatch(m -> m.job().equals("low-skip") && !m.catchingUp()));
    }

    @Test
    void aRunThatOutlastsItsPeriodIsNeverOverlappedAndTheRunsDuringItAreCoalesced() throws Exception {
        SimulatedClock clock = SimulatedClock.at(START, ZoneOffset.UTC);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<Instant> startsAt = new ArrayList<>();
        Scheduler s = Scheduler.builder().clock(clock).listener(events::add)
                .job(Job.builder("dump", BackupSchedule.parse("hourly"), ctx -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    startsAt.add(ctx.clock().instant());
                    // every 5th run takes 2.5 hours
                    clock.advanceBy(startsAt.size() % 5 == 0 ? Duration.ofMinutes(150) : Duration.ofMinutes(10));
                    running.decrementAndGet();
                    return JobReport.of("ok");
                }).build())
                .build();
        s.runUntil(START.plus(Duration.ofDays(2)), Waiter.advancing(clock));
        assertEquals(1, maxRunning.get());
        for (int i = 1; i < startsAt.size(); i++) {
            assertTrue(startsAt.get(i).isAfter(startsAt.get(i - 1)));
        }
        // a long run swallows two planned runs: reported missed, one run made up at once
        assertFalse(of(OpsEvent.RunsMissed.class).isEmpty());
        assertTrue(of(OpsEvent.JobStarted.class).stream().anyMatch(OpsEvent.JobStarted::catchUp));
    }

    @Test
    void afterDowntimeTheMissedRunsAreCaughtUpOnceFromTheStateFile() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sched");
        StateStore state = StateStore.file(dir.resolve("state.json"));
        SimulatedClock clock = SimulatedClock.at(START, ZoneOffset.UTC);
        AtomicInteger runs = new AtomicInteger();
        JobTask count = ctx -> {
            runs.incrementAndGet();
            return JobReport.of("ok");
        };
        Job nightly = Job.builder("nightly", BackupSchedule.parse("daily@02:00"), count).build();
        Scheduler first = Scheduler.builder().clock(clock).state(state).job(nightly).build();
        first.runUntil(START.plus(Duration.ofDays(3)), Waiter.advancing(clock));
        assertEquals(3, runs.get());
        // down for five days: the process is gone, the clock moves on
        clock.advanceBy(Duration.ofDays(5).plusHours(10));
        Scheduler second = Scheduler.builder().clock(clock).state(StateStore.file(dir.resolve("state.json")))
                .listener(events::add).job(nightly).build();
        second.runUntil(clock.instant().plus(Duration.ofHours(1)), Waiter.advancing(clock));
        assertEquals(4, runs.get());
        OpsEvent.RunsMissed m = of(OpsEvent.RunsMissed.class).get(0);
        assertEquals(5, m.count());
        assertTrue(m.catchingUp());
        assertTrue(of(OpsEvent.JobStarted.class).get(0).catchUp());
        // and the schedule goes on normally
        second.runUntil(clock.instant().plus(Duration.ofDays(2)), Waiter.advancing(clock));
        assertEquals(6, runs.get());
    }

    @Test
    void aFailureIsRetriedInsideTheWindowAndAlertsOnceUntilRecovery() throws Exception {
        SimulatedClock clock = SimulatedClock.at(START, ZoneOffset.UTC);
        AtomicInteger attempts = new AtomicInteger();
        // days 3 to 5 fail on every attempt; day 7 fails once and succeeds on the retry
        JobTask flaky = ctx -> {
            attempts.incrementAndGet();
            LocalDate d = ctx.clock().instant().atZone(ZoneOffset.UTC).toLocalDate();
            int day = d.getDayOfMonth();
            if ((day >= 3 && day <= 5) || (day == 7 && ctx.attempt() == 1)) {
                throw new IOException("disk full");
            }
            return JobReport.of("ok");
        };
        Alerts alerts = Alerts.builder().build();
        Scheduler s = Scheduler.builder().clock(clock).listener(e -> {
            events.add(e);
            alerts.onEvent(e);
        }).job(Job.builder("nightly", BackupSchedule.parse("daily@02:00-04:00"), flaky)
                .retries(2, Duration.ofMinutes(30)).build()).build();
        s.runUntil(START.plus(Duration.ofDays(10)), Waiter.advancing(clock));
        List<Alert> sent = alerts.sent();
        assertEquals(List.of(Alert.Kind.FAILED, Alert.Kind.RECOVERED), sent.stream().map(Alert::kind).toList(),
                sent.toString());
        assertEquals(3, sent.get(1).failures());
        // 3 failing days x 3 attempts, day 7 twice, 6 good days once
        assertEquals(9 + 2 + 6, attempts.get());
        for (OpsEvent.JobFailed f : of(OpsEvent.JobFailed.class)) {
            assertTrue(f.time().isBefore(f.planned().plus(Duration.ofHours(2))), f.toString());
        }
    }

    @Test
    void shutdownLetsTheRunningJobFinishWithinTheGraceAndCancelsItAfter() throws Exception {
        java.time.Clock real = java.time.Clock.systemUTC();
        java.util.concurrent.CountDownLatch inJob = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        Scheduler s = Scheduler.builder().clock(real).listener(events::add)
                .job(Job.builder("long", BackupSchedule.parse("hourly@:00-:59"), ctx -> {
                    inJob.countDown();
                    try {
                        new java.util.concurrent.CountDownLatch(1).await(); // a job that would never end
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        assertTrue(ctx.cancelled());
                        throw new java.io.InterruptedIOException("cancelled");
                    }
                    return JobReport.of("never");
                }).build()).build();
        Thread loop = new Thread(() -> {
            try {
                s.run(Waiter.realTime(real));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();
        inJob.await();
        assertFalse(s.shutdown(Duration.ofMillis(50)));
        loop.join();
        assertEquals(1, interrupted.get());
        assertEquals(1, of(OpsEvent.JobCancelled.class).size());
        assertTrue(of(OpsEvent.JobFailed.class).isEmpty());
        Map<String, Instant> plan = s.plan();
        assertTrue(plan.containsKey("long"));
    }
}
