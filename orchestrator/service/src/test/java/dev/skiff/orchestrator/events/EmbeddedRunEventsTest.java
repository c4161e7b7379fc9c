package dev.skiff.orchestrator.events;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.skiff.orchestrator.api.RunsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Run events in embedded mode: every run's start and end is published through Skiff's own intake, so a chain of jobs
 * (extract, then transform after it, then load after that) runs on run events alone, each upstream end starting one
 * downstream run, with the upstream run's parameters.
 */
@QuarkusTest
@TestProfile(RunEventsProfile.class)
class EmbeddedRunEventsTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void shouldRunAChainOfThreeJobsOnRunEventsAloneEachOnceWithTheUpstreamDate() throws Exception {
        // Given extract; transform after extract (its DATE by name); load after transform (its DAY from DATE);
        // and alert after extract FAILED, which must not run
        put("extract", """
                parameters: {DATE: {required: true}}
                command: ["sh", "-c", "echo extract $DATE"]
                """);
        put("transform", """
                parameters: {DATE: {required: true}}
                command: ["sh", "-c", "echo transform $DATE"]
                triggers: {after: [{job: extract}]}
                """);
        put("load", """
                parameters: {DAY: {required: true}}
                command: ["sh", "-c", "echo load $DAY"]
                triggers: {after: [{job: transform, parameters: {DAY: $.detail.parameters.DATE}}]}
                """);
        put("alert", """
                command: ["true"]
                triggers: {after: [{job: extract, status: [FAILED, TIMED_OUT]}]}
                """);

        // When extract runs through the API
        String extract = given().contentType(ContentType.JSON).body("{\"parameters\": {\"DATE\": \"2026-12-01\"}}")
                .post("/jobs/extract/runs").then().statusCode(201).extract().path("runId");

        // Then load runs once, after transform ran once, each with the date, and alert never runs
        String load = awaitOneRun("load");
        assertThat(awaitEnd(load)).isEqualTo("SUCCEEDED");
        given().get("/runs/" + load).then().body("parameters.DAY", equalTo("2026-12-01")).body("trigger", equalTo("event"));
        given().get("/runs/" + load + "/log").then().body(containsString("load 2026-12-01"));
        given().get("/runs?job=transform").then().body("$", hasSize(1))
                .body("[0].parameters.DATE", equalTo("2026-12-01")).body("[0].status", equalTo("SUCCEEDED"));
        assertThat(awaitEnd(extract)).isEqualTo("SUCCEEDED");
        given().get("/runs?job=alert").then().body("$", hasSize(0));

