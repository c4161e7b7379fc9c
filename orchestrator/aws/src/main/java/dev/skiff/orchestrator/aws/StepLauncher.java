package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.RunIds;
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
    public enum Outcome { LAUNCHED, ANSWERED_FAILED, ALREADY_CLOSED }

    private final Function<String, Optional<JobSpec>> jobs;
    private final TaskFleet fleet;
    private final TaskTokens tokens;
    private final TaskTokenSeal seal;

    /** @param jobs the current spec of a job by name, from the registry */
    public StepLauncher(Function<String, Optional<JobSpec>> jobs, TaskFleet fleet, TaskTokens tokens,
                        TaskTokenSeal seal) {
        this.jobs = jobs;
        this.fleet = fleet;
        this.tokens = tokens;
        this.seal = seal;
    }

    /**
     * @param redelivered the message was received before: an earlier delivery may have launched the task already
     */
    public Outcome launch(DispatchRequest request, boolean redelivered) {
        Optional<JobSpec> job = jobs.apply(request.job());
        if (job.isEmpty()) {
            return fail(request, new StepOutcome.StartFailed("job " + request.job() + " is not registered (removed?)", false));
        }
        TaskRequest task = taskRequest(request, job.get(), seal);
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

    /** The task's request: the spec's environment, the run's parameters, Skiff's variables and the sealed task token. */
    static TaskRequest taskRequest(DispatchRequest request, JobSpec job, TaskTokenSeal seal) {
        Map<String, String> env = new HashMap<>(TaskEnvironment.of(job, request.runId(),
                RunIds.triggerOf(request.runId()), request.parameters(), request.attempt()));
        env.put(TaskEnvironment.STEP, request.step());
        env.put(TaskEnvironment.SEALED_TASK_TOKEN, seal.seal(request.taskToken(),
                new TaskTokenSeal.Step(request.runId(), request.step(), request.attempt())));
        return new TaskRequest(request.runId(), job, request.step(), request.attempt(), job.commandLine(), env,
                job.timeout(), job.capacity());
    }

    private Outcome fail(DispatchRequest request, StepOutcome outcome) {
        TaskReport none = new TaskReport(NO_TASK, NO_TASK, Optional.empty(), Optional.empty(), Optional.empty());
        return tokens.answer(request.taskToken(), outcome, none) == TaskTokens.Delivery.DELIVERED
                ? Outcome.ANSWERED_FAILED : Outcome.ALREADY_CLOSED;
    }
}
