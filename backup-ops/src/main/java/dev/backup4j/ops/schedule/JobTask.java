package dev.backup4j.ops.schedule;

import dev.backup4j.ops.event.JobReport;

/**
 * The work of a job: one run. Throw to fail the run (the scheduler retries within the window if the job allows,
 * and publishes {@code JobFailed}). A task should check {@link JobContext#cancelled()} between steps and stop
 * early when asked; a blocking call is interrupted when the scheduler cancels the run.
 *
 * <pre>{@code
 * JobTask nightly = ctx -> JobReport.of(repo.backup().path(Path.of("/srv/app")).tag("nightly").run());
 * }</pre>
 */
@FunctionalInterface
public interface JobTask {
    /**
     * Runs once.
     *
     * @throws Exception anything: the run fails with its message
     */
    JobReport run(JobContext ctx) throws Exception;
}
