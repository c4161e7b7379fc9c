package dev.skiff.workflows;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link WorkflowCompiler} that come from the deployment, not from the job spec.
 * Start from {@link #defaults()} and change what differs with the {@code withX} methods.
 *
 * @param dispatchQueueUrl  the SQS queue the orchestrator reads launch requests from
 * @param heartbeat         how long Step Functions waits between heartbeats before it fails the step
 *                          with States.HeartbeatTimeout (the orchestrator's reconciler sends them)
 * @param launchAllowance   added to the job's timeout for the task state's TimeoutSeconds, covering
 *                          the time before the job's code starts: queueing, image pull, Spot capacity
 */
public record CompileOptions(String dispatchQueueUrl, Duration heartbeat, Duration launchAllowance) {

    /** A CloudFormation substitution the infra stack fills in, so compiled definitions hold no account ids. */
    public static final String DEFAULT_DISPATCH_QUEUE_URL = "${DispatchQueueUrl}";
    /** Five minutes: a few reconciler sweeps may be missed before a live task counts as lost. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofMinutes(5);
    /** Ten minutes: a large image pull plus a wait for Fargate Spot capacity. */
    public static final Duration DEFAULT_LAUNCH_ALLOWANCE = Duration.ofMinutes(10);

    public CompileOptions {
        Objects.requireNonNull(dispatchQueueUrl, "dispatchQueueUrl");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(launchAllowance, "launchAllowance");
        if (dispatchQueueUrl.isBlank()) {
            throw new IllegalArgumentException("dispatchQueueUrl must not be blank");
        }
        // ASL HeartbeatSeconds is a positive integer.
        if (heartbeat.getNano() != 0 || heartbeat.getSeconds() < 1) {
            throw new IllegalArgumentException("heartbeat must be a whole number of seconds, at least 1, got " + heartbeat);
        }
        if (launchAllowance.getNano() != 0 || launchAllowance.isNegative()) {
            throw new IllegalArgumentException("launchAllowance must be a whole number of seconds, 0 or more, got "
                    + launchAllowance);
        }
    }

    public static CompileOptions defaults() {
        return new CompileOptions(DEFAULT_DISPATCH_QUEUE_URL, DEFAULT_HEARTBEAT, DEFAULT_LAUNCH_ALLOWANCE);
    }

    public CompileOptions withDispatchQueueUrl(String url) {
        return new CompileOptions(url, heartbeat, launchAllowance);
    }

    public CompileOptions withHeartbeat(Duration value) {
        return new CompileOptions(dispatchQueueUrl, value, launchAllowance);
    }

    public CompileOptions withLaunchAllowance(Duration value) {
        return new CompileOptions(dispatchQueueUrl, heartbeat, value);
    }
}
