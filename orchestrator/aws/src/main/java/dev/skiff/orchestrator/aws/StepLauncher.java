package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.adapter.sfn.TaskAnswer;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunValues;
import dev.skiff.workflows.SkiffErrors;
import dev.skiff.workflows.StepOutcome;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Launches the task a dispatch message asks for, with the step's task token sealed in its environment. A launch that
 * cannot happen is answered at once (SendTaskFailure), so the state machine's Retry and Catch decide what
 * follows instead of a heartbeat timeout minutes later. Returning normally means the launch is durable (the
 * task exists, or the token is answered): only then may the message be deleted.
 */
public final class StepLauncher {

    private static final Logger LOG = Logger.getLogger(StepLauncher.class);
    /** The task ARN reported for a step that never got a task. */
    static final String NO_TASK = "none";

    /** What became of a launch request. */
    public enum Outcome { LAUNCHED, ANSWERED, ANSWERED_FAILED, ALREADY_CLOSED }

    private final Function<String, Optional<JobSpec>> jobs;
    private final TaskFleet fleet;
    private final TaskTokens tokens;
    private final TaskTokenSeal seal;
    private final StepInputs inputs;

    /** A launcher of single-step jobs' steps, with no S3 for outputs and listings. */
    public StepLauncher(Function<String, Optional<JobSpec>> jobs, TaskFleet fleet, TaskTokens tokens,
                        TaskTokenSeal seal) {
        this(jobs, fleet, tokens, seal, StepInputs.NONE);
    }

    /**
     * @param jobs   the current spec of a job by name, from the registry
     * @param inputs what a pipeline's steps read: upstream outputs, S3 listings, where to write their own output
     */
    public StepLauncher(Function<String, Optional<JobSpec>> jobs, TaskFleet fleet, TaskTokens tokens,
                        TaskTokenSeal seal, StepInputs inputs) {
        this.jobs = jobs;
        this.fleet = fleet;
        this.tokens = tokens;
        this.seal = seal;
        this.inputs = inputs;
    }

    /**
     * @param redelivered the message was received before: an earlier delivery may have launched the task already
     */
    public Outcome launch(DispatchRequest request, boolean redelivered) {
        Optional<JobSpec> job = jobs.apply(request.job());
        if (job.isEmpty()) {
            return fail(request, new StepOutcome.StartFailed("job " + request.job() + " is not registered (removed?)", false));
        }
        Optional<StepSpec> step = job.get().step(request.step());
        if (step.isEmpty()) {
            return fail(request, new StepOutcome.StartFailed("job " + request.job() + " has no step " + request.step()
                    + " (its spec changed under the run?)", false));
        }
        if (request.kind() == DispatchRequest.Kind.ITEMS) {
            return answerItems(request, step.get());
        }
        TaskRequest task;
        try {
            task = taskRequest(request, job.get(), seal, inputs);
        } catch (RunValues.UnresolvableException e) {
            LOG.warnf("run %s: step %s cannot start: %s", request.runId(), request.step(), e.getMessage());
            return answer(request, new TaskAnswer.Failure(SkiffErrors.BAD_REFERENCE, e.getMessage()));
        }
        try {
            LaunchedTask launched = fleet.launch(task, redelivered);
            LOG.infof("run %s: attempt %d of step %s launched as %s on %s", request.runId(), request.attempt(),
                    request.step(), launched.taskId(), launched.ranOn());
            return Outcome.LAUNCHED;
        } catch (LaunchFailedException e) {
            LOG.warnf("run %s: attempt %d not launched: %s", request.runId(), request.attempt(), e.getMessage());
            return fail(request, e.outcome());
        }
    }

    /** A single-step job's task request, as {@link #taskRequest(DispatchRequest, JobSpec, TaskTokenSeal, StepInputs)}. */
    static TaskRequest taskRequest(DispatchRequest request, JobSpec job, TaskTokenSeal seal) {
        return taskRequest(request, job, seal, StepInputs.NONE);
    }

