package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PUT and DELETE /jobs/{name} on the directory registry, with API keys: who may read, apply, run, cancel and delete. */
@QuarkusTest
@TestProfile(TeamAccessProfile.class)
class TeamAccessApiTest {

    @TestHTTPResource("/")
    URI base;

    private static final String PROBLEM = "application/problem+json";
    private static final String YAML = "application/yaml";

    /** A request that sends YAML bodies as text. */
    private static RequestSpecification anonymous() {
        return given().config(RestAssured.config().encoderConfig(
                EncoderConfig.encoderConfig().encodeContentTypeAs(YAML, ContentType.TEXT)));
    }

    private static RequestSpecification as(String key) {
        return anonymous().header("Authorization", "Bearer " + key);
    }

    private static RequestSpecification analytics() {
        return as(TeamAccessProfile.ANALYTICS_KEY);
    }

    private static RequestSpecification billing() {
        return as(TeamAccessProfile.BILLING_KEY);
    }

    @Test
    void shouldAnswer401WithABearerChallengeWhenTheTokenIsMissingOrUnknown() {
        // Given / When / Then
        given().get("/jobs").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", containsString("bearer token"));
        as("not-a-key").get("/jobs/analytics-etl").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", equalTo("the bearer token is not a known API key"));
        anonymous().contentType(YAML).body(TeamAccessProfile.spec("sneaky", "analytics", "x/y:1"))
                .put("/jobs/sneaky").then().statusCode(401);
    }

