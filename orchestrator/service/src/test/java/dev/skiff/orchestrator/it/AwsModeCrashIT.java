package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step Functions mode under SIGKILL: the packaged orchestrator, on moto, is killed while launch requests and task
 * events are in flight, and started again. The test plays ECS's EventBridge rule throughout, sending a STOPPED
 * event for every task that appears. No run may be lost and no attempt launched twice.
 */
class AwsModeCrashIT {

    private static final int RUNS = 24;

    @TempDir
    Path work;

    @Test
    void shouldLoseNoRunAndLaunchNoAttemptTwiceWhenKilledMidRun() throws Exception {
        // Given the AWS side on moto and a job
        try (MotoAwsSide aws = new MotoAwsSide()) {
            String job = "crash-" + aws.suffix;
            Path jobs = Files.createDirectories(work.resolve("jobs"));
            Files.writeString(jobs.resolve(job + ".yaml"), """
                    name: %s
                    owner: it
                    image: example/steady:1
                    command: ["true"]
                    retries:
                      maxAttempts: 1
                    """.formatted(job));
            Map<String, String> config = aws.config();
            // Launches trickle out at 4 RunTask/s, so the kill lands while launch requests are in hand.
            config.put("skiff.fargate.run-task-rate", "4");
            config.put("skiff.fargate.run-task-burst", "2");
            Path data = Files.createDirectories(work.resolve("data"));
            // Kept after the test, for whoever reads a failure: both processes append to it.
            Path log = Files.createDirectories(Path.of("target")).resolve("aws-mode-crash-it.log");
            Files.deleteIfExists(log);
            var runIds = new ArrayList<String>();
            aws.playEcs();
            try (var first = ServiceProcess.start(data, jobs, log, config)) {
                for (int i = 0; i < RUNS; i++) {
                    runIds.add(first.post("/jobs/" + job + "/runs", "{}", "crash-" + i).path("runId").asText());
                }
                // When the orchestrator is killed once a quarter of the runs have their task, the rest still to launch
                awaitTasks(aws, RUNS / 4);
                first.killHard();
                int launchedBeforeKill = aws.allTasks().size();
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
                Map<String, Long> tasksPerRun = aws.allTasks().stream()
                        .collect(Collectors.groupingBy(MotoAwsSide::runIdOf, Collectors.counting()));
                assertThat(tasksPerRun).containsOnlyKeys(runIds);
                assertThat(tasksPerRun.values()).allMatch(count -> count == 1);
            }
        }
    }

    private static void awaitTasks(MotoAwsSide aws, int count) throws InterruptedException {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            if (aws.allTasks().size() >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " tasks within 60 s");
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
