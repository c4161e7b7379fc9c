package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the packaged orchestrator with SIGKILL while runs are in flight and queued, starts it again
 * on the same data directory, and checks that no run is lost and no run was launched twice.
 */
class CrashRecoveryIT {

    private static final int RUNS = 10;

    @TempDir
    Path work;

    @Test
    void shouldLoseNoRunAndLaunchNoneTwiceWhenKilledMidRun() throws Exception {
        // Given a job that records each launch and runs for two seconds, at most four at a time
        Path data = Files.createDirectories(work.resolve("data"));
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Path launches = work.resolve("launches.txt");
        Files.writeString(jobs.resolve("steady.yaml"), """
                name: steady
                owner: it
                image: example/steady:1
                command: ["sh", "-c", "echo \\"$SKIFF_RUN_ID $SKIFF_ATTEMPT\\" >> \\"$LAUNCHES\\"; sleep 2"]
                environment:
                  LAUNCHES: %s
                retries:
                  maxAttempts: 1
                """.formatted(launches));
        Path log = work.resolve("service.log");
        var config = Map.of("skiff.embedded.max-concurrent-attempts", "4");
        var runIds = new ArrayList<String>();

        try (var first = ServiceProcess.start(data, jobs, log, config)) {
            for (int i = 0; i < RUNS; i++) {
                runIds.add(first.post("/jobs/steady/runs", "{}", "crash-" + i).path("runId").asText());
            }
            // When the orchestrator is killed while four runs are running and six wait
            awaitLaunches(launches, 4);
            first.killHard();
        }
        // ... and started again on the same data directory
        try (var second = ServiceProcess.start(data, jobs, log, config)) {
            List<JsonNode> runs = second.awaitEnded(runIds);

            // Then every run succeeded, each with exactly one attempt
            assertThat(runs).allSatisfy(run -> {
                assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
                assertThat(run.path("attempts")).hasSize(1);
            });
            // And each run's command was launched exactly once, across both orchestrator processes
            Map<String, Long> launchCount = Files.readAllLines(launches).stream()
                    .map(line -> line.split(" ")[0])
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(launchCount).containsOnlyKeys(runIds);
            assertThat(launchCount.values()).allMatch(count -> count == 1);
        }
    }

    private static void awaitLaunches(Path launches, int count) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(giveUp)) {
            if (Files.exists(launches) && Files.readAllLines(launches).size() >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " launches within 30 s");
    }
}
