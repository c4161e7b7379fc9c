package dev.skiff.workflows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compiles a job spec to an Amazon States Language definition: one state machine per job, one
 * execution per run (named by its run id). Each step is a Task state that hands a launch request to
 * the orchestrator over SQS and waits for its SendTaskSuccess/Failure; Retry and Catch come from the
 * step's retry policy, so Step Functions, not the orchestrator, owns retries in AWS mode. Steps that
 * may run at once are the branches of Parallel states ({@link StepPlan}); a forEach step is an inline
 * Map ({@link ForEachStates}). docs/pipelines.md describes every shape.
 */
public final class WorkflowCompiler {

    /** Send to SQS, then wait until someone calls back with the task token. */
    static final String TASK_RESOURCE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    static final String FAILED_STATE = "RunFailed";
    static final String SUCCEEDED_STATE = "RunSucceeded";

    private WorkflowCompiler() {
    }

    /** {@link #compile(JobSpec, CompileOptions)} with {@link CompileOptions#defaults()}. */
    public static String compile(JobSpec spec) {
        return compile(spec, CompileOptions.defaults());
    }

    /**
     * The definition as pretty-printed JSON with a stable key order.
     *
     * @throws IllegalArgumentException listing every problem {@link #check} finds
     */
    public static String compile(JobSpec spec, CompileOptions options) {
        List<Violation> violations = check(spec, options);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("cannot compile job " + spec.name() + " to ASL: "
                    + violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        }
        return AslJson.write(definition(spec, options));
    }

    /**
     * What keeps this spec from compiling to a definition Step Functions accepts; empty when it compiles.
     * These are ASL's own limits; the job-spec validator normally rejects such specs earlier.
     */
    public static List<Violation> check(JobSpec spec, CompileOptions options) {
        var violations = new ArrayList<>(AslLimits.violations(spec, options));
        if (violations.isEmpty()) {
            violations.addAll(AslLimits.definitionViolations("job " + spec.name(), definition(spec, options)));
        }
        return List.copyOf(violations);
    }

    /** How the spec's step graph is drawn: exactly with Parallel states, or (partly) in levels. */
    public static GraphShape shape(JobSpec spec) {
        return StepPlan.of(Workflow.of(spec)).shape();
    }

    private static ObjectNode definition(JobSpec spec, CompileOptions options) {
        Workflow workflow = Workflow.of(spec);
        // Single-step jobs keep exactly the output they had before pipelines (see Retriers).
        var lost = spec.isPipeline() ? Retriers.LostHeartbeat.BOTH_NAMES : Retriers.LostHeartbeat.HEARTBEAT_TIMEOUT_ONLY;
        return new PlanStates(workflow.job(), options, lost).definition(StepPlan.of(workflow));
    }
}
