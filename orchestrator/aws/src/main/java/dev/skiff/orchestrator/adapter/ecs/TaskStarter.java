package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * One RunTask on one capacity provider, through the rate limiter, until a task exists or it is clear
 * none will. The SDK does not retry RunTask itself: a throttled call must slow the limiter down, and a
 * call whose outcome is unknown must look for its task before it is sent again.
 */
final class TaskStarter {

    private static final Logger LOG = Logger.getLogger(TaskStarter.class);
    /** Unknown outcomes in a row after which the launch gives up (the engine may retry the attempt). */
    static final int MAX_UNKNOWN_OUTCOMES = 3;

    private static final SdkPlugin NO_SDK_RETRIES = config -> config.overrideConfiguration(
            config.overrideConfiguration().toBuilder().retryStrategy(AwsRetryStrategy.doNotRetry()).build());

    private final EcsClient ecs;
    private final FargateOptions options;
    private final FargateMetrics metrics;
    private final RunTaskRequests requests;
    private final AttemptTasks attemptTasks;
    private final LaunchRateLimiter limiter;

    TaskStarter(EcsClient ecs, FargateOptions options, FargateMetrics metrics) {
        this.ecs = ecs;
        this.options = options;
        this.metrics = metrics;
        this.requests = new RunTaskRequests(options);
        this.attemptTasks = new AttemptTasks(ecs, options);
        this.limiter = new LaunchRateLimiter(options.runTaskRate(), options.runTaskBurst(), System.nanoTime());
    }

    /**
     * @throws NoSpotCapacity        when Spot has no capacity (the caller falls back or gives up)
     * @throws LaunchFailedException when no task was started, with the outcome to record
     */
    StartedTask start(TaskRequest request, String definitionArn, CapacityProvider provider, int generation) {
        RunTaskRequest call = requests.build(request, definitionArn, provider, generation).toBuilder()
                .overrideConfiguration(o -> o.addPlugin(NO_SDK_RETRIES)).build();
        long giveUpAt = System.nanoTime() + options.maxLaunchWait().toNanos();
        int unknown = 0;
        String lastUnknown = "";
        while (true) {
            awaitSlot(request, giveUpAt);
            RunTaskResponse response;
            try {
                response = ecs.runTask(call);
            } catch (ConflictException e) {
                Optional<StartedTask> earlier = tokensTask(request, provider, e);
                if (earlier.isPresent()) {
                    return earlier.get();
                }
                lastUnknown = "ECS refused the client token, naming no task of the attempt: " + e.getMessage();
                response = null;
            } catch (AwsServiceException e) {
                if (e.isThrottlingException()) {
                    limiter.throttled(System.nanoTime());
                    metrics.throttled();
                    // The exact phrase "RunTask throttled" is what infra's metric filter counts.
                    LOG.infof("run %s: RunTask throttled; now %.1f calls/s", request.runId(), limiter.ratePerSecond());
                    continue;
                }
                if (e.statusCode() < 500) {
                    throw new LaunchFailedException(StartFailures.ofRejectedCall(e),
                            "run " + request.runId() + ": RunTask refused: " + e.getMessage(), e);
                }
                lastUnknown = "ECS answered " + e.statusCode() + ": " + e.getMessage();
                response = null;
            } catch (SdkException e) {
                lastUnknown = "no answer from ECS: " + e.getMessage();
                response = null;
            }
            if (response != null && response.hasTasks() && !response.tasks().isEmpty()) {
                return new StartedTask(response.tasks().get(0), provider, false);
            }
            if (response != null && response.hasFailures() && !response.failures().isEmpty()) {
                throw failed(request, provider, response.failures().get(0));
            }
            if (response != null) {
                lastUnknown = "ECS answered neither a task nor a failure";
            }
            Optional<StartedTask> adopted = adopt(request, provider, lastUnknown);
            if (adopted.isPresent()) {
                return adopted.get();
            }
            if (++unknown >= MAX_UNKNOWN_OUTCOMES) {
                throw new LaunchFailedException(new StepOutcome.StartFailed(lastUnknown, true),
                        "run " + request.runId() + ": RunTask outcome unknown " + unknown + " times: " + lastUnknown, null);
            }
        }
    }

    /**
     * ECS refuses a client token used again with other parameters, and names the tasks the token started. A second
     * delivery of one launch request makes exactly that call: same attempt, same token, but the step's task token
     * sealed afresh in its environment. The task is the attempt's, already started: it is taken, never doubled, and
     * the step is not failed while it runs.
     */
    private Optional<StartedTask> tokensTask(TaskRequest request, CapacityProvider provider, ConflictException conflict) {
        if (!conflict.hasResourceIds() || conflict.resourceIds().isEmpty()) {
            return Optional.empty();
        }
        try {
            return attemptTasks.named(request, conflict.resourceIds()).map(task -> {
                LOG.infof("run %s: RunTask's client token already started task %s; taking it over", request.runId(),
                        task.taskArn());
                return new StartedTask(task, provider, true);
            });
        } catch (SdkException e) {
            throw new LaunchFailedException(new StepOutcome.StartFailed("ECS refused the client token, and DescribeTasks "
                    + "of its tasks failed: " + e.getMessage(), true),
                    "run " + request.runId() + ": cannot describe the tasks RunTask's client token started: " + e.getMessage(), e);
        }
    }

    /** Before sending a call again whose outcome is unknown: its task may exist. */
    private Optional<StartedTask> adopt(TaskRequest request, CapacityProvider provider, String why) {
        LOG.warnf("run %s: RunTask outcome unknown (%s); looking for a task of attempt %d", request.runId(), why,
                request.attempt());
        try {
            return attemptTasks.find(request, provider).map(task -> {
                LOG.infof("run %s: took over task %s, which the unanswered RunTask had started", request.runId(), task.taskArn());
                return new StartedTask(task, provider, true);
            });
        } catch (SdkException e) {
            // Not knowing is no licence to launch again: a second task could run the job twice.
            throw new LaunchFailedException(new StepOutcome.StartFailed(why + "; and the lookup failed: " + e.getMessage(), true),
                    "run " + request.runId() + ": cannot tell whether RunTask started a task: " + e.getMessage(), e);
        }
    }

    private RuntimeException failed(TaskRequest request, CapacityProvider provider, Failure failure) {
        String reason = failure.reason() + (failure.detail() == null || failure.detail().isBlank() ? "" : " (" + failure.detail() + ")");
        if (provider == CapacityProvider.FARGATE_SPOT && StartFailures.isCapacityShortage(reason)) {
            return new NoSpotCapacity(reason);
        }
        return new LaunchFailedException(StartFailures.classify(reason),
                "run " + request.runId() + ": RunTask on " + provider.ecsName() + " failed: " + reason, null);
    }

    private void awaitSlot(TaskRequest request, long giveUpAt) {
        long now = System.nanoTime();
        long wait = limiter.reserve(now, Math.max(0, giveUpAt - now));
        if (wait < 0) {
            throw new LaunchFailedException(new StepOutcome.StartFailed(
                    "RunTask rate limit: no call slot within " + options.maxLaunchWait(), true),
                    "run " + request.runId() + ": RunTask rate limited for " + options.maxLaunchWait(), null);
        }
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchFailedException(new StepOutcome.StartFailed("interrupted while waiting to launch", true),
                        "run " + request.runId() + ": interrupted while waiting for the RunTask rate limiter", e);
            }
        }
    }
}
