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

    public static final String JOB = "SKIFF_JOB";
    public static final String RUN_ID = "SKIFF_RUN_ID";
    public static final String ATTEMPT = "SKIFF_ATTEMPT";
    public static final String TRIGGER = "SKIFF_TRIGGER";
    /** The step the task runs ({@code main} for a job without steps). */
    public static final String STEP = "SKIFF_STEP";
    /** The item of a forEach step's task, as JSON. */
    public static final String ITEM = "SKIFF_ITEM";
    /** The item's index in the step's items, from 0. */
    public static final String ITEM_INDEX = "SKIFF_ITEM_INDEX";
    /** The file a task may write its JSON output to (process launcher). */
    public static final String OUTPUT = "SKIFF_OUTPUT";
    /** The S3 object a task may write its JSON output to (Fargate). */
    public static final String OUTPUT_URI = "SKIFF_OUTPUT_URI";
    /**
     * The step's Step Functions task token, sealed with a key only the orchestrator holds (Step Functions mode):
     * how the orchestrator, which keeps no database, finds the token again from the task, while neither the job
     * nor a reader of DescribeTasks can answer for the step with it. See {@code TaskTokenSeal}.
     */
    public static final String SEALED_TASK_TOKEN = "SKIFF_SEALED_TASK_TOKEN";

    public static Map<String, String> of(JobSpec job, Run run, int attempt) {
        return of(job, run.runId(), run.trigger(), run.parameters(), attempt);
    }

    public static Map<String, String> of(JobSpec job, String runId, String trigger, Map<String, String> parameters,
                                         int attempt) {
        return of(job.name(), job.environment(), runId, trigger, parameters, attempt);
    }

    /**
     * The variables of one step's task: the step's environment (the job's where the step gave none), then the
     * parameters, then Skiff's own.
     */
    public static Map<String, String> of(String job, Map<String, String> environment, String runId, String trigger,
                                         Map<String, String> parameters, int attempt) {
        var env = new LinkedHashMap<>(environment);
        env.putAll(parameters);
        env.put(JOB, job);
        env.put(RUN_ID, runId);
        env.put(ATTEMPT, Integer.toString(attempt));
        env.put(TRIGGER, trigger);
        return Map.copyOf(env);
    }
}
