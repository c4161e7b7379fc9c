package dev.skiff.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.AccountRootPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.MetricFilterOptions;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms, the dashboard, and the encrypted SNS topic every alarm notifies. Failed runs come from the failed-runs
 * rule's metric filter; Spot fallbacks and RunTask throttles from metric filters on the orchestrator's log, which
 * writes a fixed phrase for each.
 */
public final class Monitoring extends Construct {

    public static final String SPOT_FALLBACKS_METRIC = "SpotFallbacks";
    public static final String RUN_TASK_THROTTLES_METRIC = "RunTaskThrottles";

    private final Key key;
    private final Topic topic;
    private final List<Alarm> alarms = new ArrayList<>();
    private final Dashboard dashboard;

    /** What is watched. */
    public record Sources(SkiffSettings settings, Queues queues, EventRouting events, OrchestratorService orchestrator) {
    }

    public Monitoring(Construct scope, String id, Sources sources) {
        super(scope, id);
        this.key = alarmKey();
        this.topic = Topic.Builder.create(this, "Alarms")
                .displayName("Skiff alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Stack.of(this).getAccount())))
                .build());
        sources.settings().alarmEmail().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));

        for (QueueWithDeadLetter queue : sources.queues().all()) {
            String name = queue.getNode().getId();
            alarm(name + "DeadLetters", queue.deadLetters(), 0, ComparisonOperator.GREATER_THAN_THRESHOLD, 1,
                    "Messages in the " + name + " dead-letter queue: each needs a look (the reason is in its attributes)");
            alarm(name + "OldestMessage", queue.oldestMessageAge(), queue.oldestAgeThreshold().toSeconds(),
                    ComparisonOperator.GREATER_THAN_THRESHOLD, 3,
                    "The oldest message in the " + name + " queue is older than " + queue.oldestAgeThreshold().toSeconds()
                            + " s: the orchestrator is not keeping up, or not reading");
        }
        Metric failedRuns = sources.events().failedRuns();
        alarm("FailedRuns", failedRuns, 1, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1,
                "A Skiff run failed, timed out or was aborted (see the failed-runs log group)");
        LogGroup orchestratorLog = sources.orchestrator().logGroup();
        Metric fallbacks = phraseCount(orchestratorLog, "SpotFallbacks", SkiffNames.SPOT_FALLBACK_PHRASE, SPOT_FALLBACKS_METRIC);
        alarm("SpotFallbacks", fallbacks, 10, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1,
                "Ten or more launches in 5 minutes fell back from Fargate Spot to on-demand: Spot capacity is short");
        Metric throttles = phraseCount(orchestratorLog, "RunTaskThrottles", SkiffNames.RUN_TASK_THROTTLED_PHRASE, RUN_TASK_THROTTLES_METRIC);
        alarm("RunTaskThrottles", throttles, 10, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, 1,
                "Ten or more RunTask calls in 5 minutes were throttled: launches are slowed down");
        Metric cpu = sources.orchestrator().cpuUtilization();
        alarm("OrchestratorCpu", cpu, 80, ComparisonOperator.GREATER_THAN_THRESHOLD, 3,
                "The orchestrator's CPU has stayed above 80% for 15 minutes");
        Metric memory = sources.orchestrator().memoryUtilization();
        alarm("OrchestratorMemory", memory, 80, ComparisonOperator.GREATER_THAN_THRESHOLD, 3,
                "The orchestrator's memory has stayed above 80% for 15 minutes");

        this.dashboard = Dashboard.Builder.create(this, "Dashboard").build();
        dashboard.addWidgets(
                graph("Runs", List.of(failedRuns)),
                graph("Launches", List.of(fallbacks, throttles)),
                graph("Orchestrator CPU and memory (%)", List.of(cpu, memory)));
        dashboard.addWidgets(
                graph("Messages waiting", sources.queues().all().stream().map(QueueWithDeadLetter::visibleMessages).toList()),
                graph("Oldest message age (s)", sources.queues().all().stream().map(QueueWithDeadLetter::oldestMessageAge).toList()),
                graph("Dead letters", sources.queues().all().stream().map(QueueWithDeadLetter::deadLetters).toList()));
        dashboard.addWidgets(AlarmStatusWidget.Builder.create().title("Alarms").alarms(List.copyOf(alarms)).width(24).build());
    }

    /**
     * A customer managed key: CloudWatch can publish to an encrypted topic only when the key policy lets it use
     * the key, which the AWS managed key for SNS does not. The policy names its actions; none is {@code kms:*}.
     */
    private Key alarmKey() {
        PolicyStatement administer = PolicyStatement.Builder.create()
                .sid("AccountAdministersKey")
                .principals(List.of(new AccountRootPrincipal()))
                .actions(List.of("kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                        "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
                        "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"))
                .resources(List.of("*"))
                .build();
        PolicyStatement alarmsUse = PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsUseKey")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build();
        PolicyStatement accountUseThroughSns = PolicyStatement.Builder.create()
                .sid("AccountUsesKeyThroughSns")
                .principals(List.of(new AccountRootPrincipal()))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("kms:ViaService", "sns." + Stack.of(this).getRegion() + ".amazonaws.com")))
                .build();
        return Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts Skiff's alarm topic")
                .enableKeyRotation(true)
                .policy(PolicyDocument.Builder.create().statements(List.of(administer, alarmsUse, accountUseThroughSns)).build())
                .build();
    }

    private Metric phraseCount(LogGroup logGroup, String id, String phrase, String metricName) {
        return logGroup.addMetricFilter(id, MetricFilterOptions.builder()
                        .filterPattern(FilterPattern.allTerms(phrase))
                        .metricNamespace(SkiffNames.METRIC_NAMESPACE)
                        .metricName(metricName)
                        .metricValue("1")
                        .defaultValue(0)
                        .build())
                .metric(MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build());
    }

    private void alarm(String id, IMetric metric, Number threshold, ComparisonOperator comparison, int periods, String description) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .threshold(threshold)
                .comparisonOperator(comparison)
                .evaluationPeriods(periods)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .alarmDescription(description)
                .build();
        alarm.addAlarmAction(new SnsAction(topic));
        alarms.add(alarm);
    }

    private static IWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(8).build();
    }

    public Topic topic() {
        return topic;
    }

    public Key key() {
        return key;
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    public Dashboard dashboard() {
        return dashboard;
    }
}
