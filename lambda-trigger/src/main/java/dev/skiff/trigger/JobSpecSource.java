package dev.skiff.trigger;

import dev.skiff.jobs.JobSpec;
import java.util.Optional;

/**
 * Where the function finds job specs to check a webhook's parameters against. Optional: without
 * one, the orchestrator is the only judge of a job's parameters.
 */
public interface JobSpecSource {

    /** The job's valid spec; empty when there is no such job. */
    Optional<JobSpec> find(String job);
}
