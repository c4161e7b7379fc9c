package dev.skiff.orchestrator.adapter.ecs;

import static dev.skiff.orchestrator.adapter.ecs.FargateFixtures.job;
import static dev.skiff.orchestrator.adapter.ecs.FargateFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.ecs.FargateFixtures.RecordingMetrics;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskLauncherContract.RecordingTaskListener;
import dev.skiff.orchestrator.port.TaskLauncherContract.Report;
import dev.skiff.workflows.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionStatus;

/**
 * What the Fargate launcher adds to the contract, on moto through the fault-injecting proxy: task
 * definitions, the RunTask call per capacity, Spot fallback, throttling, unknown outcomes, stops.
 * The launcher here does not poll on its own: each test polls when it wants to know.
 */
class FargateTaskLauncherFaultsTest {

    private static EcsClient direct;

    private EcsProxy proxy;
    private EcsClient ecs;
    private MotoEcs moto;
    private RecordingMetrics metrics;
    private FargateTaskLauncher launcher;

    @BeforeAll
    static void connect() {
        direct = MotoEcs.client(MotoEcs.endpoint());
    }

    @AfterAll
    static void disconnect() {
        direct.close();
    }

    @BeforeEach
    void createLauncher() {
        proxy = new EcsProxy(MotoEcs.endpoint());
        ecs = MotoEcs.client(proxy.endpoint());
        moto = MotoEcs.create(direct);
        metrics = new RecordingMetrics();
        launcher = newLauncher();
    }

    @AfterEach
    void close() {
        launcher.close();
        ecs.close();
        proxy.close();
    }

    private FargateTaskLauncher newLauncher() {
        return new FargateTaskLauncher(ecs, moto.options()
                .withRoles(Optional.of("arn:aws:iam::123456789012:role/skiff-task"),
                        Optional.of("arn:aws:iam::123456789012:role/skiff-execution"))
                .withTeamExecutionRoles(ExecutionRoles.parseTeamRoles(List.of(
                        "other-team=arn:aws:iam::123456789012:role/skiff-execution-other-team",
                        "test-team=arn:aws:iam::123456789012:role/skiff-execution-test-team"))), metrics);
    }

    private static String uniqueJob(String name) {
        return name + "-" + MotoEcs.suffix();
    }

