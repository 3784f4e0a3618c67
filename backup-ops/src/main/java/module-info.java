/**
 * Operations for a backup service built on backup4j: an embeddable scheduler on an injected clock, restore drills,
 * events, metrics and alerts, file history, and the agent that runs jobs from a config file. Start with
 * {@code dev.backup4j.ops} (package-info).
 */
module dev.backup4j.ops {
    requires transitive dev.backup4j.core;
    requires transitive dev.backup4j.retention;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    // webhook alerts
    requires java.net.http;
    // optional: metrics through Micrometer when the application has it
    requires static micrometer.core;

    exports dev.backup4j.ops.agent;
    exports dev.backup4j.ops.drill;
    exports dev.backup4j.ops.event;
    exports dev.backup4j.ops.history;
    exports dev.backup4j.ops.monitor;
    exports dev.backup4j.ops.schedule;
}
