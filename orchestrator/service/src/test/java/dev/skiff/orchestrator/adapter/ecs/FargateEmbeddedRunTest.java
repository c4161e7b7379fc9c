package dev.skiff.orchestrator.adapter.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine;
import dev.skiff.orchestrator.adapter.embedded.H2RunStore;
import dev.skiff.orchestrator.app.TickLoop;
import dev.skiff.orchestrator.adapter.local.LocalTaskLogs;
import dev.skiff.orchestrator.port.RunListener;
import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import dev.skiff.orchestrator.api.RunView;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.ecs.EcsClient;

/** Runs end to end: the embedded engine (skiff.engine=embedded) launching through the Fargate launcher on moto. */
class FargateEmbeddedRunTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    /** Round figures: 1 vCPU and 2 GB cost 0.04 + 2 × 0.004 = 0.048 USD an hour on-demand, 30% of it on Spot; no storage. */
    private static final RegionPrices PRICES = new RegionPrices("us-east-1", Map.of(dev.skiff.jobs.Architecture.X86_64,
            new FargatePrices(new BigDecimal("0.04"), new BigDecimal("0.004"), new BigDecimal("0.012"),
                    new BigDecimal("0.0012"), BigDecimal.ZERO)));

    @TempDir
    Path data;

    private EcsProxy proxy;
    private EcsClient ecs;
    private EcsClient direct;
    private FargateTaskLauncher launcher;
    private H2RunStore store;
    private EmbeddedRunEngine engine;
    private TickLoop loop;

    @BeforeEach
    void start() {
        proxy = new EcsProxy(MotoEcs.endpoint());
        ecs = MotoEcs.client(proxy.endpoint());
        direct = MotoEcs.client(MotoEcs.endpoint());
        MotoEcs moto = MotoEcs.create(direct);
        launcher = FargateTaskLauncher.start(ecs, moto.options().withPollInterval(FargateFixtures.POLL).withPrices(PRICES),
                FargateMetrics.NONE);
        store = H2RunStore.open(data);
        openEngine(4);
    }

    private void openEngine(int slots) {
        engine = new EmbeddedRunEngine(store, launcher, new RunListener() { }, Clock.systemUTC(), slots);
        engine.recover();
        loop = new TickLoop("test-engine", engine, Clock.systemUTC()).start();
    }

    private void closeEngine() {
        loop.close();
        engine.close();
    }

    @AfterEach
    void stop() throws Exception {
        closeEngine();
        store.close();
        launcher.close();
        ecs.close();
        direct.close();
        proxy.close();
    }

    @Test
    void shouldSucceedOnDemandWhenSpotHasNoCapacity() throws Exception {
        // Given
        proxy.noSpotCapacity();
        JobSpec spec = TestSpecs.shell("e2e-fallback-" + MotoEcs.suffix(), "echo hi", "capacity: spot-first");

        // When
        engine.start("e2e-fallback", spec, "api", Map.of());
        Run run = awaitEnd("e2e-fallback");

        // Then
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempts()).extracting(Attempt::number, Attempt::ranOn).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "on-demand"));
        assertThat(run.attempts().get(0).taskId()).startsWith("arn:aws:ecs:");
    }

    @Test
    void shouldRelaunchOnDemandWithoutCountingAnAttemptWhenSpotInterruptsTheTask() throws Exception {
        // Given a task of 1 vCPU and 2 GB that runs an hour, wherever it runs
        JobSpec spec = TestSpecs.shell("e2e-interrupted-" + MotoEcs.suffix(), "echo hi", "capacity: spot-first",
                "resources: {cpu: 1024, memory: 2048}",
                "environment: {EMULATED_STOP_CODE: SpotInterruption, EMULATED_RAN_SECONDS: '3600'}");

        // When
        engine.start("e2e-interrupted", spec, "api", Map.of());
        Run run = awaitEnd("e2e-interrupted");

        // Then
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempts()).extracting(Attempt::number, Attempt::ranOn).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "spot"), org.assertj.core.groups.Tuple.tuple(1, "on-demand"));
        // and each launch is priced by where it ran, its task ARN kept
        assertThat(run.attempts()).extracting(Attempt::costUsd).containsExactly(
                Optional.of(new BigDecimal("0.014400")), Optional.of(new BigDecimal("0.048000")));
        assertThat(run.attempts()).extracting(Attempt::taskId).allMatch(arn -> arn.startsWith("arn:aws:ecs:"))
                .doesNotHaveDuplicates();
        assertThat(RunView.of(run).costUsd()).isEqualTo(new BigDecimal("0.062400"));
    }

    @Test
    void shouldFailWithExitCodeWhenTheJobExitsNonZero() throws Exception {
        // Given
        JobSpec spec = TestSpecs.shell("e2e-exit-" + MotoEcs.suffix(), "exit 3", "capacity: on-demand",
                "environment: {EMULATED_EXIT_CODE: '3'}", "retries: {maxAttempts: 1}");

        // When
        engine.start("e2e-exit", spec, "api", Map.of());
        Run run = awaitEnd("e2e-exit");

        // Then
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.attempts().get(0).outcome()).contains(new dev.skiff.workflows.StepOutcome.Exited(3));
    }

    @Test
    void shouldLaunchSideBySideAndStayResponsiveWhenRunTaskIsSlow() throws Exception {
        // Given 20 slots, and an ECS that answers each RunTask only after 300 ms
        closeEngine();
        openEngine(20);
        Duration runTask = Duration.ofMillis(300);
        proxy.delayRunTask(runTask);
        JobSpec spec = TestSpecs.shell("e2e-slow-" + MotoEcs.suffix(), "echo hi", "capacity: on-demand");
        long begin = System.nanoTime();

        // When 20 runs start
        for (int i = 0; i < 20; i++) {
            engine.start(String.format("e2e-slow-%02d", i), spec, "api", Map.of());
        }
        Thread.sleep(runTask.toMillis() / 2);

        // Then while RunTask calls are under way, another run starts and is read without waiting for them
        long calls = System.nanoTime();
        engine.start("e2e-slow-other", spec, "api", Map.of());
        engine.get("e2e-slow-00");
        assertThat(Duration.ofNanos(System.nanoTime() - calls)).isLessThan(Duration.ofMillis(250));

        // And the 20 launches overlapped: RunTask calls were under way side by side, and every run had its task
        // sooner than 20 RunTask calls in a row could answer (moto itself answers one at a time, so no tighter bound)
        for (int i = 0; i < 20; i++) {
            awaitLaunched(String.format("e2e-slow-%02d", i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(runTask.multipliedBy(20));
        assertThat(proxy.mostAtOnce("RunTask")).isGreaterThan(1);
        // ... and each run ends with its one task
        for (int i = 0; i < 20; i++) {
            assertThat(awaitEnd(String.format("e2e-slow-%02d", i)).attempts()).singleElement()
                    .satisfies(a -> assertThat(a.taskId()).startsWith("arn:aws:ecs:"));
        }
        assertThat(awaitEnd("e2e-slow-other").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(proxy.requests("RunTask")).hasSize(21);
    }

    @Test
    void shouldReadTheAttemptsLogFromTheCloudWatchStreamItsLauncherRecorded() throws Exception {
        // Given a run that ended on Fargate
        String job = "e2e-log-" + MotoEcs.suffix();
        engine.start("e2e-log", TestSpecs.shell(job, "echo hi", "capacity: on-demand"), "api", Map.of());
        Attempt attempt = awaitEnd("e2e-log").attempts().get(0);

        // When its task's awslogs driver has written to the group and stream the launcher recorded
        String group = FargateOptions.DEFAULT_LOG_GROUP_PREFIX + "/" + job;
        assertThat(attempt.logLocation()).startsWith(group + ":");
        String stream = attempt.logLocation().substring(group.length() + 1);
        try (CloudWatchLogsClient logs = CloudWatchLogsClient.builder().endpointOverride(MotoEcs.endpoint())
                .region(MotoEcs.REGION).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("testing", "testing"))).build()) {
            logs.createLogGroup(r -> r.logGroupName(group));
            logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
            long at = Instant.now().toEpochMilli();
            logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(
                    InputLogEvent.builder().timestamp(at).message("hi").build(),
                    InputLogEvent.builder().timestamp(at + 1).message("bye").build()));

            // Then the logs the service wires for the Fargate launcher (local files first) read them
            TaskLogs taskLogs = new LocalTaskLogs().or(new CloudWatchTaskLogs(logs, FargateOptions.DEFAULT_LOG_GROUP_PREFIX));
            assertThat(taskLogs.tail(new TaskLogs.Task(job, "main", attempt.taskId(), attempt.logLocation()), 10))
                    .contains(List.of("hi", "bye"));
        }
    }

    private void awaitLaunched(String runId) throws InterruptedException {
        Instant giveUp = Instant.now().plus(WITHIN);
        while (engine.get(runId).orElseThrow().attempts().isEmpty()) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("run " + runId + " did not launch within " + WITHIN + ": " + engine.get(runId));
            }
            Thread.sleep(20);
        }
    }

    private Run awaitEnd(String runId) throws InterruptedException {
        Instant giveUp = Instant.now().plus(WITHIN);
        while (Instant.now().isBefore(giveUp)) {
            Run run = engine.get(runId).orElseThrow();
            if (run.status().isTerminal()) {
                return run;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " did not end within " + WITHIN + ": " + engine.get(runId));
    }
}
