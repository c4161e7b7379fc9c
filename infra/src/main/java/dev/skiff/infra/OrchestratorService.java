package dev.skiff.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.applicationautoscaling.AdjustmentType;
import software.amazon.awscdk.services.applicationautoscaling.BasicStepScalingPolicyProps;
import software.amazon.awscdk.services.applicationautoscaling.EnableScalingProps;
import software.amazon.awscdk.services.applicationautoscaling.ScalingInterval;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecr.RepositoryAttributes;
import software.amazon.awscdk.services.ecs.AwsLogDriverProps;
import software.amazon.awscdk.services.ecs.CapacityProviderStrategy;
import software.amazon.awscdk.services.ecs.ContainerDefinitionOptions;
import software.amazon.awscdk.services.ecs.ContainerImage;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentCircuitBreaker;
import software.amazon.awscdk.services.ecs.FargateService;
import software.amazon.awscdk.services.ecs.FargateTaskDefinition;
import software.amazon.awscdk.services.ecs.HealthCheck;
import software.amazon.awscdk.services.ecs.LogDrivers;
import software.amazon.awscdk.services.ecs.OperatingSystemFamily;
import software.amazon.awscdk.services.ecs.PortMapping;
import software.amazon.awscdk.services.ecs.RuntimePlatform;
import software.amazon.awscdk.services.ecs.ScalableTaskCount;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseApplicationListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ListenerCertificate;
import software.amazon.awscdk.services.elasticloadbalancingv2.SslPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The orchestrator as an ECS service on on-demand Fargate, behind an internal Application Load Balancer,
 * configured entirely by environment variables (Quarkus config keys) and one secret.
 *
 * <p>Why an internal ALB: the API is for data teams and tools inside the network (skiff apply, CI), it
 * authenticates every call with an API key, and an ALB gives health-checked rolling deployments across
 * replicas. API Gateway would put the API on the internet (or need a VPC link and a private API) for no gain.
 * With {@code skiff:certificateArn} the listener speaks HTTPS on 443; without one it speaks HTTP on 80 inside
 * the VPC, and only the VPC's address range may connect.
 */
public final class OrchestratorService extends Construct {

    /** Where the operator writes the API keys; the orchestrator ignores '#' lines, so this denies every call. */
    public static final String API_KEYS_PLACEHOLDER =
            "# One API key a line: <sha256 hex of the key> <team>. Lines starting with # are ignored.\n";

    private static final Pattern ECR_IMAGE =
            Pattern.compile("(\\d{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com(\\.cn)?/([a-z0-9._/-]+)(?::([^@]+)|@(sha256:[0-9a-f]{64}))");

    private final Role taskRole;
    private final FargateTaskDefinition taskDefinition;
    private final FargateService service;
    private final LogGroup logGroup;
    private final Secret apiKeys;
    private final Secret taskTokenKeys;
    private final ApplicationLoadBalancer loadBalancer;
    private final String apiUrl;

    /** Everything the orchestrator is configured with. */
    public record Wiring(SkiffSettings settings, Network network, SkiffCluster cluster, Queues queues, Buckets buckets,
                         JobRuntime jobs, StateMachineRole stateMachineRole, RetentionDays retention) {
    }

