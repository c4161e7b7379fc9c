package dev.skiff.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything under {@code skiff.sfn.}: how the {@code stepfunctions} engine makes state machines. Read only
 * when {@code skiff.engine=stepfunctions}, so nothing here is required by the embedded default.
 */
@ConfigMapping(prefix = "skiff.sfn")
public interface StepFunctionsConfig {

    /** The role every job's state machine runs as; it needs {@code sqs:SendMessage} on the dispatch queue. Required. */
    Optional<String> roleArn();

    /** The SQS queue the state machines send launch requests to, and the orchestrator reads. Required. */
    Optional<String> dispatchQueueUrl();

    /** The SQS queue an EventBridge rule sends the cluster's ECS Task State Change events to. Required. */
    Optional<String> taskEventsQueueUrl();

    /**
     * The keys that seal each step's task token in its task's environment, comma-separated, newest first: the
     * first seals, every one opens. Each is at least 32 random characters; every replica needs the same list.
     * Required. Never logged.
     */
    Optional<List<String>> tokenKeys();

    /**
     * The event bus (name or ARN) Skiff puts its run events on ({@code source skiff.runs}: Run Started, Succeeded,
     * Failed, Timed Out, Cancelled, Deadline Missed). Skiff's own bus, whose rule brings them back to the intake queue,
     * makes {@code triggers.after} work. Unset: no run events are published (a line at start says so).
     */
    Optional<String> runEventsBus();

    /** How often the reconciler sends heartbeats, stops overdue tasks and settles steps whose event was lost. */
    @WithDefault("60s")
    Duration reconcileInterval();

    /**
     * How long a received launch request stays hidden from other replicas: longer than a launch may take (its
     * wait for the RunTask rate limiter included). A request whose replica died comes back after it.
     */
    @WithDefault("2m")
    Duration dispatchVisibilityTimeout();

    /** How long a received task event stays hidden; one whose replica died comes back after it. */
    @WithDefault("1m")
    Duration taskEventsVisibilityTimeout();

    /** Launch requests handled at once (each may wait for the RunTask rate limiter). */
    @WithDefault("8")
    int dispatchConcurrency();

    /**
     * Jobs per second whose state machine is checked, and created or updated if needed, in the background, so that
     * most first runs find theirs ready. A run's start makes its job's machine current in any case (one
     * DescribeStateMachine the first time after a start of the service, a create or update when needed); startup
     * and registry changes make no Step Functions call. Each check is one DescribeStateMachine, plus a
     * CreateStateMachine or UpdateStateMachine when needed: keep it well below those calls' quotas, which the runs'
     * starts share. 0 turns the warming off.
     */
    @WithDefault("2")
    double registerRate();

    /**
     * How long before its next fire a scheduled job's missing state machine is made at the latest (earlier when many
     * fire close together, so that each is ready in time at {@code register-rate}). A job that follows a scheduled job
     * counts as firing with it. Machines found missing at start for schedules further off wait, so that a large
     * catalog's warming does not run at full pace for hours.
     */
    @WithDefault("30m")
    Duration registerAhead();

    /**
     * Jobs per second (at most {@code register-rate}, taken as it when above) whose missing state machine is made
     * when they have no schedule (nor follow a scheduled job): started by events or the API, their next run cannot be
     * foreseen. One that runs before its turn makes its machine on its way (one DescribeStateMachine and one
     * CreateStateMachine).
     */
    @WithDefault("0.2")
    double unscheduledRegisterRate();

    /** Job {@code j} runs as state machine {@code <prefix>j}. */
    @WithDefault("skiff-")
    String namePrefix();

    /** HeartbeatSeconds of every step: how long Step Functions waits between heartbeats before the step is lost. */
    @WithDefault("5m")
    Duration heartbeat();

    /** Added to a job's timeout for its task state's TimeoutSeconds: queueing, image pull, waiting for Spot. */
    @WithDefault("10m")
    Duration launchAllowance();
}
