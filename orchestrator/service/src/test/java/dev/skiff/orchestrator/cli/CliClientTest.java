package dev.skiff.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.orchestrator.cli.StubOrchestrator.Received;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the real service cannot show the CLI: an orchestrator that is not there, a log stream that drops or fails
 * mid-way, and the cost answer (contract 2 of issue 15) played by a stand-in; plus help and completion, which ask no
 * server at all.
 */
class CliClientTest {

    private static final String COST = """
            {"since": "2026-11-29T00:00:00Z", "until": "2026-12-06T00:00:00Z", %s
             "runs": 12, "attempts": 15, "dollars": 1.2345, "onDemandDollars": 3.1, "savedDollars": 1.8655,
             "spotShare": 0.8, "fallbacks": 2, "interruptions": 1 %s}""";
    private static final String JOBS = """
            , "jobs": [
              {"job": "nightly-sales-etl", "owner": "analytics", "runs": 9, "attempts": 11, "dollars": 1.0,
               "onDemandDollars": 2.5, "savedDollars": 1.5, "spotShare": 0.9, "fallbacks": 1, "interruptions": 1},
              {"job": "hourly", "owner": "analytics", "runs": 3, "attempts": 4, "dollars": 0.2345,
               "onDemandDollars": 0.6, "savedDollars": 0.3655, "spotShare": 0.5, "fallbacks": 1, "interruptions": 0}]""";

    @Test
    void shouldNameTheUrlAndHowToStartOneWhenNoOrchestratorAnswers() throws IOException {
        // Given a port nothing listens on
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        // When / Then
        CliRun jobs = CliRun.of(Map.of(), "jobs", "--url", "http://127.0.0.1:" + port);
        assertThat(jobs.exit()).isEqualTo(1);
        assertThat(jobs.out()).isEmpty();
        assertThat(jobs.err().lines()).singleElement().asString()
                .contains("http://127.0.0.1:" + port).contains("./skiff up");
    }

    @Test
    void shouldRefuseToSendATokenOverPlainHttpToAnotherMachine() {
        // Given / When
        CliRun runs = CliRun.of(Map.of("SKIFF_TOKEN", "secret-token"), "runs", "--url", "http://skiff.invalid:8080");

        // Then
        assertThat(runs.exit()).isEqualTo(2);
        assertThat(runs.err()).contains("refusing to send the token", "--insecure").doesNotContain("secret-token");
    }

