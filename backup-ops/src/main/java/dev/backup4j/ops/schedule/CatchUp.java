package dev.backup4j.ops.schedule;

/** What a job does about planned runs whose window passed while the scheduler was down or busy. */
public enum CatchUp {
    /** Run once, as soon as possible, for all of them together (the default). */
    ONCE,
    /** Skip them: the next planned run is the next one (for jobs that must stay inside their windows). */
    SKIP
}
