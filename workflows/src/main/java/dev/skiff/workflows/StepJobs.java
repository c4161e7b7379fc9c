package dev.skiff.workflows;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;

/**
 * A pipeline step seen as a one-step job: the rules of {@code RunLifecycle} and {@link StepDecisions} (attempts,
 * retries, timeout, capacity) read a {@link JobSpec}, and each unit of a pipeline follows its step's own, exactly as a
 * one-step job follows the job's.
 */
public final class StepJobs {

    private StepJobs() {
    }

    public static JobSpec view(JobSpec job, StepSpec step) {
        return new JobSpec(job.name(), job.description(), job.owner(), step.image(), step.command(), step.args(),
                step.environment(), step.secrets(), step.resources(), step.capacity(), step.timeout(), step.retries(),
                job.parameters(), job.tags(), job.triggers());
    }
}
