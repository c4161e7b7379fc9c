package dev.skiff.orchestrator.port;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One attempt to launch: of a step, or of one item of a forEach step.
 *
 * @param step         the step's name ({@value StepSpec#MAIN} for a job without steps)
 * @param environment  the step's environment, the run's parameters, the step's resolved parameters and Skiff's own
 *                     SKIFF_* variables
 * @param capacity     where to run this attempt; on-demand after a Spot fallback
 * @param item         the item's index in a forEach step; {@link #NO_ITEM} otherwise
 */
public record TaskRequest(
        String runId,
        JobSpec job,
        String step,
        int attempt,
        List<String> commandLine,
        Map<String, String> environment,
        Duration timeout,
        Capacity capacity,
        int item) {

    public static final int NO_ITEM = -1;

    public TaskRequest {
        commandLine = List.copyOf(commandLine);
        environment = Map.copyOf(environment);
        if (item < NO_ITEM) {
            throw new IllegalArgumentException("item must be 0 or more, or NO_ITEM: " + item);
        }
    }

    /** An attempt of a step that runs once (not per item). */
    public TaskRequest(String runId, JobSpec job, String step, int attempt, List<String> commandLine,
                       Map<String, String> environment, Duration timeout, Capacity capacity) {
        this(runId, job, step, attempt, commandLine, environment, timeout, capacity, NO_ITEM);
    }

    /** The step this attempt runs, with its own image, resources and secrets (the job's where it gave none). */
    public StepSpec container() {
        return job.step(step).orElseThrow(() -> new IllegalStateException(
                "job " + job.name() + " has no step " + step + " (its spec changed under the run?)"));
    }

    /** {@code <run id>/<step>[<item>]/<attempt>}: the attempt's id in logs, tags and file names. */
    public String unitId() {
        return UnitIds.of(runId, step, item, attempt);
    }
}
