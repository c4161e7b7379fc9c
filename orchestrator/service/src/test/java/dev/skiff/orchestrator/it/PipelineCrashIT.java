package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the packaged orchestrator with SIGKILL in the middle of a pipeline's fan-out, starts it again on the same
 * data directory, and checks that the run succeeds with every step and every item run exactly once.
 */
class PipelineCrashIT {

    private static final int ITEMS = 8;

    @TempDir
    Path work;

    @Test
    void shouldRunEveryItemExactlyOnceWhenKilledInTheMiddleOfAFanOut() throws Exception {
        // Given extract -> transform over 8 items, 3 at a time, 2 s each -> load; every task records its run
        Path data = Files.createDirectories(work.resolve("data"));
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Path launches = work.resolve("launches.txt");
        Files.writeString(jobs.resolve("fan.yaml"), """
                name: fan
                owner: it
                image: example/fan:1
                command: ["sh", "-c"]
                environment:
                  LAUNCHES: %s
                retries:
                  maxAttempts: 1
                steps:
                  - name: extract
                    args: ["echo extract >> \\"$LAUNCHES\\"; echo '{\\"parts\\": [0, 1, 2, 3, 4, 5, 6, 7]}' > \\"$SKIFF_OUTPUT\\""]
                  - name: transform
                    dependsOn: [extract]
                    forEach: {items: $.steps.extract.output.parts, maxConcurrency: 3}
                    args: ["echo \\"transform-$SKIFF_ITEM\\" >> \\"$LAUNCHES\\"; sleep 2"]
                  - name: load
                    dependsOn: [transform]
                    args: ["echo load >> \\"$LAUNCHES\\""]
                """.formatted(launches));
        Path log = work.resolve("service.log");
        String runId;

        try (var first = ServiceProcess.start(data, jobs, log, Map.of())) {
            runId = first.post("/jobs/fan/runs", "{}", "fan-1").path("runId").asText();
            // When the orchestrator is killed while the first three items run and five wait
            awaitLines(launches, 4);
            first.killHard();
        }
        // ... and started again on the same data directory
        try (var second = ServiceProcess.start(data, jobs, log, Map.of())) {
            JsonNode run = second.awaitEnded(List.of(runId)).get(0);

            // Then the run succeeded, and its steps say so
            assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
            JsonNode steps = run.path("steps");
            assertThat(steps).hasSize(3);
            assertThat(steps.get(1).path("items").path("succeeded").asInt()).isEqualTo(ITEMS);
            // And every task ran exactly once, across both orchestrator processes
            Map<String, Long> ranTimes = Files.readAllLines(launches).stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(ranTimes).hasSize(ITEMS + 2).containsKeys("extract", "load", "transform-0", "transform-7");
            assertThat(ranTimes.values()).allMatch(count -> count == 1);
        }
    }

    private static void awaitLines(Path file, int count) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(giveUp)) {
            if (Files.exists(file) && Files.readAllLines(file).size() >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " lines in " + file + " within 30 s");
    }
}
