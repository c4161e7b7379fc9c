package dev.skiff.orchestrator.port;

import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one attempt's task ended, with everything its launcher knows of it: the engine records the outcome and cost,
 * and the Step Functions runtime also needs the step and the task's environment (the sealed task token is there).
 *
 * @param job         the job's name
 * @param report      the task that ran the attempt: its id, where it ran, when it started and stopped, its cost
 * @param environment the task's environment as the launcher saw it; empty when it could not be read (a task that
 *                    vanished)
 * @param output      the JSON document the task wrote to {@code SKIFF_OUTPUT} (or {@code SKIFF_OUTPUT_URI}), when it
 *                    wrote one; the launcher has checked it is JSON of at most {@link #MAX_OUTPUT_BYTES}
 */
public record TaskEnd(String runId, String job, String step, int attempt, StepOutcome outcome, Instant endedAt,
                      TaskReport report, Map<String, String> environment, Optional<String> output) {

    /** A step's output goes through Step Functions' payload, which takes at most 256 KiB. */
    public static final int MAX_OUTPUT_BYTES = 256 * 1024;

    public TaskEnd {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(report, "report");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(output, "output");
    }

    /** The end of a task that wrote no output. */
    public TaskEnd(String runId, String job, String step, int attempt, StepOutcome outcome, Instant endedAt,
                   TaskReport report, Map<String, String> environment) {
        this(runId, job, step, attempt, outcome, endedAt, report, environment, Optional.empty());
    }

    /** The launcher's estimate of what the task cost; empty when it knows no price or cannot tell. */
    public Optional<BigDecimal> costUsd() {
        return report.costUsd();
    }
}
