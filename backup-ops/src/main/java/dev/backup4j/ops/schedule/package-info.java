/**
 * An embeddable scheduler for backup jobs. Start with {@link dev.backup4j.ops.schedule.Scheduler}: jobs
 * ({@link dev.backup4j.ops.schedule.Job}) with calendars in the retention simulator's syntax
 * ({@link dev.backup4j.retention.BackupSchedule}), windows with seeded jitter, priorities, retries and catch-up.
 * Time is an injected {@link java.time.Clock}; a {@link dev.backup4j.ops.schedule.Waiter} waits for the next due
 * time, for real or by advancing a {@link dev.backup4j.retention.SimulatedClock}.
 */
package dev.backup4j.ops.schedule;
