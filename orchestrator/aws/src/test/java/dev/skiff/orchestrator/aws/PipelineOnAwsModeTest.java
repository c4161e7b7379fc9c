package dev.skiff.orchestrator.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.TestSpecs;
import dev.skiff.orchestrator.adapter.ecs.FargateTaskLauncher;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.PipelineProgress;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import dev.skiff.orchestrator.adapter.sfn.StepWaits;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskHeartbeatRequest;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A three-step pipeline (extract, then transform once per partition that extract wrote in its output, then load
 * reading extract's output) through Step Functions mode's real parts on moto: the compiled state machine, the
 * dispatch consumer answering the items request and launching each item's Fargate task, the task-events consumer
 * reading each task's output from S3 when it stops, and the reconciler. The test plays the containers (the emulator
 * ends them as their environment says; extract's "code" writes its output to SKIFF_OUTPUT_URI) and EventBridge.
 */
class PipelineOnAwsModeTest {

    private static final Duration WITHIN = Duration.ofSeconds(120);
    /** Moto reads an answer only once it waits for it; an answer sent at once (items) is given this head start. */
    private static final Duration SETTLE = Duration.ofMillis(300);

    private final AwsMode aws = new AwsMode();
    private final Set<String> written = new HashSet<>();
    private final Set<String> published = new HashSet<>();

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void shouldRunExtractThenFourTransformsFromItsOutputThenLoadToSucceeded() throws Exception {
        // Given the ETL pipeline, and an extract that writes four partitions to its output
        JobSpec job = aws.register(etl("etl-ok"));
        String output = """
                {"partitions": [%s, %s, %s, %s], "total": 4}""".formatted(
                partition("p0", "0", ""), partition("p1", "0", ""), partition("p2", "0", ""), partition("p3", "0", ""));

        // When the run starts and every task runs to its end
        String runId = start(job);
        List<Task> tasks = play(runId, output);

        // Then the run succeeded, having run extract, the four items and load, each in its step's own task definition
        assertThat(aws.statusOf(runId)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(tasks).extracting(t -> env(t).get(TaskEnvironment.STEP))
                .containsExactlyInAnyOrder("extract", "transform", "transform", "transform", "transform", "load");
        assertThat(ofStep(tasks, "transform")).extracting(t -> env(t).get("PARTITION"))
                .containsExactlyInAnyOrder("p0", "p1", "p2", "p3");
        assertThat(ofStep(tasks, "transform")).extracting(t -> env(t).get(TaskEnvironment.ITEM_INDEX))
                .containsExactlyInAnyOrder("0", "1", "2", "3");
        assertThat(ofStep(tasks, "transform")).allSatisfy(t -> {
            assertThat(env(t).get(TaskEnvironment.ITEM)).contains("\"name\":\"" + env(t).get("PARTITION") + "\"");
            assertThat(t.taskDefinitionArn()).contains("/skiff-" + job.name() + "_transform:");
            assertThat(t.startedBy()).startsWith("skiff-").hasSizeLessThanOrEqualTo(36);
        });
        assertThat(ofStep(tasks, "transform")).extracting(Task::startedBy).doesNotHaveDuplicates();
        // and the run's view, read back from the execution's history, shows each step and item as it ran
        PipelineRun view = aws.engine.pipeline(runId).orElseThrow();
        assertThat(view.steps()).extracting(PipelineRun.StepRun::name, PipelineRun.StepRun::status).containsExactly(
                tuple("extract", "SUCCEEDED"), tuple("transform", "SUCCEEDED"), tuple("load", "SUCCEEDED"));
        assertThat(view.steps().get(1).items()).contains(new PipelineRun.ItemCounts(4, 4, 0, 0));
        assertThat(view.steps().get(0).attempts()).singleElement()
                .satisfies(a -> assertThat(a.taskId()).isEqualTo(ofStep(tasks, "extract").get(0).taskArn()));
        assertThat(view.unitsOf("transform")).extracting(PipelineRun.UnitRun::item).containsExactly(0, 1, 2, 3);
        assertThat(view.unit("transform", 2).orElseThrow().itemJson()).hasValueSatisfying(
                item -> assertThat(item).contains("\"name\":\"p2\""));
        // load read extract's output, kept when extract stopped
        assertThat(ofStep(tasks, "load")).singleElement()
                .satisfies(t -> assertThat(env(t)).containsEntry("TOTAL", "4")
                        .containsEntry(TaskEnvironment.OUTPUT_URI, "s3://" + aws.jobsLocation.bucket() + "/skiff/.skiff/outputs/"
                                + job.owner() + "/" + runId + "/load/1.json"));
    }

    @Test
    void shouldFailTheRunWhenAnItemFailsAndStopItsSiblingsTasks() throws Exception {
        // Given the ETL pipeline, and four partitions of which p1 exits 3 while p2 and p3 run on
        JobSpec job = aws.register(etl("etl-bad"));
        String output = """
                {"partitions": [%s, %s, %s, %s], "total": 4}""".formatted(partition("p0", "0", ""),
                partition("p1", "3", ""), partition("p2", "0", "until-stopped"), partition("p3", "0", "until-stopped"));

        // When the run starts and its tasks run
        String runId = start(job);
        List<Task> tasks = play(runId, output);

        // Then the run failed with the item's error, load never started
        assertThat(aws.statusOf(runId)).isEqualTo(RunStatus.FAILED);
        assertThat(tasks).extracting(t -> env(t).get(TaskEnvironment.STEP)).doesNotContain("load");
        PipelineRun view = aws.engine.pipeline(runId).orElseThrow();
        assertThat(view.steps()).extracting(PipelineRun.StepRun::status).containsExactly("SUCCEEDED", "FAILED", "WAITING");
        assertThat(view.unit("transform", 1).orElseThrow()).satisfies(unit -> {
            assertThat(unit.status()).isEqualTo(PipelineProgress.UnitStatus.FAILED);
            assertThat(unit.error()).contains("Skiff.ExitCode.3");
        });
        assertThat(view.steps().get(1).error()).contains("Skiff.ExitCode.3");

        // And the reconciler's sweep stops the items still running, which nothing will read, even where their tokens
        // still take heartbeats (moto may keep a Map's sibling tokens open after the execution ended)
        try (SfnClient lenient = MotoStepFunctions.sfn(new HeartbeatsAccepted())) {
            new StepReconciler(aws.fargate, new TaskTokens(lenient), aws.completion, new StepWaits(aws.sfn, aws.machines),
                    aws::job, Duration.ofMinutes(1)).sweep(Instant.now());
        }
        List<Task> running = ofStep(tasksOf(runId), "transform").stream()
                .filter(t -> "until-stopped".equals(env(t).get("EMULATED_RUN"))).toList();
        assertThat(running).hasSize(2).allSatisfy(t -> assertThat(t.desiredStatus()).isEqualTo("STOPPED"));
    }

    /** Answers every SendTaskHeartbeat with success, as for a token that stays open. */
    private static final class HeartbeatsAccepted implements ExecutionInterceptor {
        @Override
        public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
            return context.request() instanceof SendTaskHeartbeatRequest
                    ? context.httpResponse().toBuilder().statusCode(200).build() : context.httpResponse();
        }

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                               ExecutionAttributes attributes) {
            return context.request() instanceof SendTaskHeartbeatRequest
                    ? Optional.of(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8))) : context.responseBody();
        }
    }

    private static String partition(String name, String exit, String run) {
        return """
                {"name": "%s", "exit": "%s", "run": "%s"}""".formatted(name, exit, run);
    }

    private static JobSpec etl(String name) {
        return TestSpecs.shell(MotoStepFunctions.jobName(name), "true", """
                steps:
                  - name: extract
                  - name: transform
                    dependsOn: [extract]
                    image: example/transform:2
                    forEach:
                      items: $.steps.extract.output.partitions
                      maxConcurrency: 4
                    parameters:
                      PARTITION: $.item.name
                      EMULATED_EXIT_CODE: $.item.exit
                      EMULATED_RUN: $.item.run
                  - name: load
                    dependsOn: [transform]
                    parameters:
                      TOTAL: $.steps.extract.output.total
                """);
    }

    private String start(JobSpec job) {
        String runId = RunIds.idempotencyKey(job.name(), "run");
        assertThat(aws.engine.start(runId, job, "api", Map.of()).created()).isTrue();
        return runId;
    }

    /**
     * Settles dispatch messages, plays the run's containers and EventBridge until the run ends: extract's container
     * writes {@code extractOutput} to its SKIFF_OUTPUT_URI; each task that stopped gets its Task State Change event.
     *
     * @return every task the run started
     */
    private List<Task> play(String runId, String extractOutput) throws Exception {
        Instant giveUp = Instant.now().plus(WITHIN);
        while (!aws.statusOf(runId).isTerminal() && Instant.now().isBefore(giveUp)) {
            for (Message m : aws.sqs.receiveMessage(r -> r.queueUrl(aws.dispatchQueue).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages()) {
                Thread.sleep(SETTLE.toMillis());
                aws.dispatch.handle(m);
                DispatchRequest request = DispatchRequest.parse(m.body());
                if (request.kind() == DispatchRequest.Kind.ITEMS) {
                    wake(runId, request.taskToken());
                }
            }
            for (Task task : tasksOf(runId)) {
                Map<String, String> env = env(task);
                if (written.add(task.taskArn()) && "extract".equals(env.get(TaskEnvironment.STEP))) {
                    String key = env.get(TaskEnvironment.OUTPUT_URI).substring(("s3://" + aws.jobsLocation.bucket() + "/").length());
                    aws.s3.putObject(r -> r.bucket(aws.jobsLocation.bucket()).key(key), RequestBody.fromString(extractOutput));
                }
                if ("STOPPED".equals(task.lastStatus()) && published.add(task.taskArn())) {
                    aws.publish(task, 3);
                    aws.consumeTaskEvents();
                    var step = AwsMode.stepOf(task, aws.seal);
                    if (step.isPresent()) {
                        wake(runId, step.get().taskToken());
                    }
                }
            }
        }
        MotoStepFunctions.awaitStatus(() -> aws.statusOf(runId), aws.statusOf(runId), Duration.ofSeconds(1));
        return tasksOf(runId);
    }

    /** Moto reads an answer it was not yet listening for only after HeartbeatSeconds: see MotoStepFunctions. */
    private void wake(String runId, String token) throws InterruptedException {
        MotoStepFunctions.heartbeatUntilAccepted(aws.sfn, token, () -> !aws.statusOf(runId).isTerminal(), WITHIN);
    }

    private List<Task> tasksOf(String runId) {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            arns.addAll(aws.ecs.listTasks(r -> r.cluster(aws.cluster.cluster).desiredStatus(status)).taskArns());
        }
        if (arns.isEmpty()) {
            return List.of();
        }
        List<Task> tasks = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            tasks.addAll(aws.ecs.describeTasks(r -> r.cluster(aws.cluster.cluster).tasks(batch)).tasks());
        }
        return tasks.stream().filter(t -> runId.equals(env(t).get(TaskEnvironment.RUN_ID))).toList();
    }

    private static List<Task> ofStep(List<Task> tasks, String step) {
        return tasks.stream().filter(t -> step.equals(env(t).get(TaskEnvironment.STEP))).toList();
    }

    private static Map<String, String> env(Task task) {
        return FargateTaskLauncher.environmentOf(task);
    }
}
