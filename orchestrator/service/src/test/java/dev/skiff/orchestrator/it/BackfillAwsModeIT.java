package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.orchestrator.adapter.s3.MotoS3;
import dev.skiff.testing.EcsEvents;
import dev.skiff.testing.MotoNetwork;
import dev.skiff.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A 30-day backfill in AWS mode, on moto: the job registry and the backfill's record in S3, its runs as Step
 * Functions executions, its tasks on Fargate (the test plays ECS's rule, stopping every task with exit code 0). The
 * packaged orchestrator is killed with SIGKILL halfway; a new one, sharing nothing with it but AWS (its own empty
 * data directory), finishes the backfill with exactly 30 runs, one task each, never more than three running.
 */
class BackfillAwsModeIT {

    private static final int DAYS = 30;
    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    @TempDir
    Path work;

    @Test
    void shouldEndWithThirtyRunsAndNoDuplicateWhenTheOrchestratorDiesHalfwayAndAnotherFinishes() throws Exception {
        // Given the AWS side on moto, with a daily job in the S3 registry
        MotoServer moto = MotoServer.shared();
        moto.enableStepFunctionsExecution();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String job = "backfill-" + suffix;
        try (SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
             EcsClient ecs = EcsClient.builder().endpointOverride(moto.endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
             S3Client s3 = MotoS3.client()) {
            String bucket = MotoS3.createBucket(s3);
            s3.putObject(r -> r.bucket(bucket).key("jobs/" + job + ".yaml"), RequestBody.fromString("""
                    name: %s
                    owner: it
                    image: example/daily:1
                    command: ["true"]
                    retries:
                      maxAttempts: 1
                    triggers:
                      schedules:
                        - cron: "0 5 * * *"
                          timezone: UTC
                    """.formatted(job)));
            String dispatch = sqs.createQueue(r -> r.queueName("dispatch-" + suffix)).queueUrl();
            String taskEvents = sqs.createQueue(r -> r.queueName("task-events-" + suffix)).queueUrl();
            MotoNetwork network = MotoNetwork.create(moto.endpoint(), REGION.id());
            String cluster = "skiff-" + suffix;
            ecs.createCluster(r -> r.clusterName(cluster).capacityProviders("FARGATE", "FARGATE_SPOT"));
            String jobs = "s3://" + bucket + "/jobs/";
            // The registry is S3: this comes after ServiceProcess's own -Dskiff.jobs.location, so it wins.
            Map<String, String> config = Map.ofEntries(
                    Map.entry("skiff.jobs.location", jobs),
                    Map.entry("skiff.engine", "stepfunctions"),
                    Map.entry("skiff.launcher", "fargate"),
                    Map.entry("skiff.fargate.cluster", cluster),
                    Map.entry("skiff.fargate.subnets", network.subnetId()),
                    Map.entry("skiff.fargate.security-groups", network.securityGroupId()),
                    Map.entry("skiff.sfn.role-arn", "arn:aws:iam::123456789012:role/skiff-state-machines"),
                    Map.entry("skiff.sfn.token-keys", "backfill-test-task-token-key-0123456789abcdef"),
                    Map.entry("skiff.sfn.dispatch-queue-url", dispatch),
                    Map.entry("skiff.sfn.task-events-queue-url", taskEvents),
                    Map.entry("skiff.sfn.dispatch-visibility-timeout", "5s"),
                    Map.entry("skiff.sfn.task-events-visibility-timeout", "5s"),
                    Map.entry("skiff.backfill.tick-interval", "1s"),
                    Map.entry("skiff.aws.endpoint", moto.endpoint().toString()),
                    Map.entry("skiff.aws.region", REGION.id()),
                    Map.entry("aws.accessKeyId", "testing"),
                    Map.entry("aws.secretAccessKey", "testing"));
            Path unused = Files.createDirectories(work.resolve("no-jobs"));
            Path log = Files.createDirectories(Path.of("target")).resolve("backfill-aws-mode-it.log");
            Files.deleteIfExists(log);
            EcsEvents events = new EcsEvents(ecs, cluster, sqs, taskEvents);
            ScheduledExecutorService ecsEvents = Executors.newSingleThreadScheduledExecutor();
            LocalDate from = LocalDate.now(ZoneOffset.UTC).minusDays(DAYS + 10);
            String request = "{\"from\": \"%s\", \"to\": \"%s\", \"maxConcurrency\": 3}".formatted(from, from.plusDays(DAYS));
            int mostRunning = 0;
            try {
                // ECS's rule: every task that appears ends at once with exit code 0, and its STOPPED event is sent
                ecsEvents.scheduleWithFixedDelay(() -> {
                    try {
                        events.stopNewTasks(0);
                    } catch (RuntimeException e) { // a failed round must not end the schedule: the next one retries
                        System.err.println("sending ECS events failed, trying again: " + e);
                    }
                }, 200, 200, TimeUnit.MILLISECONDS);
                String id;
                int startedBeforeKill;
                try (var first = ServiceProcess.start(Files.createDirectories(work.resolve("data-1")), unused, log, config)) {
                    JsonNode created = first.post("/jobs/" + job + "/backfill", request, "unused");
                    id = created.path("id").asText();
                    assertThat(created.path("planned").asInt()).isEqualTo(DAYS);
                    // When the orchestrator is killed once half the fires have started
                    JsonNode status = created;
                    Instant giveUp = Instant.now().plusSeconds(120);
                    while (status.path("started").asInt() < DAYS / 2 && Instant.now().isBefore(giveUp)) {
                        Thread.sleep(100);
                        status = first.get("/backfills/" + id);
                        mostRunning = Math.max(mostRunning, status.path("running").asInt());
                    }
                    first.killHard();
                    startedBeforeKill = status.path("started").asInt();
                }
                // ... and another starts, with a data directory of its own, and is asked for the same backfill again
                try (var second = ServiceProcess.start(Files.createDirectories(work.resolve("data-2")), unused, log, config)) {
                    JsonNode again = second.post("/jobs/" + job + "/backfill", request, "unused");
                    JsonNode status = again;
                    Instant giveUp = Instant.now().plusSeconds(180);
                    while ("RUNNING".equals(status.path("state").asText()) && Instant.now().isBefore(giveUp)) {
                        Thread.sleep(200);
                        status = second.get("/backfills/" + id);
                        mostRunning = Math.max(mostRunning, status.path("running").asInt());
                    }

                    // Then the same backfill ended with 30 runs succeeded, one per fire
                    assertThat(startedBeforeKill).isBetween(DAYS / 2, DAYS - 1);
                    assertThat(again.path("id").asText()).isEqualTo(id);
                    assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
                    assertThat(status.path("succeeded").asInt()).isEqualTo(DAYS);
                    List<String> runIds = status.path("runs").findValuesAsText("runId");
                    assertThat(runIds).hasSize(DAYS).doesNotHaveDuplicates();
                    JsonNode runs = second.get("/runs?job=" + job + "&limit=100");
                    assertThat(runs.findValuesAsText("runId")).containsExactlyInAnyOrderElementsOf(runIds);
                    // And its record is the one in S3 beside the specs (the second process's data directory holds none)
                    assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix("jobs/.skiff/backfills/")).contents())
                            .extracting(o -> o.key()).singleElement().asString().endsWith("/" + id + ".json");
                    // And ECS ran exactly one task per run, and never more than three of its runs ran at once
                    Map<String, Long> tasksPerRun = AwsModeCrashIT.allTasks(ecs, cluster).stream()
                            .collect(Collectors.groupingBy(AwsModeCrashIT::runIdOf, Collectors.counting()));
                    assertThat(tasksPerRun).containsOnlyKeys(runIds);
                    assertThat(tasksPerRun.values()).allMatch(count -> count == 1);
                    assertThat(mostRunning).isBetween(1, 3);
                }
            } finally {
                ecsEvents.shutdownNow();
            }
        }
    }
}