    @Test
    void shouldAskALogFollowerForItsTokenAndCountEachTeamsFollowersApart() throws Exception {
        // Given a running attempt of analytics' job, and a limit of one follower per team (TeamAccessProfile)
        String runId = analytics().contentType("application/json").body("{}").post("/jobs/analytics-etl/runs")
                .then().statusCode(201).extract().path("runId");
        Instant giveUp = Instant.now().plusSeconds(20);
        while (analytics().get("/runs/" + runId + "/log").statusCode() != 200) {
            assertThat(Instant.now()).isBefore(giveUp);
            Thread.sleep(20);
        }
        URI follow = base.resolve("/runs/" + runId + "/log?follow=true");

        // When followers come without a token, and from each team
        try (SseClient nobody = SseClient.open(follow, Map.of());
             SseClient first = SseClient.open(follow, bearer(TeamAccessProfile.ANALYTICS_KEY));
             SseClient second = SseClient.open(follow, bearer(TeamAccessProfile.ANALYTICS_KEY));
             SseClient other = SseClient.open(follow, bearer(TeamAccessProfile.BILLING_KEY))) {
            // Then the one without a token is refused as on every call, and each team has its own limit
            assertThat(nobody.response().statusCode()).isEqualTo(401);
            assertThat(first.response().statusCode()).isEqualTo(200);
            assertThat(second.response().statusCode()).isEqualTo(429);
            assertThat(second.body()).contains("team analytics follows 1 logs already")
                    .contains("skiff.logs.max-followers-per-team");
            assertThat(other.response().statusCode()).isEqualTo(200);
        }
        analytics().post("/runs/" + runId + "/cancel").then().statusCode(202);
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    @Test
    void shouldServeHealthAndTheOpenApiDocumentWithoutATokenWhenKeysAreRequired() {
        // Given / When / Then
        given().get("/q/health").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/jobs/{name}/runs"));
        given().get("/q/openapi.json").then().statusCode(200).body(containsString("/jobs/{name}/runs"));
    }

    @Test
    void shouldLetEveryTeamReadEveryJobWhenAuthenticated() {
        // Given / When / Then
        billing().get("/jobs").then().statusCode(200).body("jobs.name", hasItems("analytics-etl", "invoices"));
        billing().get("/jobs/analytics-etl").then().statusCode(200).body("spec.owner", equalTo("analytics"));
    }

    @Test
    void shouldCreateThenUpdateAJobWhenItsTeamPutsItsSpec() throws IOException {
        // Given a new job of team analytics
        String spec = TeamAccessProfile.spec("fresh-load", "analytics", "example/fresh:1");

        // When analytics puts it, then puts a new version as JSON
        analytics().contentType(YAML).body(spec).put("/jobs/fresh-load").then().statusCode(201)
                .header("Location", containsString("/jobs/fresh-load"))
                .body("name", equalTo("fresh-load"))
                .body("spec.image", equalTo("example/fresh:1"));
        analytics().contentType("application/json")
                .body("{\"name\": \"fresh-load\", \"owner\": \"analytics\", \"image\": \"example/fresh:2\", \"command\": [\"true\"]}")
                .put("/jobs/fresh-load").then().statusCode(200)
                .body("spec.image", equalTo("example/fresh:2"));

        // Then the registry holds its file, and every team reads the new version
        assertThat(Files.readString(TeamAccessProfile.jobs.resolve("fresh-load.yaml"))).contains("example/fresh:2");
        billing().get("/jobs").then().body("jobs.name", hasItem("fresh-load"));
        billing().get("/jobs/fresh-load").then().statusCode(200).body("spec.image", equalTo("example/fresh:2"));
    }

    @Test
    void shouldAnswer422WithEveryProblemWhenTheSpecIsInvalidOrNamesAnotherJob() {
        // Given / When / Then
        analytics().contentType(YAML).body("""
                name: bad-one
                owner: analytics
                image: example/bad:1
                command: ["true"]
                timeout: 3 hours
                resources: {cpu: 1024, memory: 16384}
                """).put("/jobs/bad-one").then().statusCode(422).contentType(PROBLEM)
                .body("problems", hasItem(containsString("timeout: 3 hours")))
                .body("problems", hasItem(containsString("resources.memory: 16384 is not valid with cpu 1024")));
        analytics().contentType(YAML).body(TeamAccessProfile.spec("other-name", "analytics", "x/y:1"))
                .put("/jobs/this-name").then().statusCode(422).contentType(PROBLEM)
                .body("problems[0]", containsString("name: other-name must equal the job name in the path, this-name"));
        analytics().get("/jobs/bad-one").then().statusCode(404);
    }

    @Test
    void shouldAnswer403WhenATeamAppliesRunsCancelsOrDeletesAnotherTeamsJob() {
        // Given the billing team's job invoices, and a run of it
        String runId = billing().contentType("application/json").body("{}").post("/jobs/invoices/runs")
                .then().statusCode(201).extract().path("runId");

        // When / Then team analytics may not change, run, pause, cancel or delete it
        analytics().contentType(YAML).body(TeamAccessProfile.spec("invoices", "analytics", "x/taken:1"))
                .put("/jobs/invoices").then().statusCode(403).contentType(PROBLEM)
                .body("detail", equalTo("team analytics may not replace job invoices: it belongs to team billing"));
        analytics().contentType(YAML).body(TeamAccessProfile.spec("for-billing", "billing", "x/y:1"))
                .put("/jobs/for-billing").then().statusCode(403);
        analytics().contentType("application/json").body("{}").post("/jobs/invoices/runs").then().statusCode(403);
        analytics().post("/runs/" + runId + "/cancel").then().statusCode(403).contentType(PROBLEM);
        analytics().delete("/jobs/invoices").then().statusCode(403);

        // And the owner may cancel its own run; the job is unchanged
        billing().post("/runs/" + runId + "/cancel").then().statusCode(202);
        billing().get("/jobs/invoices").then().statusCode(200).body("spec.image", equalTo("example/invoices:1"));
    }

    @Test
    void shouldRemoveTheJobAndItsFileWhenItsTeamDeletesIt() throws IOException {
        // Given a job analytics applied
        analytics().contentType(YAML).body(TeamAccessProfile.spec("short-lived", "analytics", "example/s:1"))
                .put("/jobs/short-lived").then().statusCode(201);

        // When analytics deletes it
        analytics().delete("/jobs/short-lived").then().statusCode(204);

        // Then it is gone from the registry and the API, and deleting again is a 404
        assertThat(TeamAccessProfile.jobs.resolve("short-lived.yaml")).doesNotExist();
        billing().get("/jobs/short-lived").then().statusCode(404);
        analytics().delete("/jobs/short-lived").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void shouldAnswer403AndStartNothingWhenATeamPostsAnEventFromAReservedSource() {
        // Given Skiff's own webhook event naming billing's job, and an S3 event billing's job listens to
        String webhook = """
                {"source": "skiff.trigger", "detail-type": "Webhook Run Requested",
                 "detail": {"job": "invoices", "parameters": {}}}""";
        String upload = """
                {"source": "aws.s3", "detail-type": "Object Created", "detail": {"bucket": {"name": "b"}}}""";

        // When / Then team analytics posts them through the API: refused, naming the rule
        analytics().contentType("application/json").body(webhook).post("/events").then().statusCode(403)
                .contentType(PROBLEM)
                .body("detail", containsString("source: skiff.trigger"))
                .body("detail", containsString("aws. or skiff."))
                .body("detail", containsString("intake queue"));
        analytics().contentType("application/json").body(upload).post("/events").then().statusCode(403)
                .contentType(PROBLEM).body("detail", containsString("source: aws.s3"));

        // And neither job got a run
        billing().get("/runs?job=invoices").then().statusCode(200).body("findAll { it.trigger == 'event' }", hasSize(0));
        billing().get("/runs?job=billing-on-upload").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldRefuseTheWholeBatchNamingTheEntryWhenOneEntryHasAReservedSource() {
        // Given a PutEvents batch whose second entry claims to come from S3
        String batch = """
                {"Entries": [
                  {"Source": "shared.reports", "DetailType": "Report Ready", "Detail": "{}"},
                  {"Source": "aws.s3", "DetailType": "Object Created", "Detail": "{}"}]}""";

        // When / Then
        analytics().contentType("application/json").body(batch).post("/events").then().statusCode(403)
                .contentType(PROBLEM)
                .body("detail", containsString("Entries[1].Source: aws.s3"))
                .body("detail", not(containsString("Entries[0]")));

        // And the first entry started nothing either
        analytics().get("/runs?job=analytics-on-report").then().statusCode(200).body("$", hasSize(0));
        billing().get("/runs?job=billing-on-upload").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void shouldStartOnlyTheCallersOwnJobsWhenATeamPostsACustomEvent() {
        // Given jobs of analytics and of billing that both listen to source shared.reports
        String report = """
                {"source": "shared.reports", "detail-type": "Report Ready", "detail": {"day": "2026-12-01"}}""";

        // When billing posts such an event
        billing().contentType("application/json").body(report).post("/events").then().statusCode(202)
                .body("runs.job", contains("billing-on-report"));

        // Then only billing's job ran; analytics' job did not
        analytics().get("/runs?job=analytics-on-report").then().statusCode(200).body("$", hasSize(0));
        billing().get("/runs?job=billing-on-report").then().statusCode(200).body("$", hasSize(1));
    }
}