    @Test
    void shouldSendTheTokenFromTheEnvironmentOrTheOption() throws IOException {
        // Given a stand-in that accepts a cancel
        try (var server = StubOrchestrator.start(r -> new StubOrchestrator.Answer(202,
                "{\"runId\": \"daily-m-1\", \"job\": \"daily\", \"status\": \"CANCELLED\"}"))) {
            String url = "http://localhost:" + server.port();

            // When
            CliRun fromEnv = CliRun.of(Map.of("SKIFF_URL", url, "SKIFF_TOKEN", "env-key"), "cancel", "daily-m-1");
            CliRun fromOption = CliRun.of(Map.of("SKIFF_TOKEN", "env-key"), "cancel", "daily-m-1", "--url", url,
                    "--token", "option-key");

            // Then
            assertThat(fromEnv.exit()).isZero();
            assertThat(fromEnv.out()).contains("daily-m-1", "CANCELLED");
            assertThat(server.received()).extracting(Received::method, Received::path, Received::authorization)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/runs/daily-m-1/cancel", "Bearer env-key"),
                            org.assertj.core.groups.Tuple.tuple("POST", "/runs/daily-m-1/cancel", "Bearer option-key"));
            assertThat(fromOption.exit()).isZero();
        }
    }

    @Test
    void shouldFollowALogAcrossADroppedConnectionWithoutRepeatingALine() throws IOException {
        // Given a stream that drops after two lines
        try (var server = new LogStreamStandIn()) {
            // When it is followed
            CliRun logs = CliRun.of(Map.of("SKIFF_URL", server.url()), "logs", "dropped", "-f", "--lines", "5",
                    "--step", "main");

            // Then every line came once, in order, and the second request resumed after the last line seen
            assertThat(logs.exit()).as(logs.err()).isZero();
            assertThat(logs.out()).isEqualTo("first line\nsecond line\nthird line\n");
            assertThat(server.asked()).hasSize(2);
            assertThat(server.asked().get(0).query()).contains("follow=true", "lines=5", "step=main");
            assertThat(server.asked().get(0).accept()).startsWith("text/event-stream,");
            assertThat(server.asked().get(0).lastEventId()).isNull();
            assertThat(server.asked().get(1).lastEventId()).isEqualTo("2");
            assertThat(logs.err()).contains("SUCCEEDED");
        }
    }

    @Test
    void shouldPrintTheLastLinesAndSaySoWhenTheOrchestratorDoesNotStreamLogs() throws IOException {
        // Given / When
        try (var server = new LogStreamStandIn()) {
            CliRun logs = CliRun.of(Map.of("SKIFF_URL", server.url()), "logs", "plain", "-f");

            // Then
            assertThat(logs.exit()).isZero();
            assertThat(logs.out()).isEqualTo("last line\n");
            assertThat(logs.err()).contains("does not stream logs");
        }
    }

    @Test
    void shouldExit1WithTheProblemWhenTheLogStreamFailsOrIsRefused() throws IOException {
        // Given
        try (var server = new LogStreamStandIn()) {
            // When
            CliRun broken = CliRun.of(Map.of("SKIFF_URL", server.url()), "logs", "broken", "--follow");
            CliRun missing = CliRun.of(Map.of("SKIFF_URL", server.url()), "logs", "x", "-f");

            // Then
            assertThat(broken.exit()).isEqualTo(1);
            assertThat(broken.out()).isEqualTo("working\n");
            assertThat(broken.err()).contains("Log source failed", "CloudWatch Logs throttled the read");
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).contains("404", "no run named 'x'");
        }
    }

    @Test
    void shouldPrintAJobsCostAndEveryJobsCostOfATeam() throws IOException {
        // Given a stand-in with contract 2's answers
        try (var server = StubOrchestrator.start(r -> new StubOrchestrator.Answer(200, r.path().equals("/cost")
                ? COST.formatted("\"owner\": \"analytics\",", JOBS)
                : COST.formatted("\"job\": \"nightly-sales-etl\",", "")))) {
            Map<String, String> env = Map.of("SKIFF_URL", server.url());

            // When
            CliRun job = CliRun.of(env, "cost", "--job", "nightly-sales-etl", "--since", "7d");
            CliRun team = CliRun.of(env, "cost", "--owner", "analytics", "--since", "2026-11-29T00:00:00Z",
                    "--until", "2026-12-06T00:00:00Z");
            CliRun json = CliRun.of(env, "cost", "--owner", "analytics", "--output", "json");

            // Then each asked the right endpoint with its period
            assertThat(server.received()).extracting(Received::path, Received::query).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("/jobs/nightly-sales-etl/cost", "since=7d"),
                    org.assertj.core.groups.Tuple.tuple("/cost", "owner=analytics&since=2026-11-29T00%3A00%3A00Z"
                            + "&until=2026-12-06T00%3A00%3A00Z"),
                    org.assertj.core.groups.Tuple.tuple("/cost", "owner=analytics"));
            // And the job's summary has dollars, savings, Spot share, fallbacks and interruptions
            assertThat(job.exit()).isZero();
            assertThat(job.out()).contains("nightly-sales-etl", "2026-11-29T00:00:00Z", "12 runs", "15 attempts",
                    "$1.2345", "$3.1000", "saved $1.8655", "Spot share 80%", "2 fallbacks", "1 interruption");
            // And the team's has a row per job, dearest first as the API sent them
            assertThat(team.exit()).isZero();
            assertThat(team.out()).contains("analytics");
            assertThat(team.lines()).anySatisfy(l -> assertThat(l).startsWith("JOB").contains("DOLLARS", "SAVED", "SPOT"));
            assertThat(team.lines()).anySatisfy(l -> assertThat(l).startsWith("nightly-sales-etl").contains("$1.0000", "90%"));
            assertThat(team.lines()).anySatisfy(l -> assertThat(l).startsWith("hourly").contains("$0.2345", "50%"));
            assertThat(json.json().path("jobs")).hasSize(2);
            assertThat(json.json().path("savedDollars").asDouble()).isEqualTo(1.8655);
        }
    }

    @Test
    void shouldPrintThePeriodOfACostToTheSecond() throws IOException {
        // Given a period the service took from its clock, to the nanosecond
        try (var server = StubOrchestrator.start(r -> new StubOrchestrator.Answer(200, COST.replace("2026-11-29T00:00:00Z",
                "2026-11-29T05:12:33.123456789Z").replace("2026-12-06T00:00:00Z", "2026-12-06T05:12:33.123456789Z")
                .formatted("", "")))) {
            // When
            CliRun cost = CliRun.of(Map.of("SKIFF_URL", server.url()), "cost");

            // Then a person reads whole seconds
            assertThat(cost.exit()).isZero();
            assertThat(cost.lines().get(0)).isEqualTo("cost of every job from 2026-11-29T05:12:33Z to 2026-12-06T05:12:33Z");
        }
    }

    @Test
    void shouldPrintHelpForEveryCommandAndABashCompletionScript() {
        // Given / When
        CliRun top = CliRun.of(Map.of(), "--help");
        CliRun logs = CliRun.of(Map.of(), "logs", "--help");
        CliRun completion = CliRun.of(Map.of(), "completion", "bash");

        // Then
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("Usage: skiff", "jobs", "runs", "run", "logs", "cancel", "cost", "validate",
                "apply", "backfill", "completion", "up", "demo");
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).contains("Usage: skiff logs", "--follow", "--step", "--attempt", "--output", "--url",
                "--token", "SKIFF_URL", "SKIFF_TOKEN");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F", "skiff", "logs", "--follow");
        assertThat(CliRun.of(Map.of(), "completion", "tcsh").exit()).isEqualTo(2);
    }
}
