package dev.skiff.orchestrator.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLI's client commands against the real service (embedded engine, local processes, random port), each called in
 * this JVM as {@code skiff ARGS} would run it.
 */
@QuarkusTest
@TestProfile(CliServiceProfile.class)
class CliServiceTest {

    @TestHTTPResource("/")
    URL base;

    private CliRun skiff(String... args) {
        return CliRun.of(Map.of("SKIFF_URL", base.toString()), args);
    }

    @Test
    void shouldListJobsWithTheirOwnerSchedulesNextFireAndPause() {
        // Given / When
        CliRun jobs = skiff("jobs");

        // Then one row per job, the scheduled one with its cron, zone and next fire
        assertThat(jobs.exit()).isZero();
        assertThat(jobs.lines().get(0)).startsWith("JOB").contains("OWNER", "TRIGGERS", "NEXT FIRE", "PAUSED");
        assertThat(jobs.lines()).anySatisfy(line -> assertThat(line).startsWith("nightly ")
                .contains("night-team", "30 2 * * * Europe/Berlin", "no").containsPattern("\\d{4}-\\d\\d-\\d\\dT"));
        assertThat(jobs.lines()).anySatisfy(line -> assertThat(line).startsWith("hello ").contains("test-team", "manual"));

        // And when its schedule is paused, the table says so
        given().post("/jobs/nightly/schedules/0/pause").then().statusCode(200);
        try {
            assertThat(skiff("jobs").lines()).anySatisfy(line -> assertThat(line).startsWith("nightly ").endsWith("yes"));
        } finally {
            given().post("/jobs/nightly/schedules/0/resume").then().statusCode(200);
        }

        // And --output json prints the API's answer
        JsonNode json = skiff("jobs", "--output", "json").json();
        assertThat(json.path("jobs")).extracting(j -> j.path("name").asText()).contains("hello", "nightly", "steps");
    }

