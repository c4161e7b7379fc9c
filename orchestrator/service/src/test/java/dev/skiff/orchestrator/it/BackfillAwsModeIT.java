package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.orchestrator.adapter.s3.MotoS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A 30-day backfill in AWS mode, on moto: the job registry and the backfill's record in S3, its runs as Step
 * Functions executions, its tasks on Fargate (the test plays ECS's rule, stopping every task with exit code 0). The
 * packaged orchestrator is killed with SIGKILL halfway; a new one, sharing nothing with it but AWS (its own empty
 * data directory), finishes the backfill with exactly 30 runs, one task each, never more than three running.
 */
class BackfillAwsModeIT {

    private static final int DAYS = 30;

    @TempDir
    Path work;

    @Test
    void shouldEndWithThirtyRunsAndNoDuplicateWhenTheOrchestratorDiesHalfwayAndAnotherFinishes() throws Exception {
        // Given the AWS side on moto, with a daily job in the S3 registry
        try (MotoAwsSide aws = new MotoAwsSide(); S3Client s3 = MotoS3.client()) {
            String job = "backfill-" + aws.suffix;
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
            Map<String, String> config = aws.config();
            // The registry is S3: this comes after ServiceProcess's own -Dskiff.jobs.location, so it wins.
            config.put("skiff.jobs.location", "s3://" + bucket + "/jobs/");
            config.put("skiff.backfill.tick-interval", "1s");
            Path unused = Files.createDirectories(work.resolve("no-jobs"));
            Path log = Files.createDirectories(Path.of("target")).resolve("backfill-aws-mode-it.log");
            Files.deleteIfExists(log);
            LocalDate from = LocalDate.now(ZoneOffset.UTC).minusDays(DAYS + 10);
            String request = "{\"from\": \"%s\", \"to\": \"%s\", \"maxConcurrency\": 3}".formatted(from, from.plusDays(DAYS));
            int mostRunning = 0;
            aws.playEcs();
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
                Map<String, Long> tasksPerRun = aws.allTasks().stream()
                        .collect(Collectors.groupingBy(MotoAwsSide::runIdOf, Collectors.counting()));
                assertThat(tasksPerRun).containsOnlyKeys(runIds);
                assertThat(tasksPerRun.values()).allMatch(count -> count == 1);
                assertThat(mostRunning).isBetween(1, 3);
            }
        }
    }
}
