package dev.skiff.workflows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The dispatch Task states: a launch of a step attempt (or of one item's attempt) and a forEach step's items request,
 * each a message on the dispatch queue ({@link DispatchRequest}) answered through its task token.
 */
final class TaskStates {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String job;
    private final CompileOptions options;
    private final Retriers.LostHeartbeat lost;

    TaskStates(String job, CompileOptions options, Retriers.LostHeartbeat lost) {
        this.job = job;
        this.options = options;
        this.lost = lost;
    }

    /**
     * A step attempt: the launch request, the step's Retry, its TimeoutSeconds. The result (the orchestrator's callback
     * payload) is discarded, which keeps the state's input, so $.parameters reaches the next step unchanged.
     *
     * @param ofItem true inside a Map's item processor, where the item and its index come in as $.item and $.index
     */
    ObjectNode launch(Step step, boolean ofItem) {
        var state = dispatch(launchBody(step, ofItem));
        state.put("HeartbeatSeconds", options.heartbeat().getSeconds());
        state.put("TimeoutSeconds", AslLimits.timeoutSeconds(step.timeout(), options));
        state.putNull("ResultPath");
        Retriers.of(step.retries(), lost).ifPresent(retry -> state.set("Retry", retry));
        return state;
    }

    /**
     * A forEach step's items request, answered with {@code {"items": [...], "maxFailures": n}} into $.fanOut. The
     * dispatcher answers it at once; the timeout is a backstop for a dispatcher that is down, as long as a launch
     * may wait for it.
     */
    ObjectNode items(Step step) {
        var body = JSON.objectNode();
        body.put(DispatchRequest.KIND, DispatchRequest.Kind.ITEMS.wireName());
        body.setAll(launchBody(step, false));
        var state = dispatch(body);
        state.put("HeartbeatSeconds", options.heartbeat().getSeconds());
        state.put("TimeoutSeconds", 2 * options.heartbeat().getSeconds() + options.launchAllowance().getSeconds());
        state.put("ResultPath", "$.fanOut");
        return state;
    }

    /** Catches every error into $.error beside the input, so the Fail state reports the step's own error and cause. */
    static void catchInto(ObjectNode state, String next) {
        var catcher = state.putArray("Catch").addObject();
        catcher.putArray("ErrorEquals").add(SkiffErrors.STATES_ALL);
        catcher.put("ResultPath", "$.error");
        catcher.put("Next", next);
    }

    private ObjectNode dispatch(ObjectNode body) {
        var state = JSON.objectNode();
        state.put("Type", "Task");
        state.put("Resource", WorkflowCompiler.TASK_RESOURCE);
        var parameters = state.putObject("Parameters");
        parameters.put("QueueUrl", options.dispatchQueueUrl());
        parameters.set("MessageBody", body);
        return state;
    }

    /**
     * The launch request. It names the job instead of carrying the spec: a spec with a large environment could pass
     * SQS's and Step Functions' 256 KiB limits, and the orchestrator reads the current spec from the registry by name
     * anyway. {@code $$.State.RetryCount} is 0 on the first attempt; the orchestrator adds one to get the 1-based
     * attempt number. The execution input must hold a {@code parameters} object (empty when the run has none). A
     * launch carries no {@code kind}: that is what every state machine compiled before pipelines sends.
     */
    private ObjectNode launchBody(Step step, boolean ofItem) {
        var body = JSON.objectNode();
        body.put(DispatchRequest.RUN_ID + ".$", "$$.Execution.Name");
        body.put(DispatchRequest.JOB, job);
        body.put(DispatchRequest.STEP, step.name());
        body.put(DispatchRequest.ATTEMPT + ".$", "$$.State.RetryCount");
        body.put(DispatchRequest.PARAMETERS + ".$", "$.parameters");
        if (ofItem) {
            body.put(DispatchRequest.ITEM_INDEX + ".$", "$." + ForEachStates.INDEX);
            body.put(DispatchRequest.ITEM + ".$", "$." + ForEachStates.ITEM);
        }
        body.put(DispatchRequest.TASK_TOKEN + ".$", "$$.Task.Token");
        return body;
    }
}
