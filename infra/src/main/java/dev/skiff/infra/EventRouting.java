package dev.skiff.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.ecs.ICluster;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Match;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.logs.MetricFilterOptions;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Where events go. Skiff's own bus takes upstream events (and Skiff's run events) and sends every one to the intake
 * queue; on the account's default bus, one rule sends the ECS task state changes of Skiff's job tasks, and another
 * the status changes of its executions, to the task-events queue, and another records every failed, timed-out or aborted execution of Skiff's state machines in a log
 * group, whose metric filter counts them as {@code Skiff/FailedRuns}. The state machines are created by the
 * orchestrator at run time, so the rule matches them by name prefix rather than by ARN.
 */
public final class EventRouting extends Construct {

    public static final String TASK_STATE_CHANGE = "ECS Task State Change";
    public static final String EXECUTION_STATUS_CHANGE = "Step Functions Execution Status Change";
    public static final List<String> FAILED_STATUSES = List.of("FAILED", "TIMED_OUT", "ABORTED");
    public static final String FAILED_RUNS_METRIC = "FailedRuns";

    private final EventBus bus;
    private final LogGroup failedRunsLog;
    private final MetricFilter failedRunsFilter;

    public EventRouting(Construct scope, String id, SkiffSettings settings, Queues queues, ICluster cluster,
                        RetentionDays retention) {
        super(scope, id);
        Arns arns = new Arns(Stack.of(this));

        this.bus = EventBus.Builder.create(this, "Bus").eventBusName(settings.eventBusName()).build();
        Rule.Builder.create(this, "UpstreamToIntake")
                .eventBus(bus)
                .description("Every event on Skiff's bus goes to the intake queue; the orchestrator matches it to jobs")
                // The empty prefix matches any source: a rule needs at least one field in its pattern.
                .eventPattern(EventPattern.builder().source(Match.prefix("")).build())
                .targets(List.of(toQueue(queues.intake())))
                .build();

        Rule.Builder.create(this, "TaskStateChanges")
                .description("ECS task state changes of Skiff's job tasks go to the task-events queue")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.ecs"))
                        .detailType(List.of(TASK_STATE_CHANGE))
                        .detail(Map.of(
                                "clusterArn", List.of(cluster.getClusterArn()),
                                // Job tasks only: the orchestrator's own service runs in the same cluster.
                                "taskDefinitionArn", Match.prefix(arns.jobTaskDefinitionPrefix())))
                        .build())
                .targets(List.of(toQueue(queues.taskEvents())))
                .build();

        Rule.Builder.create(this, "RunStatusChanges")
                .description("Status changes of Skiff's executions go to the task-events queue; each becomes a Skiff run"
                        + " event on Skiff's bus, put only after the orchestrator read it, so none is lost")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of(EXECUTION_STATUS_CHANGE))
                        .detail(Map.of("stateMachineArn", Match.prefix(arns.jobStateMachinePrefix())))
                        .build())
                .targets(List.of(toQueue(queues.taskEvents())))
                .build();

        this.failedRunsLog = LogGroup.Builder.create(this, "FailedRunsLog").retention(retention).build();
        Rule.Builder.create(this, "FailedRuns")
                .description("Failed, timed-out and aborted executions of Skiff's state machines, kept and counted")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.states"))
                        .detailType(List.of(EXECUTION_STATUS_CHANGE))
                        .detail(Map.of(
                                "status", FAILED_STATUSES,
                                "stateMachineArn", Match.prefix(arns.jobStateMachinePrefix())))
                        .build())
                .targets(List.of(new LogGroupTarget(failedRunsLog)))
                .build();
        this.failedRunsFilter = failedRunsLog.addMetricFilter("FailedRunsCount", MetricFilterOptions.builder()
                .filterPattern(FilterPattern.stringValue("$.source", "=", "aws.states"))
                .metricNamespace(SkiffNames.METRIC_NAMESPACE)
                .metricName(FAILED_RUNS_METRIC)
                .metricValue("1")
                .defaultValue(0)
                .build());
    }

    /**
     * Lets the trigger's role, and only it, put {@code skiff.trigger} events on the bus. Such an event names the job
     * it starts, so it must come from the function that checked the webhook's signature. The role may put events of
     * that source only (an identity policy with {@code events:source}); the bus denies that source to every other
     * principal (a resource policy), which also holds against principals with broad {@code events:PutEvents} rights.
     */
    public void allowTriggerEventsFrom(IRole triggerRole) {
        allowOnlyRoleToPut(triggerRole, SkiffNames.TRIGGER_SOURCE, "PutTriggerEvents", "OnlyTheTriggerPutsTriggerEvents");
    }

    /**
     * Lets the orchestrator's role, and only it, put {@code skiff.runs} events on the bus: a run event starts the jobs
     * that follow the job it names, so no one else may forge one. Same two-sided scoping as the trigger's events.
     */
    public void allowRunEventsFrom(IRole orchestratorRole) {
        allowOnlyRoleToPut(orchestratorRole, SkiffNames.RUN_EVENTS_SOURCE, "PutRunEvents", "OnlyTheOrchestratorPutsRunEvents");
    }

    private void allowOnlyRoleToPut(IRole role, String source, String grantSid, String denySid) {
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid(grantSid)
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .conditions(Map.of("StringEquals", Map.of("events:source", source)))
                .build());
        bus.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid(denySid)
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("events:PutEvents"))
                .resources(List.of(bus.getEventBusArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("events:source", source),
                        "ArnNotEquals", Map.of("aws:PrincipalArn", role.getRoleArn())))
                .build());
    }

    public EventBus bus() {
        return bus;
    }

    public LogGroup failedRunsLog() {
        return failedRunsLog;
    }

    /** Failed runs (Skiff/FailedRuns), summed over 5 minutes. */
    public Metric failedRuns() {
        return failedRunsFilter.metric(MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build());
    }

    /** Events EventBridge could not deliver go to the queue's own dead-letter queue, where its alarm sees them. */
    private static SqsQueue toQueue(QueueWithDeadLetter target) {
        return SqsQueue.Builder.create(target.queue())
                .deadLetterQueue(target.deadLetterQueue())
                .retryAttempts(185)
                .maxEventAge(Duration.hours(24))
                .build();
    }
}
