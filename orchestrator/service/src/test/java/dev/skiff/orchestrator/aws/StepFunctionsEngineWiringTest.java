package dev.skiff.orchestrator.aws;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.skiff.orchestrator.adapter.ecs.MotoEcs;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine;
import dev.skiff.orchestrator.api.SseClient;
import dev.skiff.orchestrator.port.RunEngine;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.skiff.testing.MotoServer;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The service in {@code stepfunctions} mode, wired as it runs in AWS: a run asked for through the API becomes an
 * execution, the dispatch channel launches its task on (moto's) Fargate, and the task's STOPPED event on the
 * task-events queue ends it. The test plays EventBridge, sending the event ECS would send.
 */
@QuarkusTest
@TestProfile(StepFunctionsEngineProfile.class)
class StepFunctionsEngineWiringTest {

    @Inject
    RunEngine engine;

    @TestHTTPResource("/")
    URI base;

    @Test
    void shouldRunAJobFromTheApiToSucceededThroughStepFunctionsFargateAndTheTaskEventsQueue() throws Exception {
        // Given the service started in stepfunctions mode with one job in its directory
        var aws = StepFunctionsEngineResource.aws;

        // When a run is asked for
        String runId = given().contentType(ContentType.JSON).header("Idempotency-Key", "wired").body("{}")
                .post("/jobs/{job}/runs", aws.job()).then().statusCode(201).extract().path("runId");

        // Then the job has a state machine, and the dispatch channel launched the run's task
        assertThat(engine).isInstanceOf(StepFunctionsRunEngine.class);
        try (SfnClient sfn = MotoStepFunctions.sfn(); SqsClient sqs = MotoStepFunctions.sqs();
             EcsClient ecs = MotoEcs.client(MotoEcs.endpoint())) {
            assertThat(sfn.listStateMachines().stateMachines()).anySatisfy(m -> assertThat(m.name()).isEqualTo("skiff-" + aws.job()));
            Task task = awaitTask(ecs, aws.cluster(), Duration.ofSeconds(30));
            assertThat(AwsMode.stepOf(task, TaskTokenSeal.of(List.of(MotoStepFunctions.TOKEN_KEY), "test"))).hasValueSatisfying(step -> assertThat(step.runId()).isEqualTo(runId));

            // And while it runs, a follower of its log gets the lines its awslogs driver writes, as they come
            String taskId = task.taskArn().substring(task.taskArn().lastIndexOf('/') + 1);
            String group = "/skiff/jobs/" + aws.job();
            String stream = "skiff/job/" + taskId; // <awslogs-stream-prefix>/<container>/<task id>
            try (CloudWatchLogsClient logs = CloudWatchLogsClient.builder().endpointOverride(MotoServer.shared().endpoint())
                    .region(MotoStepFunctions.REGION).build()) {
                assertThat(given().get("/runs/{id}/log", runId).then().statusCode(404).extract().asString())
                        .contains(group).contains(stream); // the task has not logged yet
                try (SseClient follower = SseClient.open(base.resolve("/runs/" + runId + "/log?follow=true"), Map.of())) {
                    assertThat(follower.response().statusCode()).isEqualTo(200); // a stream not yet written is empty
                    logs.createLogGroup(r -> r.logGroupName(group));
                    logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
                    long at = Instant.now().toEpochMilli();
                    logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(
                            InputLogEvent.builder().timestamp(at).message("extracting").build()));
                    assertThat(follower.next(Duration.ofSeconds(20)).data()).isEqualTo("extracting");
                    logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(
                            InputLogEvent.builder().timestamp(at + 1).message("loaded 42 rows").build(),
                            InputLogEvent.builder().timestamp(at + 2).message("done").build()));
                    assertThat(follower.next(Duration.ofSeconds(20)).data()).isEqualTo("loaded 42 rows");
                    assertThat(follower.next(Duration.ofSeconds(20)).data()).isEqualTo("done");

                    // And when its STOPPED event arrives on the task-events queue
                    // (moto's document has no billed span: the event says the task pulled its image two minutes before it stopped)
                    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                    Task stopped = awaitStopped(ecs, aws.cluster(), task.taskArn()).toBuilder()
                            .pullStartedAt(now.minusSeconds(120)).stoppedAt(now).build();
                    sqs.sendMessage(r -> r.queueUrl(aws.taskEventsQueueUrl()).messageBody(AwsMode.event(stopped, 5)));

                    // Then the follower gets the attempt's end, and the run succeeded with its attempt on the task
                    assertThat(follower.untilEnd(Duration.ofSeconds(30))).singleElement()
                            .satisfies(end -> assertThat(end.name()).isEqualTo("end"))
                            .satisfies(end -> assertThat(end.data()).isEqualTo("{\"status\":\"SUCCEEDED\",\"exitCode\":0}"));
                }
            }
            awaitStatus(runId, "SUCCEEDED", Duration.ofSeconds(30));
            given().get("/runs/{id}", runId).then().statusCode(200)
                    .body("status", equalTo("SUCCEEDED"))
                    .body("attempts[0].taskId", equalTo(task.taskArn()))
                    .body("attempts[0].exitCode", equalTo(0));

            // And its cost is reported, priced at the configured prices of the region: 2 minutes at 9 USD an hour
            given().get("/runs/{id}", runId).then().body("attempts[0].costUsd", equalTo(0.3f));
            given().get("/jobs/{job}/cost?since=1h", aws.job()).then().statusCode(200)
                    .body("job", equalTo(aws.job()))
                    .body("runs", equalTo(1)).body("attempts", equalTo(1))
                    .body("dollars", equalTo(0.3f)).body("onDemandDollars", equalTo(0.3f))
                    .body("savedDollars", equalTo(0.0f));
            given().get("/cost").then().statusCode(200).body("jobs.job", org.hamcrest.Matchers.contains(aws.job()));

            // And its log is read from the CloudWatch stream the task's awslogs driver wrote
            given().get("/runs/{id}/log?lines=2", runId).then().statusCode(200)
                    .contentType(ContentType.TEXT).body(equalTo("loaded 42 rows\ndone\n"));
            given().get("/runs/{id}/log?attempt=1&step=main", runId).then().statusCode(200)
                    .body(equalTo("extracting\nloaded 42 rows\ndone\n"));
            // And the CLI reads the same lines: skiff logs RUN
            var cli = dev.skiff.orchestrator.cli.CliRun.of(Map.of("SKIFF_URL", base.toString()), "logs", runId);
            assertThat(cli.exit()).as(cli.err()).isZero();
            assertThat(cli.out()).isEqualTo("extracting\nloaded 42 rows\ndone\n");
            assertThat(dev.skiff.orchestrator.cli.CliRun.of(Map.of("SKIFF_URL", base.toString()), "logs", runId,
                    "--lines", "1", "--attempt", "1").out()).isEqualTo("done\n");
            // Hostile values stay 4xx
            for (String query : List.of("lines=0", "lines=10001", "lines=abc", "attempt=-1", "attempt=2", "step=..%2F..")) {
                given().get("/runs/{id}/log?" + query, runId).then().statusCode(org.hamcrest.Matchers.both(
                        org.hamcrest.Matchers.greaterThanOrEqualTo(400)).and(org.hamcrest.Matchers.lessThan(500)));
            }
        }
    }

    private static Task awaitTask(EcsClient ecs, String cluster, Duration within) throws InterruptedException {
        Instant giveUp = Instant.now().plus(within);
        while (Instant.now().isBefore(giveUp)) {
            List<String> arns = ecs.listTasks(r -> r.cluster(cluster)).taskArns();
            if (!arns.isEmpty()) {
                return ecs.describeTasks(r -> r.cluster(cluster).tasks(arns)).tasks().get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no task was launched in " + cluster + " within " + within);
    }

    private static Task awaitStopped(EcsClient ecs, String cluster, String arn) {
        for (int i = 0; i < 50; i++) {
            Task task = ecs.describeTasks(r -> r.cluster(cluster).tasks(arn)).tasks().get(0);
            if ("STOPPED".equals(task.lastStatus())) {
                return task;
            }
        }
        throw new AssertionError("task " + arn + " never stopped");
    }

    private static void awaitStatus(String runId, String expected, Duration within) throws InterruptedException {
        Instant giveUp = Instant.now().plus(within);
        String last = "";
        while (Instant.now().isBefore(giveUp)) {
            last = given().get("/runs/{id}", runId).then().statusCode(200).extract().path("status");
            if (expected.equals(last)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("run " + runId + " is " + last + ", expected " + expected + " within " + within);
    }
}