    @Test
    void shouldRegisterOnceWhenSpecIsUnchangedEvenAfterRestart() {
        // Given
        JobSpec spec = job(uniqueJob("reuse"), Capacity.ON_DEMAND);
        launcher.launch(request(spec, "reuse-run-1", 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());

        // When the same spec launches again, from this launcher and from a restarted one
        launcher.launch(request(spec, "reuse-run-2", 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());
        newLauncher().launch(request(spec, "reuse-run-3", 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());

        // Then
        assertThat(proxy.requests("RegisterTaskDefinition")).hasSize(1);
        assertThat(proxy.requests("RunTask")).extracting(r -> r.path("taskDefinition").asText())
                .containsOnly("arn:aws:ecs:us-east-1:123456789012:task-definition/skiff-" + spec.name() + ":1");
    }

    @Test
    void shouldRegisterNewRevisionWhenSpecChanges() {
        // Given
        String name = uniqueJob("changed");
        launcher.launch(request(job(name, Capacity.ON_DEMAND), "changed-1", 1, Capacity.ON_DEMAND, Map.of()),
                new RecordingTaskListener());

        // When
        JobSpec changed = dev.skiff.orchestrator.TestSpecs.shell(name, "echo changed", "capacity: on-demand");
        LaunchedTask task = launcher.launch(request(changed, "changed-2", 1, Capacity.ON_DEMAND, Map.of()),
                new RecordingTaskListener());

        // Then
        assertThat(proxy.requests("RegisterTaskDefinition")).hasSize(2);
        var described = direct.describeTasks(r -> r.cluster(moto.cluster).tasks(task.taskId())).tasks().get(0);
        assertThat(described.taskDefinitionArn()).endsWith("skiff-" + name + ":2");
    }

    @Test
    void shouldKeepOnlyTheNewestRevisionsWhenSpecChangesMoreThanKeepRevisions() {
        // Given a launcher that keeps 2 revisions
        String name = uniqueJob("trimmed");
        var keepingTwo = new FargateTaskLauncher(ecs, moto.options().withKeepRevisions(2), metrics);

        // When the spec changes twice
        for (String script : List.of("echo 1", "echo 2", "echo 3")) {
            keepingTwo.launch(request(dev.skiff.orchestrator.TestSpecs.shell(name, script, "capacity: on-demand"),
                    "trimmed-" + script.charAt(5), 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());
        }

        // Then
        assertThat(activeRevisions(name)).containsExactly(3, 2);
    }

    @Test
    void shouldDeregisterEveryRevisionWhenJobIsRemovedAndRegisterAgainWhenItComesBack() {
        // Given a job with two revisions
        String name = uniqueJob("removed");
        launcher.launch(request(job(name, Capacity.ON_DEMAND), "removed-1", 1, Capacity.ON_DEMAND, Map.of()),
                new RecordingTaskListener());
        JobSpec changed = dev.skiff.orchestrator.TestSpecs.shell(name, "echo changed", "capacity: on-demand");
        launcher.launch(request(changed, "removed-2", 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());
        String other = uniqueJob("kept");
        launcher.launch(request(job(other, Capacity.ON_DEMAND), "kept-1", 1, Capacity.ON_DEMAND, Map.of()),
                new RecordingTaskListener());

        // When
        launcher.jobRemoved(name);

        // Then: none is left of it, other jobs keep theirs, and the job can come back
        assertThat(activeRevisions(name)).isEmpty();
        assertThat(proxy.requests("DeregisterTaskDefinition")).hasSize(2);
        assertThat(activeRevisions(other)).containsExactly(1);
        LaunchedTask back = launcher.launch(request(changed, "removed-3", 1, Capacity.ON_DEMAND, Map.of()),
                new RecordingTaskListener());
        assertThat(direct.describeTasks(r -> r.cluster(moto.cluster).tasks(back.taskId())).tasks().get(0).taskDefinitionArn())
                .endsWith("skiff-" + name + ":3");
    }

    private List<Integer> activeRevisions(String job) {
        String family = "skiff-" + job;
        return direct.listTaskDefinitions(r -> r.familyPrefix(family).status(TaskDefinitionStatus.ACTIVE)).taskDefinitionArns()
                .stream().filter(arn -> arn.contains("/" + family + ":"))
                .map(arn -> Integer.parseInt(arn.substring(arn.lastIndexOf(':') + 1)))
                .sorted(java.util.Comparator.reverseOrder()).toList();
    }

    @Test
    void shouldRenderTaskDefinitionFromSpecAndConfigurationWhenRegistering() {
        // Given
        JobSpec spec = job(uniqueJob("render"), Capacity.SPOT_FIRST);

        // When
        launcher.launch(request(spec, "render-1", 1, Capacity.SPOT_FIRST, Map.of()), new RecordingTaskListener());

        // Then
        var described = direct.describeTaskDefinition(r -> r.taskDefinition("skiff-" + spec.name()).include(TaskDefinitionField.TAGS));
        var definition = described.taskDefinition();
        assertThat(definition.cpu()).isEqualTo(Integer.toString(spec.resources().cpu()));
        assertThat(definition.memory()).isEqualTo(Integer.toString(spec.resources().memory()));
        assertThat(definition.runtimePlatform().cpuArchitectureAsString()).isEqualTo("X86_64");
        assertThat(definition.taskRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/skiff-task");
        // the owner's own execution role, the only one that reads skiff/test-team/ secrets
        assertThat(definition.executionRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/skiff-execution-test-team");
        var container = definition.containerDefinitions().get(0);
        assertThat(container.name()).isEqualTo("job");
        assertThat(container.image()).isEqualTo("example/test:1");
        assertThat(container.command()).containsExactly("sh", "-c", "echo hello");
        assertThat(container.environment()).extracting(v -> v.name() + "=" + v.value()).containsExactly("WAREHOUSE=analytics");
        assertThat(container.secrets()).extracting(s -> s.name() + "=" + s.valueFrom())
                .containsExactly("DB_PASSWORD=arn:aws:secretsmanager:us-east-1:123456789012:secret:skiff/test-team/db-AbCdEf");
        assertThat(container.logConfiguration().options()).containsEntry("awslogs-group", "/skiff/jobs/" + spec.name())
                .containsEntry("awslogs-region", "us-east-1").containsEntry("awslogs-stream-prefix", "skiff");
        assertThat(described.tags()).extracting(t -> t.key() + "=" + t.value())
                .contains("skiff:job=" + spec.name(), "skiff:owner=test-team", "cost-center=cc-1234");
    }

    @Test
    void shouldRunOnSpotWithTagsStartedByAndClientTokenWhenSpotFirst() {
        // Given
        JobSpec spec = job(uniqueJob("spot"), Capacity.SPOT_FIRST);

        // When
        LaunchedTask task = launcher.launch(request(spec, "spot-run", 2, Capacity.SPOT_FIRST, Map.of("RUN_DATE", "2026-11-01")),
                new RecordingTaskListener());

        // Then
        assertThat(task.ranOn()).isEqualTo("spot");
        assertThat(task.taskId()).startsWith("arn:aws:ecs:us-east-1:123456789012:task/");
        assertThat(task.logLocation()).isEqualTo("/skiff/jobs/" + spec.name() + ":skiff/job/"
                + task.taskId().substring(task.taskId().lastIndexOf('/') + 1));
        JsonNode call = single(proxy.requests("RunTask"));
        assertThat(call.path("capacityProviderStrategy").get(0).path("capacityProvider").asText()).isEqualTo("FARGATE_SPOT");
        assertThat(call.has("launchType")).isFalse();
        assertThat(call.path("startedBy").asText()).isEqualTo(RunTaskRequests.startedBy("spot-run", 2)).hasSizeLessThanOrEqualTo(36);
        assertThat(call.path("clientToken").asText()).hasSizeLessThanOrEqualTo(64)
                .isEqualTo(RunTaskRequests.clientToken("spot-run", 2, CapacityProvider.FARGATE_SPOT, 0));
        assertThat(call.path("propagateTags").asText()).isEqualTo("TASK_DEFINITION");
        assertThat(tags(call)).containsEntry("skiff:run-id", "spot-run").containsEntry("skiff:step", "main")
                .containsEntry("skiff:attempt", "2");
        var vpc = call.path("networkConfiguration").path("awsvpcConfiguration");
        assertThat(vpc.path("subnets").get(0).asText()).isEqualTo(moto.subnet);
        assertThat(vpc.path("securityGroups").get(0).asText()).isEqualTo(moto.securityGroup);
        assertThat(vpc.path("assignPublicIp").asText()).isEqualTo("DISABLED");
        var override = call.path("overrides").path("containerOverrides").get(0);
        assertThat(override.path("name").asText()).isEqualTo("job");
        assertThat(override.path("environment").get(0).path("name").asText()).isEqualTo("RUN_DATE");
        assertThat(metrics.launchedOn).containsExactly("spot");
    }

    @Test
    void shouldRunOnFargateWhenOnDemand() {
        // Given
        JobSpec spec = job(uniqueJob("ondemand"), Capacity.ON_DEMAND);

        // When
        LaunchedTask task = launcher.launch(request(spec, "od-run", 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());

        // Then
        assertThat(task.ranOn()).isEqualTo("on-demand");
        JsonNode call = single(proxy.requests("RunTask"));
        assertThat(call.path("capacityProviderStrategy").get(0).path("capacityProvider").asText()).isEqualTo("FARGATE");
    }

    @Test
    void shouldLaunchOnDemandAtOnceWhenSpotHasNoCapacityForSpotFirstJob() {
        // Given
        proxy.noSpotCapacity();
        JobSpec spec = job(uniqueJob("fallback"), Capacity.SPOT_FIRST);

        // When
        LaunchedTask task = launcher.launch(request(spec, "fallback-run", 1, Capacity.SPOT_FIRST, Map.of()),
                new RecordingTaskListener());

        // Then: a second call on FARGATE, with its own client token, so ECS starts a new task
        assertThat(task.ranOn()).isEqualTo("on-demand");
        List<JsonNode> calls = proxy.requests("RunTask");
        assertThat(calls).extracting(c -> c.path("capacityProviderStrategy").get(0).path("capacityProvider").asText())
                .containsExactly("FARGATE_SPOT", "FARGATE");
        assertThat(calls.get(0).path("clientToken").asText()).isNotEqualTo(calls.get(1).path("clientToken").asText());
        assertThat(calls.get(0).path("startedBy").asText()).isEqualTo(calls.get(1).path("startedBy").asText());
        assertThat(metrics.fallbacks).containsExactly(EcsProxy.SPOT_CAPACITY_FAILURE);
        assertThat(tasksOf("fallback-run", 1)).hasSize(1);
    }

    @Test
    void shouldFailWithCapacityUnavailableWhenSpotOnlyJobFindsNoCapacity() {
        // Given
        proxy.noSpotCapacity();
        JobSpec spec = job(uniqueJob("spotonly"), Capacity.SPOT_ONLY);

        // When / Then
        assertThatThrownBy(() -> launcher.launch(request(spec, "spot-only-run", 1, Capacity.SPOT_ONLY, Map.of()),
                new RecordingTaskListener()))
                .isInstanceOfSatisfying(LaunchFailedException.class, e -> assertThat(e.outcome())
                        .isEqualTo(new StepOutcome.CapacityUnavailable(EcsProxy.SPOT_CAPACITY_FAILURE)));
        assertThat(proxy.requests("RunTask")).hasSize(1);
    }

    @Test
    void shouldBackOffAndLaunchOnceWhenRunTaskIsThrottled() {
        // Given
        proxy.throttleRunTask(2);
        JobSpec spec = job(uniqueJob("throttled"), Capacity.ON_DEMAND);

        // When
        LaunchedTask task = launcher.launch(request(spec, "throttled-run", 1, Capacity.ON_DEMAND, Map.of()),
                new RecordingTaskListener());

        // Then: the same call three times (no SDK retries hidden underneath), one task
        assertThat(task.taskId()).isNotBlank();
        List<JsonNode> calls = proxy.requests("RunTask");
        assertThat(calls).hasSize(3).extracting(c -> c.path("clientToken").asText()).containsOnly(
                RunTaskRequests.clientToken("throttled-run", 1, CapacityProvider.FARGATE, 0));
        assertThat(metrics.throttles).isEqualTo(2);
        assertThat(tasksOf("throttled-run", 1)).hasSize(1);
    }

    @Test
    void shouldAdoptTheTaskWhenRunTaskAnswerIsLost() {
        // Given the first RunTask reaches ECS, but its caller gets a 500
        proxy.loseNextRunTaskAnswer();
        JobSpec spec = job(uniqueJob("adopt"), Capacity.ON_DEMAND);

        // When
        LaunchedTask task = launcher.launch(request(spec, "adopt-run", 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());

        // Then: exactly one task exists, and it is the one launched
        assertThat(proxy.requests("RunTask")).hasSize(1);
        assertThat(tasksOf("adopt-run", 1)).containsExactly(task.taskId());
        assertThat(metrics.adoptions).hasSize(1);
    }

    @Test
    void shouldStartOneTaskWhenTwoDeliveriesOfOneLaunchBothMissEachOthersTask() {
        // Given ECS's client-token idempotency, and a launch request handed out twice (an SQS redelivery after the
        // visibility timeout, while the first delivery still waits for the rate limiter): neither finds a task first
        proxy.honourClientTokens();
        JobSpec spec = job(uniqueJob("twice"), Capacity.ON_DEMAND);
        var request = request(spec, "twice-run", 1, Capacity.ON_DEMAND, Map.of());

        // When both deliveries launch
        LaunchedTask first = launcher.launch(request, false);
        LaunchedTask second = launcher.launch(request, false);

        // Then the same call twice, and ECS started one task, which both deliveries name
        assertThat(proxy.requests("RunTask")).hasSize(2).extracting(c -> c.path("clientToken").asText())
                .containsOnly(RunTaskRequests.clientToken("twice-run", 1, CapacityProvider.FARGATE, 0));
        assertThat(second.taskId()).isEqualTo(first.taskId());
        assertThat(tasksOf("twice-run", 1)).containsExactly(first.taskId());
    }

    @Test
    void shouldTakeTheTokensTaskWhenEcsRefusesTheSameClientTokenWithOtherParameters() {
        // Given two deliveries of one launch request: each seals the step's task token afresh (a random nonce), so
        // their RunTask calls share the client token but not the environment, and ECS refuses the second
        proxy.honourClientTokens();
        JobSpec spec = job(uniqueJob("conflict"), Capacity.ON_DEMAND);
        String sealed = dev.skiff.orchestrator.domain.TaskEnvironment.SEALED_TASK_TOKEN;

        // When both deliveries launch
        LaunchedTask first = launcher.launch(request(spec, "conflict-run", 1, Capacity.ON_DEMAND, Map.of(sealed, "seal-1")), false);
        LaunchedTask second = launcher.launch(request(spec, "conflict-run", 1, Capacity.ON_DEMAND, Map.of(sealed, "seal-2")), false);

        // Then the second takes the task ECS names as the token's, instead of failing the step while it runs
        assertThat(second.taskId()).isEqualTo(first.taskId());
        assertThat(tasksOf("conflict-run", 1)).containsExactly(first.taskId());
        assertThat(metrics.adoptions).hasSize(1);
    }

    @Test
    void shouldRunTaskAgainWhenAnswerIsEmptyAndNoTaskExists() {
        // Given
        proxy.answerNextRunTaskWithNothing();
        JobSpec spec = job(uniqueJob("empty"), Capacity.ON_DEMAND);

        // When
        LaunchedTask task = launcher.launch(request(spec, "empty-run", 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());

        // Then: looked up first, then the same call again
        assertThat(proxy.requests("ListTasks")).isNotEmpty();
        assertThat(proxy.requests("RunTask")).hasSize(2).extracting(c -> c.path("clientToken").asText())
                .containsOnly(RunTaskRequests.clientToken("empty-run", 1, CapacityProvider.FARGATE, 0));
        assertThat(tasksOf("empty-run", 1)).containsExactly(task.taskId());
    }

    @Test
    void shouldStopTaskWithReasonAndReportOnceWhenStopped() throws Exception {
        // Given
        var listener = new RecordingTaskListener();
        JobSpec spec = job(uniqueJob("stop"), Capacity.ON_DEMAND);
        LaunchedTask task = launcher.launch(request(spec, "stop-run", 1, Capacity.ON_DEMAND, Map.of("EMULATED_RUN", "until-stopped")),
                listener);
        launcher.poll();

        // When
        launcher.stop(task, "attempt 1 ran past its timeout of PT5M");
        launcher.poll();
        launcher.poll();

        // Then
        JsonNode stop = single(proxy.requests("StopTask"));
        assertThat(stop.path("task").asText()).isEqualTo(task.taskId());
        assertThat(stop.path("reason").asText()).isEqualTo("attempt 1 ran past its timeout of PT5M");
        Report report = listener.next(Duration.ofSeconds(1));
        assertThat(report.outcome()).isEqualTo(new StepOutcome.Cancelled("attempt 1 ran past its timeout of PT5M"));
        launcher.poll();
        listener.assertNoFurtherReports();
    }

    @Test
    void shouldReportSpotInterruptedWhenSpotTakesTheTaskBack() throws Exception {
        // Given
        var listener = new RecordingTaskListener();
        JobSpec spec = job(uniqueJob("interrupted"), Capacity.SPOT_FIRST);
        launcher.launch(request(spec, "interrupted-run", 1, Capacity.SPOT_FIRST, Map.of("EMULATED_STOP_CODE", "SpotInterruption")),
                listener);

        // When
        for (int i = 0; i < 6; i++) {
            launcher.poll();
        }

        // Then: and the relaunch of the same attempt gets a new client token
        assertThat(listener.next(Duration.ofSeconds(1)).outcome())
                .isEqualTo(new StepOutcome.SpotInterrupted("Your Spot Task was interrupted."));
        launcher.launch(request(spec, "interrupted-run", 1, Capacity.ON_DEMAND, Map.of()), new RecordingTaskListener());
        assertThat(proxy.requests("RunTask")).extracting(c -> c.path("clientToken").asText()).containsExactly(
                RunTaskRequests.clientToken("interrupted-run", 1, CapacityProvider.FARGATE_SPOT, 0),
                RunTaskRequests.clientToken("interrupted-run", 1, CapacityProvider.FARGATE, 1));
    }

    @Test
    void shouldReportLostWhenReattachedTaskIsUnknownToEcs() throws Exception {
        // Given
        var listener = new RecordingTaskListener();
        JobSpec spec = job(uniqueJob("vanished"), Capacity.ON_DEMAND);
        var gone = new LaunchedTask("arn:aws:ecs:us-east-1:123456789012:task/" + moto.cluster + "/0000", "on-demand",
                Instant.parse("2026-11-26T10:00:00Z"), "/skiff/jobs/x:skiff/job/0000");

        // When
        launcher.reattach(request(spec, "vanished-run", 1, Capacity.ON_DEMAND, Map.of()), gone, listener);
        for (int i = 0; i < TaskWatcher.MISSES_BEFORE_LOST; i++) {
            launcher.poll();
        }

        // Then
        assertThat(listener.next(Duration.ofSeconds(1)).outcome()).isInstanceOf(StepOutcome.Lost.class);
    }

    private List<String> tasksOf(String runId, int attempt) {
        String startedBy = RunTaskRequests.startedBy(runId, attempt);
        return java.util.stream.Stream.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)
                .flatMap(s -> direct.listTasks(r -> r.cluster(moto.cluster).startedBy(startedBy).desiredStatus(s)).taskArns().stream())
                .distinct().toList();
    }

    private static JsonNode single(List<JsonNode> calls) {
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    private static Map<String, String> tags(JsonNode call) {
        return StreamSupport.stream(call.path("tags").spliterator(), false)
                .collect(java.util.stream.Collectors.toMap(t -> t.path("key").asText(), t -> t.path("value").asText()));
    }
}
