package dev.skiff.orchestrator.app;

import dev.skiff.jobs.JobSpec;

/** A job the orchestrator runs, with where its spec came from (a file path, an S3 key). */
public record RegisteredJob(JobSpec spec, String source) {
}
