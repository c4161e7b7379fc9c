package dev.skiff.orchestrator.domain;

import dev.skiff.jobs.JobSpec;
import dev.skiff.workflows.Run;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables a job's task sees: its spec's environment, then the run's parameters (which win),
 * then Skiff's own {@code SKIFF_*} variables (which the spec may not set). Secrets are not here:
 * each launcher resolves them its own way, and never into logs.
 */
public final class TaskEnvironment {

    private TaskEnvironment() {
    }

    public static Map<String, String> of(JobSpec job, Run run, int attempt) {
        var env = new LinkedHashMap<>(job.environment());
        env.putAll(run.parameters());
        env.put("SKIFF_JOB", job.name());
        env.put("SKIFF_RUN_ID", run.runId());
        env.put("SKIFF_ATTEMPT", Integer.toString(attempt));
        env.put("SKIFF_TRIGGER", run.trigger());
        return Map.copyOf(env);
    }
}