    /**
     * The task's request: the step's container and environment, the run's parameters, the step's resolved parameters,
     * Skiff's variables (the item and its index, the output URI for a pipeline's step) and the sealed task token.
     *
     * @throws RunValues.UnresolvableException when a step parameter's reference names nothing
     */
    static TaskRequest taskRequest(DispatchRequest request, JobSpec job, TaskTokenSeal seal, StepInputs inputs) {
        StepSpec step = job.step(request.step()).orElseThrow(() -> new RunValues.UnresolvableException(
                "job " + job.name() + " has no step " + request.step()));
        Map<String, String> parameters = new HashMap<>(request.parameters());
        parameters.putAll(inputs.parameters(request, step));
        Map<String, String> env = new HashMap<>(TaskEnvironment.of(job.name(), step.environment(), request.runId(),
                RunIds.triggerOf(request.runId()), parameters, request.attempt()));
        env.put(TaskEnvironment.STEP, request.step());
        int item = request.itemIndex().orElse(TaskRequest.NO_ITEM);
        if (item != TaskRequest.NO_ITEM) {
            env.put(TaskEnvironment.ITEM, request.item().orElseThrow());
            env.put(TaskEnvironment.ITEM_INDEX, Integer.toString(item));
        }
        env.put(TaskEnvironment.SEALED_TASK_TOKEN, seal.seal(request.taskToken(), sealedFor(request.runId(),
                request.step(), item, request.attempt())));
        TaskRequest task = new TaskRequest(request.runId(), job, request.step(), request.attempt(), step.commandLine(),
                env, step.timeout(), step.capacity(), item);
        if (job.isPipeline() && inputs.taskOutputs().isPresent()) {
            env.put(TaskEnvironment.OUTPUT_URI, inputs.taskOutputs().get().uriOf(task));
            task = new TaskRequest(task.runId(), job, task.step(), task.attempt(), task.commandLine(), env,
                    task.timeout(), task.capacity(), item);
        }
        return task;
    }

    /**
     * What a task's sealed token is bound to: its run, attempt and unit, so that no task of a fan-out can answer for
     * a sibling with its own token. A step that runs once is bound as before pipelines.
     */
    static TaskTokenSeal.Step sealedFor(String runId, String step, int item, int attempt) {
        return new TaskTokenSeal.Step(runId, item == TaskRequest.NO_ITEM ? step : step + "[" + item + "]", attempt);
    }

    /** Answers an items request at once: the items, or why there are none to give. */
    private Outcome answerItems(DispatchRequest request, StepSpec step) {
        TaskAnswer answer;
        try {
            answer = new TaskAnswer.Success(inputs.items(request, step));
        } catch (RunValues.UnresolvableException e) {
            boolean tooMany = e instanceof RunValues.TooManyItemsException;
            LOG.warnf("run %s: the items of step %s: %s", request.runId(), request.step(), e.getMessage());
            answer = new TaskAnswer.Failure(tooMany ? SkiffErrors.TOO_MANY_ITEMS : SkiffErrors.BAD_REFERENCE,
                    "step " + request.step() + ": " + e.getMessage());
        }
        return answer(request, answer);
    }

    private Outcome answer(DispatchRequest request, TaskAnswer answer) {
        TaskTokens.Delivery delivery = tokens.answer(request.taskToken(), answer);
        if (answer instanceof TaskAnswer.Success) {
            return delivery == TaskTokens.Delivery.DELIVERED ? Outcome.ANSWERED : Outcome.ALREADY_CLOSED;
        }
        return delivery == TaskTokens.Delivery.DELIVERED ? Outcome.ANSWERED_FAILED : Outcome.ALREADY_CLOSED;
    }

    private Outcome fail(DispatchRequest request, StepOutcome outcome) {
        TaskReport none = new TaskReport(NO_TASK, NO_TASK, Optional.empty(), Optional.empty(), Optional.empty());
        return tokens.answer(request.taskToken(), outcome, none) == TaskTokens.Delivery.DELIVERED
                ? Outcome.ANSWERED_FAILED : Outcome.ALREADY_CLOSED;
    }
}
