/**
 * Retention: which snapshots to keep, and why. Pure logic, no repository needed.
 *
 * <p>Where to start:
 * <ul>
 *   <li>{@link dev.backup4j.retention.RetentionPolicy#builder()} combines rules; {@link
 *       dev.backup4j.retention.RetentionPolicy#apply(java.util.Collection, java.time.Instant)} returns a
 *       {@link dev.backup4j.retention.RetentionDecision} that names a reason for every kept snapshot. Legal holds
 *       (hold tags, hold predicates) are part of a policy; {@link dev.backup4j.retention.RetentionPolicy#toBuilder()}
 *       starts a policy from another one (a preset plus a rule), {@code Builder.keepAll} merges two.</li>
 *   <li>{@link dev.backup4j.retention.RetentionPresets} holds ready-made policies (one per published policy the
 *       library must express), {@link dev.backup4j.retention.ResticForgetOptions} maps restic's {@code forget} flags.</li>
 *   <li>{@link dev.backup4j.retention.RetentionCalendar} is the SPI that turns an instant into a period key;
 *       {@link dev.backup4j.retention.Calendars} has the built-in ones and date-range calendars.</li>
 *   <li>{@link dev.backup4j.retention.RetentionSimulation} runs a {@link dev.backup4j.retention.BackupSchedule} for
 *       years on a {@link dev.backup4j.retention.SimulatedClock} (thread-safe, also for tests) and reports restore
 *       points, counts and gaps.</li>
 * </ul>
 *
 * <p>Snapshots are seen through {@link dev.backup4j.retention.RetentionSnapshot}; this package depends on nothing but
 * the JDK, Guava and SLF4J, and backup-core adapts its snapshots to that interface. Every bucket is computed in the
 * policy's explicit {@link java.time.ZoneId}: a policy cannot be built without one.
 */
package dev.backup4j.retention;
