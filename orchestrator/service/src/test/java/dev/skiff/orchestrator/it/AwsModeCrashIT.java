package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.testing.EcsEvents;
import dev.skiff.testing.MotoNetwork;
import dev.skiff.testing.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Step Functions mode under SIGKILL: the packaged orchestrator, on moto, is killed while launch requests and task
 * events are in flight, and started again. The test plays ECS's EventBridge rule throughout, sending a STOPPED
 * event for every task that appears. No run may be lost and no attempt launched twice.
 */
class AwsModeCrashIT {

    private static final int RUNS = 24;
    private static final Region REGION = Region.US_EAST_1;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    @TempDir
    Path work;

    @Test
    void shouldLoseNoRunAndLaunchNoAttemptTwiceWhenKilledMidRun() throws Exception {
        // Given the AWS side on moto and a job
        MotoServer moto = MotoServer.shared();
        moto.enableStepFunctionsExecution();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String job = "crash-" + suffix;
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Files.writeString(jobs.resolve(job + ".yaml"), """
                name: %s
                owner: it
                image: example/steady:1
                command: ["true"]
                retries:
                  maxAttempts: 1
                """.formatted(job));
        try (SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build();
             EcsClient ecs = EcsClient.builder().endpointOverride(moto.endpoint()).region(REGION).credentialsProvider(CREDENTIALS).build()) {
            String dispatch = sqs.createQueue(r -> r.queueName("dispatch-" + suffix)).queueUrl();
            String taskEvents = sqs.createQueue(r -> r.queueName("task-events-" + suffix)).queueUrl();
            MotoNetwork network = MotoNetwork.create(moto.endpoint(), REGION.id());
            String cluster = "skiff-" + suffix;
            ecs.createCluster(r -> r.clusterName(cluster).capacityProviders("FARGATE", "FARGATE_SPOT"));
            Map<String, String> config = new HashMap<>(Map.ofEntries(
                    Map.entry("skiff.engine", "stepfunctions"),
                    Map.entry("skiff.launcher", "fargate"),
                    Map.entry("skiff.fargate.cluster", cluster),
                    Map.entry("skiff.fargate.subnets", network.subnetId()),
                    Map.entry("skiff.fargate.security-groups", network.securityGroupId()),
                    Map.entry("skiff.sfn.role-arn", "arn:aws:iam::123456789012:role/skiff-state-machines"),
                    Map.entry("skiff.sfn.token-keys", "crash-test-task-token-key-0123456789abcdef"),
                    Map.entry("skiff.sfn.dispatch-queue-url", dispatch),
                    Map.entry("skiff.sfn.task-events-queue-url", taskEvents),
                    // A message whose consumer was killed comes back after this, not after minutes.
                    Map.entry("skiff.sfn.dispatch-visibility-timeout", "5s"),
                    Map.entry("skiff.sfn.task-events-visibility-timeout", "5s"),
                    // Launches trickle out at 4 RunTask/s, so the kill lands while launch requests are in hand.
                    Map.entry("skiff.fargate.run-task-rate", "4"),
                    Map.entry("skiff.fargate.run-task-burst", "2"),
                    Map.entry("skiff.aws.endpoint", moto.endpoint().toString()),
                    Map.entry("skiff.aws.region", REGION.id()),
                    Map.entry("aws.accessKeyId", "testing"),
                    Map.entry("aws.secretAccessKey", "testing")));
            Path data = Files.createDirectories(work.resolve("data"));
            // Kept after the test, for whoever reads a failure: both processes append to it.
            Path log = Files.createDirectories(Path.of("target")).resolve("aws-mode-crash-it.log");
            Files.deleteIfExists(log);
            EcsEvents events = new EcsEvents(ecs, cluster, sqs, taskEvents);
            ScheduledExecutorService ecsEvents = Executors.newSingleThreadScheduledExecutor();
            var runIds = new ArrayList<String>();
            try {
                // ECS's rule: every task that appears ends at once with exit code 0, and its STOPPED event is sent
                ecsEvents.scheduleWithFixedDelay(() -> {
                    try {
                        events.stopNewTasks(0);
                    } catch (RuntimeException e) { // a failed round must not end the schedule: the next one retries
                        System.err.println("sending ECS events failed, trying again: " + e);
                    }
                }, 200, 200, TimeUnit.MILLISECONDS);
                try (var first = ServiceProcess.start(data, jobs, log, config)) {
                    for (int i = 0; i < RUNS; i++) {
                        runIds.add(first.post("/jobs/" + job + "/runs", "{}", "crash-" + i).path("runId").asText());
                    }
                    // When the orchestrator is killed once a quarter of the runs have their task, the rest still to launch
                    awaitTasks(ecs, cluster, RUNS / 4);
                    first.killHard();
                    int launchedBeforeKill = allTasks(ecs, cluster).size();
                    System.out.printf("killed the orchestrator with %d of %d runs' tasks launched; log: %s%n",
                            launchedBeforeKill, RUNS, log.toAbsolutePath());
                    assertThat(launchedBeforeKill).as("the kill must land while launches are still due").isLessThan(RUNS);
                }
                // ... and started again
                try (var second = ServiceProcess.start(data, jobs, log, config)) {
                    List<JsonNode> runs = awaitAllEnded(second, runIds);

                    // Then every run succeeded with one attempt
                    assertThat(runs).allSatisfy(run -> {
                        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
                        assertThat(run.path("attempts")).hasSize(1);
                    });
                    // And ECS ran exactly one task per run
                    Map<String, Long> tasksPerRun = allTasks(ecs, cluster).stream()
                            .collect(Collectors.groupingBy(AwsModeCrashIT::runIdOf, Collectors.counting()));
                    assertThat(tasksPerRun).containsOnlyKeys(runIds);
                    assertThat(tasksPerRun.values()).allMatch(count -> count == 1);
                }
            } finally {
                ecsEvents.shutdownNow();
            }
        }
    }

    private static void awaitTasks(EcsClient ecs, String cluster, int count) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            if (allTasks(ecs, cluster).size() >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " tasks within 60 s");
    }

    static List<Task> allTasks(EcsClient ecs, String cluster) {
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            ecs.listTasksPaginator(r -> r.cluster(cluster).desiredStatus(status)).taskArns().forEach(arns::add);
        }
        List<Task> tasks = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += 100) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + 100));
            tasks.addAll(ecs.describeTasks(r -> r.cluster(cluster).tasks(batch)).tasks());
        }
        return tasks;
    }

    static String runIdOf(Task task) {
        return task.overrides().containerOverrides().stream().flatMap(o -> o.environment().stream())
                .filter(pair -> "SKIFF_RUN_ID".equals(pair.name())).map(KeyValuePair::value).findFirst().orElse("?");
    }

    private static List<JsonNode> awaitAllEnded(ServiceProcess service, List<String> runIds) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(120);
        while (true) {
            var runs = new ArrayList<JsonNode>();
            for (String id : runIds) {
                runs.add(service.get("/runs/" + id));
            }
            boolean ended = runs.stream().noneMatch(r -> "RUNNING".equals(r.path("status").asText()));
            if (ended || Instant.now().isAfter(giveUp)) {
                return runs;
            }
            Thread.sleep(250);
        }
    }
}