    public OrchestratorService(Construct scope, String id, Wiring wiring) {
        super(scope, id);
        SkiffSettings settings = wiring.settings();

        this.logGroup = LogGroup.Builder.create(this, "Logs").retention(wiring.retention()).build();
        this.apiKeys = Secret.Builder.create(this, "ApiKeys")
                .description("Skiff API keys: one '<sha256 hex of the key> <team>' a line (SKIFF_AUTH_API_KEYS_TEXT)")
                // The template never changes this text, so a later deployment leaves the operator's keys alone.
                .secretStringValue(SecretValue.unsafePlainText(API_KEYS_PLACEHOLDER))
                .build();
        // Seals each step's task token in its task's environment (readable through DescribeTasks, CloudTrail and the
        // ECS events), so only the orchestrator can answer for a step. Generated once; no one needs to know it.
        this.taskTokenKeys = Secret.Builder.create(this, "TaskTokenKeys")
                .description("Skiff: the keys that seal task tokens (SKIFF_SFN_TOKEN_KEYS), newest first, comma-separated")
                .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true).passwordLength(64).build())
                .build();
        this.taskRole = Role.Builder.create(this, "TaskRole")
                .assumedBy(new ServicePrincipal("ecs-tasks.amazonaws.com"))
                .description("The Skiff orchestrator runs as this role")
                .build();

        this.taskDefinition = FargateTaskDefinition.Builder.create(this, "TaskDefinition")
                .cpu(1024)
                .memoryLimitMiB(2048)
                .runtimePlatform(RuntimePlatform.builder()
                        .cpuArchitecture(CpuArchitecture.X86_64)
                        .operatingSystemFamily(OperatingSystemFamily.LINUX)
                        .build())
                .taskRole(taskRole)
                .build();
        taskDefinition.addContainer("orchestrator", ContainerDefinitionOptions.builder()
                .image(image(settings.orchestratorImage()))
                .essential(true)
                .portMappings(List.of(PortMapping.builder().containerPort(SkiffNames.ORCHESTRATOR_PORT).build()))
                .environment(environment(wiring))
                .secrets(Map.of(
                        "SKIFF_AUTH_API_KEYS_TEXT", software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(apiKeys),
                        "SKIFF_SFN_TOKEN_KEYS", software.amazon.awscdk.services.ecs.Secret.fromSecretsManager(taskTokenKeys)))
                // The image needs curl; the load balancer checks the same endpoint from outside.
                .healthCheck(HealthCheck.builder()
                        .command(List.of("CMD-SHELL", "curl -fs http://localhost:" + SkiffNames.ORCHESTRATOR_PORT
                                + SkiffNames.READINESS_PATH + " || exit 1"))
                        .interval(Duration.seconds(30))
                        .timeout(Duration.seconds(5))
                        .retries(3)
                        .startPeriod(Duration.seconds(60))
                        .build())
                .logging(LogDrivers.awsLogs(AwsLogDriverProps.builder().logGroup(logGroup).streamPrefix("orchestrator").build()))
                .build());

        SecurityGroup serviceGroup = SecurityGroup.Builder.create(this, "ServiceSecurityGroup")
                .vpc(wiring.network().vpc())
                .description("Skiff orchestrator: HTTP from its load balancer, AWS APIs out")
                .allowAllOutbound(true)
                .build();
        this.service = FargateService.Builder.create(this, "Service")
                .cluster(wiring.cluster().cluster())
                .taskDefinition(taskDefinition)
                .desiredCount(settings.orchestratorMinTasks())
                // On-demand only: a Spot interruption of the orchestrator would pause every launch.
                .capacityProviderStrategies(List.of(CapacityProviderStrategy.builder()
                        .capacityProvider(SkiffCluster.FARGATE).weight(1).build()))
                .vpcSubnets(wiring.network().privateSubnets())
                .securityGroups(List.of(serviceGroup))
                .assignPublicIp(false)
                .minHealthyPercent(100)
                .maxHealthyPercent(200)
                .circuitBreaker(DeploymentCircuitBreaker.builder().enable(true).rollback(true).build())
                .healthCheckGracePeriod(Duration.seconds(120))
                .build();

        this.loadBalancer = loadBalancer(settings, wiring);
        this.apiUrl = (settings.certificateArn().isPresent() ? "https://" : "http://") + loadBalancer.getLoadBalancerDnsName();
        scaleOnQueueDepth(settings, wiring.queues());
    }

    private ApplicationLoadBalancer loadBalancer(SkiffSettings settings, Wiring wiring) {
        boolean https = settings.certificateArn().isPresent();
        int port = https ? 443 : 80;
        SecurityGroup group = SecurityGroup.Builder.create(this, "LoadBalancerSecurityGroup")
                .vpc(wiring.network().vpc())
                .description("Skiff API load balancer: reachable from inside the VPC only")
                .allowAllOutbound(false)
                .build();
        group.addIngressRule(Peer.ipv4(wiring.network().cidr()), Port.tcp(port), "Skiff API from inside the VPC");
        ApplicationLoadBalancer alb = ApplicationLoadBalancer.Builder.create(this, "LoadBalancer")
                .vpc(wiring.network().vpc())
                .internetFacing(false)
                .vpcSubnets(wiring.network().privateSubnets())
                .securityGroup(group)
                .dropInvalidHeaderFields(true)
                .build();
        alb.logAccessLogs(wiring.buckets().accessLogs(), "alb");
        var listener = BaseApplicationListenerProps.builder()
                .port(port)
                .protocol(https ? ApplicationProtocol.HTTPS : ApplicationProtocol.HTTP)
                // Ingress is the rule above; open() would admit 0.0.0.0/0.
                .open(false);
        settings.certificateArn().ifPresent(arn -> listener
                .certificates(List.of(ListenerCertificate.fromArn(arn)))
                .sslPolicy(SslPolicy.RECOMMENDED_TLS));
        ApplicationListener api = alb.addListener("Api", listener.build());
        api.addTargets("Orchestrator", AddApplicationTargetsProps.builder()
                .port(SkiffNames.ORCHESTRATOR_PORT)
                .protocol(ApplicationProtocol.HTTP)
                .targets(List.of(service))
                .healthCheck(software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck.builder()
                        .path(SkiffNames.READINESS_PATH)
                        .healthyHttpCodes("200")
                        .interval(Duration.seconds(15))
                        .build())
                .deregistrationDelay(Duration.seconds(30))
                // The console's sessions live in one replica's memory: a browser stays with the replica that signed it
                // in (the API's callers send a key with each request and need no stickiness).
                .stickinessCookieDuration(Duration.days(1))
                .build());
        return alb;
    }

    /**
     * More replicas when work waits in the queues: the sum of visible messages in intake, dispatch and
     * task-events. Replicas need no coordination (run ids deduplicate), so scaling out is safe.
     */
    private void scaleOnQueueDepth(SkiffSettings settings, Queues queues) {
        ScalableTaskCount count = service.autoScaleTaskCount(EnableScalingProps.builder()
                .minCapacity(settings.orchestratorMinTasks())
                .maxCapacity(settings.orchestratorMaxTasks())
                .build());
        count.scaleOnMetric("QueueDepth", BasicStepScalingPolicyProps.builder()
                .metric(queueDepth(queues))
                .adjustmentType(AdjustmentType.CHANGE_IN_CAPACITY)
                .scalingSteps(List.of(
                        ScalingInterval.builder().upper(10).change(-1).build(),
                        ScalingInterval.builder().lower(100).change(1).build(),
                        ScalingInterval.builder().lower(1000).change(2).build()))
                .cooldown(Duration.minutes(3))
                .build());
    }

    /** intake + dispatch + task-events visible messages, a metric math expression. */
    public static MathExpression queueDepth(Queues queues) {
        Map<String, IMetric> metrics = new LinkedHashMap<>();
        metrics.put("intake", queues.intake().visibleMessages());
        metrics.put("dispatch", queues.dispatch().visibleMessages());
        metrics.put("events", queues.taskEvents().visibleMessages());
        return MathExpression.Builder.create()
                .expression("intake + dispatch + events")
                .usingMetrics(metrics)
                .label("Messages waiting (intake + dispatch + task-events)")
                .period(Duration.minutes(1))
                .build();
    }

    private static Map<String, String> environment(Wiring wiring) {
        Map<String, String> env = new LinkedHashMap<>();
        // the same JVM options as ./skiff up: orchestrator/service/src/main/jvm/skiff.jvm-options
        env.put("JDK_JAVA_OPTIONS", OrchestratorJvmOptions.value());
        env.put("SKIFF_ENGINE", "stepfunctions");
        env.put("SKIFF_LAUNCHER", "fargate");
        env.put("SKIFF_JOBS_LOCATION", wiring.buckets().jobsLocation());
        env.put("SKIFF_AUTH_MODE", "api-keys");
        env.put("SKIFF_AWS_REGION", Stack.of(wiring.cluster()).getRegion());
        env.put("SKIFF_INTAKE_SQS_QUEUE_URL", wiring.queues().intake().queue().getQueueUrl());
        // Required by the intake once the queue URL is set: unreadable messages go here with their reason.
        env.put("SKIFF_INTAKE_SQS_DEAD_LETTER_QUEUE_URL", wiring.queues().intake().deadLetterQueue().getQueueUrl());
        env.put("SKIFF_SFN_ROLE_ARN", wiring.stateMachineRole().role().getRoleArn());
        env.put("SKIFF_SFN_DISPATCH_QUEUE_URL", wiring.queues().dispatch().queue().getQueueUrl());
        env.put("SKIFF_SFN_TASK_EVENTS_QUEUE_URL", wiring.queues().taskEvents().queue().getQueueUrl());
        env.put("SKIFF_SFN_NAME_PREFIX", SkiffNames.JOB_PREFIX);
        // Run events go on Skiff's own bus, whose rule brings them to the intake queue (triggers.after).
        env.put("SKIFF_SFN_RUN_EVENTS_BUS", wiring.settings().eventBusName());
        env.put("SKIFF_FARGATE_CLUSTER", wiring.cluster().cluster().getClusterName());
        env.put("SKIFF_FARGATE_SUBNETS", wiring.network().privateSubnetIdList());
        env.put("SKIFF_FARGATE_SECURITY_GROUPS", wiring.jobs().securityGroup().getSecurityGroupId());
        env.put("SKIFF_FARGATE_TASK_ROLE_ARN", wiring.jobs().taskRole().getRoleArn());
        env.put("SKIFF_FARGATE_EXECUTION_ROLE_ARN", wiring.jobs().executionRole().getRoleArn());
        // One list value, not a map key per team: an environment variable's name would lose the '-' of a team name.
        if (!wiring.jobs().teamExecutionRoles().isEmpty()) {
            env.put("SKIFF_FARGATE_EXECUTION_ROLE_ARNS", wiring.jobs().teamExecutionRoles().entrySet().stream()
                    .map(team -> team.getKey() + "=" + team.getValue().getRoleArn())
                    .collect(java.util.stream.Collectors.joining(",")));
        }
        // Each team's tasks run as its own task role, the only one that writes step outputs under the team's prefix.
        if (!wiring.jobs().teamTaskRoles().isEmpty()) {
            env.put("SKIFF_FARGATE_TASK_ROLE_ARNS", wiring.jobs().teamTaskRoles().entrySet().stream()
                    .map(team -> team.getKey() + "=" + team.getValue().getRoleArn())
                    .collect(java.util.stream.Collectors.joining(",")));
        }
        env.put("SKIFF_FARGATE_LOG_GROUP_PREFIX", SkiffNames.JOB_LOG_GROUP_PREFIX);
        // The service's default is 127.0.0.1 (the embedded mode serves one machine); the load balancer needs 0.0.0.0.
        env.put("QUARKUS_HTTP_HOST", "0.0.0.0");
        return env;
    }

    /** An ECR image in a repository of the account is pulled with a grant on that repository; any other by URI. */
    private ContainerImage image(String uri) {
        Matcher ecr = ECR_IMAGE.matcher(uri);
        if (!ecr.matches()) {
            return ContainerImage.fromRegistry(uri);
        }
        String partition = ecr.group(3) == null ? "aws" : "aws-cn";
        String arn = "arn:" + partition + ":ecr:" + ecr.group(2) + ":" + ecr.group(1) + ":repository/" + ecr.group(4);
        var repository = Repository.fromRepositoryAttributes(this, "Repository",
                RepositoryAttributes.builder().repositoryArn(arn).repositoryName(ecr.group(4)).build());
        return ContainerImage.fromEcrRepository(repository, Optional.ofNullable(ecr.group(5)).orElse(ecr.group(6)));
    }

    public Role taskRole() {
        return taskRole;
    }

    public FargateTaskDefinition taskDefinition() {
        return taskDefinition;
    }

    public FargateService service() {
        return service;
    }

    public LogGroup logGroup() {
        return logGroup;
    }

    public Secret apiKeys() {
        return apiKeys;
    }

    public Secret taskTokenKeys() {
        return taskTokenKeys;
    }

    public ApplicationLoadBalancer loadBalancer() {
        return loadBalancer;
    }

    /** Where data teams and {@code skiff apply} reach the API, from inside the VPC. */
    public String apiUrl() {
        return apiUrl;
    }

    public Metric cpuUtilization() {
        return service.metricCpuUtilization(MetricOptions.builder().period(Duration.minutes(5)).build());
    }

    public Metric memoryUtilization() {
        return service.metricMemoryUtilization(MetricOptions.builder().period(Duration.minutes(5)).build());
    }
}
