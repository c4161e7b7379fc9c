package dev.skiff.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/** All of Skiff in one stack: each part is a construct of its own; this class only wires them together. */
public final class SkiffStack extends Stack {

    private final Network network;
    private final SkiffCluster cluster;
    private final Queues queues;
    private final Buckets buckets;
    private final JobRuntime jobs;
    private final StateMachineRole stateMachineRole;
    private final EventRouting events;
    private final OrchestratorService orchestrator;
    private final OrchestratorPermissions orchestratorPermissions;
    private final WebhookTrigger trigger;
    private final Monitoring monitoring;

    public SkiffStack(Construct scope, String id, SkiffSettings settings) {
        super(scope, id, StackProps.builder()
                .description("Skiff: event-driven batch and ETL jobs on Fargate, tracked by Step Functions")
                .env(Environment.builder().region(settings.region()).account(settings.account().orElse(null)).build())
                .build());
        RetentionDays retention = retention(settings.logRetentionDays());

        this.network = new Network(this, "Network", settings, retention);
        this.cluster = new SkiffCluster(this, "Cluster", network.vpc());
        this.queues = new Queues(this, "Queues");
        this.buckets = new Buckets(this, "Buckets");
        this.jobs = new JobRuntime(this, "Jobs", settings, network.vpc());
        jobs.writeStepOutputsTo(buckets.jobs());
        this.stateMachineRole = new StateMachineRole(this, "StateMachines", queues.dispatch().queue());
        this.events = new EventRouting(this, "Events", settings, queues, cluster.cluster(), retention);
        this.orchestrator = new OrchestratorService(this, "Orchestrator", new OrchestratorService.Wiring(
                settings, network, cluster, queues, buckets, jobs, stateMachineRole, retention));
        this.orchestratorPermissions = new OrchestratorPermissions(this, "OrchestratorPermissions", new OrchestratorPermissions.Targets(
                orchestrator.taskRole(), cluster.cluster(), queues, buckets.jobs(), jobs, stateMachineRole, settings));
        this.trigger = new WebhookTrigger(this, "Trigger", settings, events.bus(), retention);
        events.allowTriggerEventsFrom(trigger.role());
        events.allowRunEventsFrom(orchestrator.taskRole());
        this.monitoring = new Monitoring(this, "Monitoring", new Monitoring.Sources(settings, queues, events, orchestrator));
        NagSuppressions.acknowledge(this);

        output("ApiUrl", orchestrator.apiUrl(), "The orchestrator's API (skiff apply --url), reachable from inside the VPC");
        output("WebhookUrl", trigger.webhookUrl(), "Where senders POST signed webhooks");
        output("ApiKeysSecretArn", orchestrator.apiKeys().getSecretArn(), "Put '<sha256 hex of a key> <team>' lines here");
        output("SigningSecretArn", trigger.signingSecret().getSecretArn(), "The webhook signing key to share with senders");
        output("EventBusName", events.bus().getEventBusName(), "Upstream systems put events here");
        output("JobsLocation", buckets.jobsLocation(), "Where job specs are stored");
        output("AlarmTopicArn", monitoring.topic().getTopicArn(), "Subscribe here for Skiff's alarms");
    }

    private void output(String id, String value, String description) {
        new CfnOutput(this, id, CfnOutputProps.builder().value(value).description(description).build());
    }

    private static RetentionDays retention(int days) {
        return switch (days) {
            case 1 -> RetentionDays.ONE_DAY;
            case 3 -> RetentionDays.THREE_DAYS;
            case 5 -> RetentionDays.FIVE_DAYS;
            case 7 -> RetentionDays.ONE_WEEK;
            case 14 -> RetentionDays.TWO_WEEKS;
            case 30 -> RetentionDays.ONE_MONTH;
            case 60 -> RetentionDays.TWO_MONTHS;
            case 90 -> RetentionDays.THREE_MONTHS;
            case 180 -> RetentionDays.SIX_MONTHS;
            case 365 -> RetentionDays.ONE_YEAR;
            case 731 -> RetentionDays.TWO_YEARS;
            case 1827 -> RetentionDays.FIVE_YEARS;
            case 3653 -> RetentionDays.TEN_YEARS;
            default -> throw new IllegalArgumentException(SkiffSettings.LOG_RETENTION_DAYS + ": " + days
                    + " must be one of " + SkiffSettings.RETENTION_DAYS);
        };
    }

    public Network network() {
        return network;
    }

    public SkiffCluster cluster() {
        return cluster;
    }

    public Queues queues() {
        return queues;
    }

    public Buckets buckets() {
        return buckets;
    }

    public JobRuntime jobs() {
        return jobs;
    }

    public StateMachineRole stateMachineRole() {
        return stateMachineRole;
    }

    public EventRouting events() {
        return events;
    }

    public OrchestratorService orchestrator() {
        return orchestrator;
    }

    public OrchestratorPermissions orchestratorPermissions() {
        return orchestratorPermissions;
    }

    public WebhookTrigger trigger() {
        return trigger;
    }

    public Monitoring monitoring() {
        return monitoring;
    }
}
