/**
 * Example for backup services: {@link dev.backup4j.examples.ops.ServiceAgentExample}, an agent config for
 * published policies B and D (windows, hourly database dumps, replication, drills, checks, metrics, alerts).
 */
package dev.backup4j.examples.ops;
