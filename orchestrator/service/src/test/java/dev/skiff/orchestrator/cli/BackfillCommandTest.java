package dev.skiff.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.cli.StubOrchestrator.Received;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code skiff backfill} against a JDK HTTP server that plays the orchestrator's backfill endpoints. */
class BackfillCommandTest {

    private static final String STATUS = """
            {"id": "daily-b-0123456789abcdef", "job": "daily", "state": "%s", "planned": 30, "started": %d,
             "running": %d, "succeeded": %d, "failed": 0}""";

    private final AtomicInteger reads = new AtomicInteger();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private StubOrchestrator server;
    private List<Received> received;

    @BeforeEach
    void startStub() throws IOException {
        server = StubOrchestrator.start(request -> {
            if (request.path().equals("/jobs/nope/backfill")) {
                return new StubOrchestrator.Answer(422, "{\"status\": 422, \"detail\": \"the backfill of job nope cannot start\","
                        + " \"problems\": [\"maxConcurrency: 99 is out of range: from 1 to 40\"]}");
            }
            if (request.path().endsWith("/backfill")) {
                return new StubOrchestrator.Answer(201, STATUS.formatted("RUNNING", 0, 0, 0));
            }
            return new StubOrchestrator.Answer(200, reads.incrementAndGet() < 3 ? STATUS.formatted("RUNNING", 15, 3, 12)
                    : STATUS.formatted("SUCCEEDED", 30, 0, 30));
        });
        received = server.received();
    }

    @AfterEach
    void stopStub() {
        server.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port();
    }

    private int run(Map<String, String> env, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "backfill";
        System.arraycopy(args, 0, command, 1, args.length);
        return SkiffCli.execute(new Terminal(env, new PrintStream(output, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8), false, Duration.ofMillis(10)), command);
    }

    private String out() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPostTheRangeAndPrintProgressUntilItEndsWhenWaiting() {
        // Given / When a backfill is asked for with --wait, the URL and token from the environment
        int exit = run(Map.of("SKIFF_URL", url(), "SKIFF_TOKEN", "team-key"), "daily", "--from", "2026-11-01",
                "--to", "2026-12-01", "--max-concurrency", "3", "--schedule", "0", "--wait");

        // Then it posted the range with the token, printed each change of progress, and ended with 0
        assertThat(exit).isZero();
        assertThat(received.get(0)).satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/jobs/daily/backfill");
            assertThat(r.authorization()).isEqualTo("Bearer team-key");
            assertThat(r.body()).isEqualTo("{\"from\":\"2026-11-01\",\"to\":\"2026-12-01\",\"schedule\":0,\"maxConcurrency\":3}");
        });
        assertThat(received.get(1).path()).isEqualTo("/backfills/daily-b-0123456789abcdef");
        assertThat(out()).contains("backfill daily-b-0123456789abcdef of job daily created: RUNNING: 30 planned, 0 started")
                .contains("backfill daily-b-0123456789abcdef: RUNNING: 30 planned, 15 started, 3 running, 12 succeeded")
                .contains("backfill daily-b-0123456789abcdef: SUCCEEDED: 30 planned, 30 started, 0 running, 30 succeeded");
        assertThat(out().lines().filter(l -> l.contains("15 started"))).hasSize(1);
        assertThat(out() + errors).doesNotContain("team-key");
    }

    @Test
    void shouldPrintTheProblemsAndExit1WhenTheOrchestratorRefuses() {
        // Given / When
        int exit = run(Map.of(), "nope", "--from", "2026-11-01", "--to", "2026-12-01", "--url", url(),
                "--max-concurrency", "99");

        // Then
        assertThat(exit).isEqualTo(1);
        assertThat(out()).contains("backfill of job nope not started: 422 the backfill of job nope cannot start")
                .contains("  maxConcurrency: 99 is out of range: from 1 to 40");
    }

    @Test
    void shouldPrintUsageAndSendNothingWhenArgumentsAreMissingOrWrong() {
        // Given / When / Then
        assertThat(run(Map.of(), "daily", "--from", "2026-11-01", "--url", url())).isEqualTo(2);
        assertThat(run(Map.of(), "daily", "--from", "a", "--to", "b", "--schedule", "first", "--url", url())).isEqualTo(2);
        assertThat(run(Map.of("SKIFF_TOKEN", "k"), "daily", "--from", "a", "--to", "b", "--url", "http://example.com"))
                .isEqualTo(2);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--to")
                .contains("Invalid value for option '--schedule': 'first' is not an int")
                .contains("refusing to send the token").contains("Usage: skiff backfill");
        assertThat(received).isEmpty();
    }

    @Test
    void shouldPrintTheLastStatusAsJsonWithOutputJson() throws IOException {
        // Given / When
        int exit = run(Map.of("SKIFF_URL", url()), "daily", "--from", "2026-11-01", "--to", "2026-12-01", "--wait",
                "-o", "json");

        // Then stdout is the backfill's last status as JSON, its progress went to stderr
        assertThat(exit).isZero();
        var status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out());
        assertThat(status.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(status.path("succeeded").asInt()).isEqualTo(30);
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("backfill daily-b-0123456789abcdef: SUCCEEDED");
    }
}
