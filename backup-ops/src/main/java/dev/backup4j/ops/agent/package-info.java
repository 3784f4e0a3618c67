/**
 * The agent: {@link dev.backup4j.ops.agent.Agent} runs the jobs of an {@link dev.backup4j.ops.agent.AgentConfig}
 * (a JSON file: repositories, backups, forget, copy, drills, checks, alerts, metrics) on the scheduler;
 * {@link dev.backup4j.ops.agent.Tasks} are its job tasks, usable on their own.
 */
package dev.backup4j.ops.agent;
