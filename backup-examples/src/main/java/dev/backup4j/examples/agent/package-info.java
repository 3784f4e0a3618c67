/**
 * Example for hosting companies: a "backup server" agent that connects to an application server over SSH every night
 * and pulls what is needed to rebuild the application (its files and a database dump) into a local repository,
 * then applies the published LMS retention calendar. Start with {@link dev.backup4j.examples.agent.PullAgent}.
 */
package dev.backup4j.examples.agent;
