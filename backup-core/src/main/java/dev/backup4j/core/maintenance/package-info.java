/**
 * Repository maintenance: locks, check, forget, prune and copy, each compatible with restic 0.14 on the same
 * repository.
 *
 * <p>Start with {@link dev.backup4j.core.maintenance.Locks} (take a lock before any other operation), then
 * {@link dev.backup4j.core.maintenance.Check}, {@link dev.backup4j.core.maintenance.Forget},
 * {@link dev.backup4j.core.maintenance.Prune} and {@link dev.backup4j.core.maintenance.Copy}. Each is a final builder
 * whose {@code run()} returns an immutable result that explains itself (what was found, removed or copied, and why).
 * {@code docs/maintenance.md} describes the ordering rules that keep a repository valid if an operation is
 * interrupted.
 */
package dev.backup4j.core.maintenance;
