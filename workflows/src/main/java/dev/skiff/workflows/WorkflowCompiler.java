package dev.skiff.workflows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Violation;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compiles a job spec to an Amazon States Language definition: one state machine per job, one
 * execution per run (named by its run id). Each step is a Task state that hands a launch request to
 * the orchestrator over SQS and waits for its SendTaskSuccess/Failure; Retry and Catch come from the
 * job's retry policy, so Step Functions, not the orchestrator, owns retries in AWS mode.
 */
public final class WorkflowCompiler {

    /** Send to SQS, then wait until someone calls back with the task token. */
    static final String TASK_RESOURCE = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
    static final String FAILED_STATE = "RunFailed";
    static final String SUCCEEDED_STATE = "RunSucceeded";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

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
        return AslJson.write(definition(Workflow.of(spec), spec, options));
    }

    /**
     * What keeps this spec from compiling to a definition Step Functions accepts; empty when it compiles.
     * These are ASL's own limits; the job-spec validator normally rejects such specs earlier.
     */
    public static List<Violation> check(JobSpec spec, CompileOptions options) {
        return AslLimits.violations(spec, options);
    }

    static ObjectNode definition(Workflow workflow, JobSpec spec, CompileOptions options) {
        List<Step> order = workflow.executionOrder();
        var root = JSON.objectNode();
        root.put("Comment", "Skiff job " + workflow.job());
        root.put("StartAt", order.get(0).name());
        var states = root.putObject("States");
        for (int i = 0; i < order.size(); i++) {
            String next = i + 1 < order.size() ? order.get(i + 1).name() : SUCCEEDED_STATE;
            states.set(order.get(i).name(), taskState(workflow.job(), order.get(i), next, spec, options));
        }
        states.set(SUCCEEDED_STATE, JSON.objectNode().put("Type", "Succeed"));
        states.set(FAILED_STATE, failState());
        return root;
    }

    private static ObjectNode taskState(String job, Step step, String next, JobSpec spec, CompileOptions options) {
        var state = JSON.objectNode();
        state.put("Type", "Task");
        state.put("Resource", TASK_RESOURCE);
        var parameters = state.putObject("Parameters");
        parameters.put("QueueUrl", options.dispatchQueueUrl());
        parameters.set("MessageBody", messageBody(job, step));
        state.put("HeartbeatSeconds", options.heartbeat().getSeconds());
        state.put("TimeoutSeconds", AslLimits.timeoutSeconds(spec, options));
        // The step's result is the orchestrator's callback payload; discarding it keeps the state's
        // input, so $.parameters reaches the next step unchanged.
        state.putNull("ResultPath");
        Retriers.of(spec.retries()).ifPresent(retry -> state.set("Retry", retry));
        var catcher = state.putArray("Catch").addObject();
        catcher.putArray("ErrorEquals").add(SkiffErrors.STATES_ALL);
        // Keeps the input and adds the error beside it, so RunFailed can report the step's own error.
        catcher.put("ResultPath", "$.error");
        catcher.put("Next", FAILED_STATE);
        state.put("Next", next);
        return state;
    }

    /**
     * The launch request ({@link DispatchRequest}). It names the job instead of carrying the spec: a spec with a large
     * environment could pass SQS's and Step Functions' 256 KiB limits, and the orchestrator reads
     * the current spec from the registry by name anyway. {@code $$.State.RetryCount} is 0 on the
     * first attempt; the orchestrator adds one to get the 1-based attempt number. The execution
     * input must hold a {@code parameters} object (empty when the run has none).
     */
    private static ObjectNode messageBody(String job, Step step) {
        var body = JSON.objectNode();
        body.put(DispatchRequest.RUN_ID + ".$", "$$.Execution.Name");
        body.put(DispatchRequest.JOB, job);
        body.put(DispatchRequest.STEP, step.name());
        body.put(DispatchRequest.ATTEMPT + ".$", "$$.State.RetryCount");
        body.put(DispatchRequest.PARAMETERS + ".$", "$.parameters");
        body.put(DispatchRequest.TASK_TOKEN + ".$", "$$.Task.Token");
        return body;
    }

    /** Fails the run with the failed step's own error name and cause, as the Catch stored them. */
    private static ObjectNode failState() {
        var state = JSON.objectNode();
        state.put("Type", "Fail");
        state.put("ErrorPath", "$.error.Error");
        state.put("CausePath", "$.error.Cause");
        return state;
    }
}