        // And the same upstream event delivered again starts nothing more: the follower's run id comes from it
        String again = """
                {"version": "0", "id": "elsewhere-1", "source": "skiff.runs", "detail-type": "Run Succeeded",
                 "time": "2026-12-01T00:00:00Z", "resources": [],
                 "detail": {"skiffEventId": "%s/SUCCEEDED", "job": "extract", "runId": "%s",
                            "parameters": {"DATE": "2026-12-01"}}}""".formatted(extract, extract);
        given().contentType(ContentType.JSON).body(again).post("/events").then().statusCode(202)
                .body("eventId", equalTo(extract + "/SUCCEEDED"))
                .body("runs[0].job", equalTo("transform"))
                .body("runs[0].created", equalTo(false));
        given().get("/runs?job=transform").then().body("$", hasSize(1));
    }

    @Test
    void shouldAnnounceAMissedDeadlineWhileTheRunStillRunsToAJobThatWatchesForIt() throws Exception {
        // Given a job fired every 5 s whose run must succeed within 2 s of its fire, but runs 6 s; and a job started
        // by any missed deadline, with the late run's id
        // (concurrency allow: every fire starts its run, so none is missed for never having started)
        put("slow", """
                command: ["sleep", "6"]
                triggers: {schedules: [{cron: "0/5 * * * * ?", deadline: 2s, concurrency: allow}]}
                """);
        put("page-oncall", """
                parameters: {LATE_RUN: {required: true}, LATE_STATUS: {required: true}}
                command: ["sh", "-c", "echo paging for $LATE_RUN, $LATE_STATUS at its deadline"]
                triggers:
                  events:
                    - pattern: {source: [skiff.runs], detail-type: [Run Deadline Missed], detail: {job: [slow]}}
                      parameters: {LATE_RUN: $.detail.runId, LATE_STATUS: $.detail.status}
                """);

        // When a fire's deadline passes while its run still runs
        String page = awaitOneRun("page-oncall", Duration.ofSeconds(20));

        // Then the deadline event started page-oncall with the late run, which was still running at its deadline
        String late = given().get("/runs/" + page).then().extract().path("parameters.LATE_RUN");
        assertThat(late).startsWith("slow-c-");
        given().get("/runs/" + page).then().body("parameters.LATE_STATUS", equalTo("RUNNING"));
        assertThat(awaitEnd(page)).isEqualTo("SUCCEEDED");
        String lateStatus = given().get("/runs/" + late).then().statusCode(200).extract().path("status");
        assertThat(lateStatus).as("the late run, a moment after its deadline").isIn("RUNNING", "SUCCEEDED");
        given().delete("/jobs/slow").then().statusCode(204);
    }

    @Test
    void shouldShowAJobsWebhookChannelsWithoutTheirPathOrToken() {
        put("told", """
                command: ["true"]
                notify: {failed: ["https://hooks.example.com/services/T0/B0/SECRET?token=abc", log]}
                """);
        given().get("/jobs/told").then().statusCode(200)
                .body("spec.notifications.channels.FAILED.target", equalTo(List.of("https://hooks.example.com/…", "log")))
                .body(org.hamcrest.Matchers.not(containsString("SECRET")));
    }

    @Test
    void shouldRefuseAJobThatClosesACycleOfFollowersAndWarnOfAnUnknownUpstream() {
        // Given ping, which follows pong (not registered yet: a warning, not an error)
        put("ping", "command: [\"true\"]\ntriggers: {after: [{job: pong}]}\n");
        given().get("/jobs/ping").then().statusCode(200)
                .body("warnings", equalTo(List.of("triggers.after: job pong is not registered; this job follows it once it is")));

        // When pong would follow ping, Then it is refused with the cycle named, and nothing is written
        yaml().body(spec("pong", "command: [\"true\"]\ntriggers: {after: [{job: ping}]}\n"))
                .put("/jobs/pong").then().statusCode(422).contentType(PROBLEM)
                .body("problems", hasItem("pong: triggers.after: closes a cycle: pong runs after ping, ping runs after pong"
                        + " (each end would start the next run, for ever)"));
        given().get("/jobs/pong").then().statusCode(404);
    }

    private static RequestSpecification yaml() {
        return given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .encodeContentTypeAs("application/yaml", ContentType.TEXT))).contentType("application/yaml");
    }

    private static void put(String name, String rest) {
        yaml().body(spec(name, rest)).put("/jobs/" + name).then().statusCode(201);
    }

    private static String spec(String name, String rest) {
        return "name: " + name + "\nowner: team-a\nimage: example/job:1\n" + rest;
    }

    private static String awaitOneRun(String job) throws InterruptedException {
        return awaitOneRun(job, Duration.ofSeconds(30));
    }

    private static String awaitOneRun(String job, Duration within) throws InterruptedException {
        Instant giveUp = Instant.now().plus(within);
        while (Instant.now().isBefore(giveUp)) {
            List<Map<String, Object>> runs = given().get("/runs?job=" + job).then().statusCode(200).extract().path("$");
            if (!runs.isEmpty()) {
                assertThat(runs).as("runs of " + job).hasSize(1);
                return (String) runs.get(0).get("runId");
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no run of " + job + " started within " + within);
    }

    private static String awaitEnd(String runId) throws InterruptedException {
        return RunsApi.awaitEnd(runId);
    }
}
