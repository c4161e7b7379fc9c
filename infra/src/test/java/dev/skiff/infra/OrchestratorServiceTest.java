package dev.skiff.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;

class OrchestratorServiceTest extends DefaultStackTest {

    private static JsonNode container;

    @BeforeAll
    static void read() {
        container = skiff.properties(skiff.stack.orchestrator().taskDefinition()).get("ContainerDefinitions").get(0);
    }

    private static String ref(software.constructs.IConstruct construct) {
        return "${" + skiff.logicalId(construct) + "}";
    }

    private static String arn(software.constructs.IConstruct construct) {
        return "${" + skiff.logicalId(construct) + ".Arn}";
    }

    @Test
    void shouldRunTheServiceOnOnDemandFargateOnly() {
        JsonNode service = skiff.properties(skiff.stack.orchestrator().service());

        assertThat(service.has("LaunchType")).isFalse();
        assertThat(service.get("CapacityProviderStrategy")).hasSize(1);
        assertThat(service.at("/CapacityProviderStrategy/0/CapacityProvider").asText()).isEqualTo("FARGATE");
        assertThat(service.at("/NetworkConfiguration/AwsvpcConfiguration/AssignPublicIp").asText()).isEqualTo("DISABLED");
        assertThat(service.at("/DeploymentConfiguration/DeploymentCircuitBreaker/Rollback").asBoolean()).isTrue();
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of(
                "RequiresCompatibilities", List.of("FARGATE"), "NetworkMode", "awsvpc", "Cpu", "1024", "Memory", "2048")));
    }

    @Test
    void shouldStartTheOrchestratorsJvmWithTheSharedOptionsAndTheAotCacheOfItsImage() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        container.get("Environment").forEach(e -> env.put(e.get("Name").asText(), Cfn.text(e.get("Value"))));
        // The file ./skiff hands to java: every option in it reaches the container's JVM, in its order.
        List<String> shared = java.nio.file.Files.readAllLines(
                        java.nio.file.Path.of("../orchestrator/service/src/main/jvm/skiff.jvm-options")).stream()
                .map(line -> line.replaceAll("#.*", "").trim()).filter(line -> !line.isEmpty()).toList();

        assertThat(shared).contains("-XX:+UseSerialGC").doesNotContain("-Xshare:auto");
        // The image (orchestrator/service/src/main/docker/Dockerfile, Java 25) trains app.aot beside the jar; a JDK
        // older than 24 skips the option (-XX:+IgnoreUnrecognizedVMOptions in the shared file).
        assertThat(env.get("JDK_JAVA_OPTIONS"))
                .isEqualTo(String.join(" ", shared) + " -XX:AOTCache=app.aot");
    }

    @Test
    void shouldNotNameTheOrchestratorsFamilyLikeAJob() {
        Capture family = new Capture();
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Match.objectLike(Map.of("Family", family)));
        assertThat(family.asString()).doesNotStartWith(SkiffNames.JOB_PREFIX);
    }

    @Test
    void shouldCheckReadinessOnPort8080InTheContainerAndAtTheLoadBalancer() {
        assertThat(container.at("/HealthCheck/Command/0").asText()).isEqualTo("CMD-SHELL");
        assertThat(container.at("/HealthCheck/Command/1").asText()).contains("http://localhost:8080/q/health/ready");
        assertThat(container.at("/PortMappings/0/ContainerPort").asInt()).isEqualTo(8080);
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "Port", 8080, "Protocol", "HTTP", "TargetType", "ip", "HealthCheckPath", "/q/health/ready")));
    }

    @Test
    void shouldKeepABrowserWithTheReplicaThatHoldsItsConsoleSession() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", Match.objectLike(Map.of(
                "TargetGroupAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "stickiness.enabled", "Value", "true"),
                        Map.of("Key", "stickiness.type", "Value", "lb_cookie"),
                        Map.of("Key", "stickiness.lb_cookie.duration_seconds", "Value", "86400"))))));
    }

    @Test
    void shouldConfigureTheOrchestratorForAwsModeThroughItsEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        container.get("Environment").forEach(e -> env.put(e.get("Name").asText(), Cfn.text(e.get("Value"))));
        Queues queues = skiff.stack.queues();

        assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("SKIFF_ENGINE", "stepfunctions"),
                Map.entry("SKIFF_LAUNCHER", "fargate"),
                Map.entry("SKIFF_JOBS_LOCATION", "s3://" + ref(skiff.stack.buckets().jobs()) + "/jobs/"),
                Map.entry("SKIFF_AUTH_MODE", "api-keys"),
                Map.entry("SKIFF_AWS_REGION", "eu-central-1"),
                Map.entry("SKIFF_INTAKE_SQS_QUEUE_URL", ref(queues.intake().queue())),
                Map.entry("SKIFF_INTAKE_SQS_DEAD_LETTER_QUEUE_URL", ref(queues.intake().deadLetterQueue())),
                Map.entry("SKIFF_SFN_ROLE_ARN", arn(skiff.stack.stateMachineRole().role())),
                Map.entry("SKIFF_SFN_DISPATCH_QUEUE_URL", ref(queues.dispatch().queue())),
                Map.entry("SKIFF_SFN_TASK_EVENTS_QUEUE_URL", ref(queues.taskEvents().queue())),
                Map.entry("SKIFF_SFN_NAME_PREFIX", "skiff-"),
                Map.entry("SKIFF_SFN_RUN_EVENTS_BUS", "skiff"),
                Map.entry("SKIFF_FARGATE_CLUSTER", ref(skiff.stack.cluster().cluster())),
                Map.entry("SKIFF_FARGATE_SUBNETS", String.join(",", privateSubnetRefs())),
                Map.entry("SKIFF_FARGATE_SECURITY_GROUPS", "${" + skiff.logicalId(skiff.stack.jobs().securityGroup()) + ".GroupId}"),
                Map.entry("SKIFF_FARGATE_TASK_ROLE_ARN", "${" + skiff.logicalId(skiff.stack.jobs().taskRole()) + ".Arn}"),
                Map.entry("SKIFF_FARGATE_EXECUTION_ROLE_ARN", arn(skiff.stack.jobs().executionRole())),
                // each team's jobs start with the team's own role, the only one that reads skiff/<team>/
                Map.entry("SKIFF_FARGATE_EXECUTION_ROLE_ARNS",
                        "analytics=" + arn(skiff.stack.jobs().teamExecutionRoles().get("analytics"))
                                + ",billing=" + arn(skiff.stack.jobs().teamExecutionRoles().get("billing"))),
                // each team's pipeline steps write their outputs with the team's own task role
                Map.entry("SKIFF_FARGATE_TASK_ROLE_ARNS",
                        "analytics=" + arn(skiff.stack.jobs().teamTaskRoles().get("analytics"))
                                + ",billing=" + arn(skiff.stack.jobs().teamTaskRoles().get("billing"))),
                Map.entry("SKIFF_FARGATE_LOG_GROUP_PREFIX", "/skiff/jobs"),
                Map.entry("QUARKUS_HTTP_HOST", "0.0.0.0"),
                Map.entry("JDK_JAVA_OPTIONS", env.get("JDK_JAVA_OPTIONS"))));
        Map<String, String> secrets = new java.util.TreeMap<>();
        container.get("Secrets").forEach(s -> secrets.put(s.get("Name").asText(), Cfn.text(s.get("ValueFrom"))));
        assertThat(secrets).isEqualTo(Map.of(
                "SKIFF_AUTH_API_KEYS_TEXT", ref(skiff.stack.orchestrator().apiKeys()),
                "SKIFF_SFN_TOKEN_KEYS", ref(skiff.stack.orchestrator().taskTokenKeys())));
    }

    @Test
    void shouldGenerateTheTaskTokenKeyReadableByTheOrchestratorsStartOnly() {
        // The key is generated (no one types it), long, and of characters the comma-separated list cannot split
        JsonNode generate = skiff.properties(skiff.stack.orchestrator().taskTokenKeys()).get("GenerateSecretString");
        assertThat(generate.get("PasswordLength").asInt()).isGreaterThanOrEqualTo(32);
        assertThat(generate.get("ExcludePunctuation").asBoolean()).isTrue();
        // and the only statement that reads it belongs to the orchestrator's execution role (which puts it in the
        // container's environment at start), not to its task role or a job's role
        String secret = skiff.logicalId(skiff.stack.orchestrator().taskTokenKeys());
        List<String> readers = skiff.ofType("AWS::IAM::Policy").stream()
                .filter(id -> skiff.resources().get(id).at("/Properties/PolicyDocument/Statement").findValues("Resource")
                        .stream().anyMatch(r -> r.toString().contains('"' + secret + '"')))
                .flatMap(id -> Cfn.texts(skiff.resources().get(id).at("/Properties/Roles")).stream())
                .toList();
        assertThat(readers).containsExactly(ref(skiff.stack.orchestrator().taskDefinition().getExecutionRole()));
    }

    private static List<String> privateSubnetRefs() {
        return skiff.ofType("AWS::EC2::Subnet").stream()
                .filter(id -> !skiff.resources().get(id).at("/Properties/MapPublicIpOnLaunch").asBoolean())
                .map(id -> "${" + id + "}")
                .toList();
    }

    @Test
    void shouldStartTheApiKeysSecretWithNoKeys() {
        JsonNode secret = skiff.properties(skiff.stack.orchestrator().apiKeys());
        assertThat(secret.get("SecretString").asText()).isEqualTo(OrchestratorService.API_KEYS_PLACEHOLDER).startsWith("#");
    }

    @Test
    void shouldLogToAGroupWithRetention() {
        assertThat(Cfn.text(container.at("/LogConfiguration/Options/awslogs-group"))).isEqualTo(ref(skiff.stack.orchestrator().logGroup()));
        assertThat(skiff.properties(skiff.stack.orchestrator().logGroup()).get("RetentionInDays").asInt()).isEqualTo(30);
    }

    @Test
    void shouldPullTheImageWithAGrantOnItsRepositoryOnly() {
        assertThat(Cfn.text(container.get("Image")))
                .isEqualTo("123456789012.dkr.ecr.eu-central-1.${AWS::URLSuffix}/skiff:0.1.0");
        Map<String, JsonNode> statements = skiff.roleStatements(skiff.stack.orchestrator().taskDefinition().getExecutionRole());
        assertThat(statements.values()).anySatisfy(statement -> {
            assertThat(Cfn.texts(statement.get("Action"))).contains("ecr:BatchGetImage");
            assertThat(Cfn.texts(statement.get("Resource"))).containsExactly("arn:aws:ecr:eu-central-1:123456789012:repository/skiff");
        });
    }

    @Test
    void shouldServeTheApiOnAnInternalLoadBalancerReachableFromTheVpcOnly() {
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.objectLike(Map.of(
                "Scheme", "internal",
                "LoadBalancerAttributes", Match.arrayWith(List.of(
                        Map.of("Key", "routing.http.drop_invalid_header_fields.enabled", "Value", "true"),
                        Map.of("Key", "access_logs.s3.enabled", "Value", "true"))))));
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.objectLike(Map.of("Port", 80, "Protocol", "HTTP")));
        JsonNode group = skiff.properties(skiff.stack.orchestrator().loadBalancer().getConnections().getSecurityGroups().get(0));
        assertThat(group.get("SecurityGroupIngress")).hasSize(1);
        assertThat(group.at("/SecurityGroupIngress/0/CidrIp").asText()).isEqualTo("10.0.0.0/16");
        assertThat(group.at("/SecurityGroupIngress/0/FromPort").asInt()).isEqualTo(80);
    }

    @Test
    void shouldScaleOnTheMessagesWaitingInAllThreeQueues() {
        template.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Match.objectLike(Map.of(
                "MinCapacity", 1, "MaxCapacity", 4, "ScalableDimension", "ecs:service:DesiredCount")));
        template.resourcePropertiesCountIs("AWS::ApplicationAutoScaling::ScalingPolicy",
                Match.objectLike(Map.of("PolicyType", "StepScaling")), 2);
        Capture metrics = new Capture();
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Metrics", metrics,
                "AlarmActions", Match.arrayWith(List.of(Match.objectLike(Map.of("Ref", Match.stringLikeRegexp(".*QueueDepthUpperPolicy.*")))))))); 
        String math = Synthesized.JSON.valueToTree(metrics.asArray()).toString();
        assertThat(math).contains("\"Expression\":\"intake + dispatch + events\"");
        for (QueueWithDeadLetter queue : skiff.stack.queues().all()) {
            assertThat(math).contains(skiff.logicalId(queue.queue()));
        }
    }
}