    @Test
    void shouldRunAJobWithParametersWaitForItAndExit0ThenShowItsRunAndLog() {
        // Given / When a run with a parameter, waited for
        CliRun run = skiff("run", "hello", "-p", "WHO=cli", "--wait");

        // Then it exits 0, with progress on stderr and the run on stdout
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("SUCCEEDED");
        // (not on a terminal: a line per change of the run, never two for the same state)
        assertThat(run.err().lines().map(l -> l.replaceFirst(", \\d+s", ""))).doesNotHaveDuplicates();
        String runId = run.out().lines().filter(l -> l.startsWith("hello-")).findFirst()
                .map(l -> l.split("\\s+")[0]).orElseThrow(() -> new AssertionError("no run row in " + run.out()));
        assertThat(run.out()).contains("SUCCEEDED");

        // And the runs table lists it, filtered by job and status
        CliRun runs = skiff("runs", "--job", "hello", "--status", "SUCCEEDED,FAILED", "--limit", "5");
        assertThat(runs.exit()).isZero();
        assertThat(runs.lines().get(0)).startsWith("RUN").contains("JOB", "STATUS", "ATTEMPTS", "DURATION", "EXIT");
        assertThat(runs.lines()).anySatisfy(l -> assertThat(l).startsWith(runId).contains("hello", "api", "SUCCEEDED"));
        JsonNode json = skiff("runs", "--job", "hello", "-o", "json").json();
        assertThat(json.isArray()).isTrue();
        assertThat(json).extracting(r -> r.path("runId").asText()).contains(runId);
        assertThat(json.get(0).path("parameters").path("WHO").asText()).isEqualTo("cli");

        // And its log reads back what it printed
        CliRun logs = skiff("logs", runId);
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).isEqualTo("hello cli\nbye cli\n");
        assertThat(skiff("logs", runId, "--lines", "1").out()).isEqualTo("bye cli\n");
        // (followed, an ended run's log is its last lines, whether or not this orchestrator streams logs)
        CliRun followed = skiff("logs", runId, "-f");
        assertThat(followed.exit()).as(followed.err()).isZero();
        assertThat(followed.out()).isEqualTo("hello cli\nbye cli\n");
        assertThat(skiff("logs", runId, "--attempt", "1", "--output", "json").json())
                .extracting(JsonNode::asText).containsExactly("hello cli", "bye cli");
    }

    @Test
    void shouldRewriteTheProgressLineInPlaceOnATerminal() {
        // Given / When stderr is a terminal
        CliRun run = CliRun.of(Map.of("SKIFF_URL", base.toString()), true, "run", "hello", "-p", "WHO=tty", "--wait");

        // Then each progress line overwrites the last (carriage return, erase to the end), and the last one stays
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).startsWith("\rrun hello-").contains("\u001b[K").endsWith("\n");
        assertThat(run.err().chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(run.err().substring(run.err().lastIndexOf('\r'))).contains("SUCCEEDED");
    }

    @Test
    void shouldExit1WhenTheWaitedRunFails() {
        // Given / When
        CliRun run = skiff("run", "fails", "--wait");

        // Then
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("FAILED");
        assertThat(run.out()).contains("FAILED");
    }

    @Test
    void shouldShowAPipelinesStepsInTheProgressLine() {
        // Given / When
        CliRun run = skiff("run", "steps", "--wait");

        // Then
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("2/2 steps done");
        assertThat(run.out()).contains("2 steps", "SUCCEEDED");
    }

    @Test
    void shouldCancelARunningRun() throws InterruptedException {
        // Given a run that sleeps, started without waiting (its JSON names it)
        CliRun started = skiff("run", "sleepy", "--output", "json");
        assertThat(started.exit()).as(started.err()).isZero();
        String runId = started.json().path("runId").asText();
        awaitStatus(runId, "RUNNING");

        // When it is cancelled
        CliRun cancel = skiff("cancel", runId);

        // Then it says so, and the run ends cancelled
        assertThat(cancel.exit()).as(cancel.err()).isZero();
        assertThat(cancel.out()).contains(runId);
        awaitStatus(runId, "CANCELLED");
        assertThat(skiff("runs", "--job", "sleepy").lines()).anySatisfy(l -> assertThat(l).startsWith(runId).contains("CANCELLED"));
    }

    @Test
    void shouldPrintTheApisProblemOnStderrAndExit1() {
        // Given / When a job that does not exist, and a run that does not
        CliRun run = skiff("run", "nope");
        CliRun logs = skiff("logs", "nope-m-0");

        // Then
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("404").contains("no job named 'nope' is registered");
        assertThat(logs.exit()).isEqualTo(1);
        assertThat(logs.err()).contains("404");

        // And a bad value the API refuses is its 400 problem
        CliRun bad = skiff("runs", "--status", "DONE");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("400").contains("status: DONE is not a run status");
        // And a problem that only repeats the detail is printed once
        CliRun outOfBounds = skiff("runs", "--limit", "0");
        assertThat(outOfBounds.exit()).isEqualTo(1);
        assertThat(outOfBounds.err().lines().filter(l -> l.contains("limit: 0"))).hasSize(1);
    }

    @Test
    void shouldExit2WithUsageOnAUsageError() {
        // Given / When / Then
        CliRun notANumber = skiff("runs", "--limit", "many");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).contains("--limit").contains("many").contains("Usage: skiff runs");
        assertThat(skiff("run").exit()).isEqualTo(2);
        assertThat(skiff("frobnicate").exit()).isEqualTo(2);
        assertThat(skiff("run", "hello", "-p", "no-equals-sign").exit()).isEqualTo(2);
    }

    private void awaitStatus(String runId, String expected) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        String last = "";
        while (Instant.now().isBefore(giveUp)) {
            last = given().get("/runs/{id}", runId).then().statusCode(200).extract().path("status");
            if (expected.equals(last)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " is " + last + ", expected " + expected);
    }
}
