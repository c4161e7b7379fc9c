package dev.skiff.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 30-day backfill, three runs at a time, on the packaged orchestrator in the embedded default: killed with SIGKILL
 * halfway and started again on the same data directory, it ends with exactly 30 runs, each launched once, and never
 * more than three running at once.
 */
class BackfillCrashIT {

    private static final int DAYS = 30;

    @TempDir
    Path work;

    @Test
    void shouldEndWithThirtyRunsAndNoDuplicateWhenKilledHalfwayAndRestarted() throws Exception {
        // Given a daily job whose runs note their start and end, and last a second
        Path data = Files.createDirectories(work.resolve("data"));
        Path jobs = Files.createDirectories(work.resolve("jobs"));
        Path launches = work.resolve("launches.txt");
        Files.writeString(jobs.resolve("daily.yaml"), """
                name: daily
                owner: it
                image: example/daily:1
                command: ["sh", "-c", "echo \\"start $SKIFF_RUN_ID\\" >> \\"$LAUNCHES\\"; sleep 1; echo \\"end $SKIFF_RUN_ID\\" >> \\"$LAUNCHES\\""]
                environment:
                  LAUNCHES: %s
                retries:
                  maxAttempts: 1
                triggers:
                  schedules:
                    - cron: "0 6 * * *"
                      timezone: Europe/Berlin
                """.formatted(launches));
        Path log = work.resolve("service.log");
        var config = Map.of("skiff.backfill.tick-interval", "1s");
        LocalDate from = LocalDate.now(ZoneOffset.UTC).minusDays(DAYS + 10);
        String request = "{\"from\": \"%s\", \"to\": \"%s\", \"maxConcurrency\": 3}".formatted(from, from.plusDays(DAYS));
        String id;

        try (var first = ServiceProcess.start(data, jobs, log, config)) {
            JsonNode created = first.post("/jobs/daily/backfill", request, "unused");
            id = created.path("id").asText();
            assertThat(created.path("planned").asInt()).isEqualTo(DAYS);
            // When the orchestrator is killed once about half the fires have started
            awaitStarts(launches, DAYS / 2);
            first.killHard();
        }
        int startedBeforeKill = starts(launches).size();
        // ... and started again on the same data directory, where the same backfill is asked for again
        try (var second = ServiceProcess.start(data, jobs, log, config)) {
            JsonNode again = second.post("/jobs/daily/backfill", request, "unused");
            JsonNode status = awaitEnded(second, id);

            // Then the same backfill ended with 30 runs succeeded, one per fire
            assertThat(startedBeforeKill).isLessThan(DAYS);
            assertThat(again.path("id").asText()).isEqualTo(id);
            assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("SUCCEEDED");
            assertThat(status.path("succeeded").asInt()).isEqualTo(DAYS);
            List<String> runIds = status.path("runs").findValuesAsText("runId");
            assertThat(runIds).hasSize(DAYS).doesNotHaveDuplicates();
            // And each run's command started exactly once across both processes, never more than three at a time
            Map<String, Long> startsPerRun = starts(launches).stream()
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(startsPerRun).containsOnlyKeys(runIds);
            assertThat(startsPerRun.values()).allMatch(count -> count == 1);
            assertThat(mostAtOnce(launches)).isBetween(2, 3);
        }
    }

    private static List<String> starts(Path launches) throws Exception {
        return Files.readAllLines(launches).stream().filter(l -> l.startsWith("start ")).map(l -> l.substring(6)).toList();
    }

    /** The most runs between their start and end line at any point of the file. */
    private static int mostAtOnce(Path launches) throws Exception {
        int now = 0;
        int most = 0;
        for (String line : Files.readAllLines(launches)) {
            now += line.startsWith("start ") ? 1 : -1;
            most = Math.max(most, now);
        }
        return most;
    }

    private static void awaitStarts(Path launches, int count) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            if (Files.exists(launches) && starts(launches).size() >= count) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " runs started within 60 s");
    }

    private static JsonNode awaitEnded(ServiceProcess service, String id) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(120);
        while (true) {
            JsonNode status = service.get("/backfills/" + id);
            if (!"RUNNING".equals(status.path("state").asText()) || Instant.now().isAfter(giveUp)) {
                return status;
            }
            Thread.sleep(200);
        }
    }
}
