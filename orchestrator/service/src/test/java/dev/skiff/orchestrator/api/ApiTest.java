package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The HTTP API and its wiring, on the embedded default with real local processes. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class ApiTest {

    private static final String PROBLEM = "application/problem+json";

    private static String s3Event(String id, String bucket, String key) {
        return """
                {"version": "0", "id": "%s", "detail-type": "Object Created", "source": "aws.s3",
                 "account": "123456789012", "time": "2026-11-26T10:00:00Z", "region": "eu-west-1", "resources": [],
                 "detail": {"bucket": {"name": "%s"}, "object": {"key": "%s"}}}""".formatted(id, bucket, key);
    }

    private static String awaitEnd(String runId) throws InterruptedException {
        return RunsApi.awaitEnd(runId);
    }

    @Test
    void shouldListValidJobsAndExplainInvalidFiles() {
        given().get("/jobs").then().statusCode(200)
                .body("jobs.name", hasItem("greet"))
                .body("jobs.name", hasItem("on-upload"))
                .body("invalid[0].source", containsString("broken.yaml"))
                .body("invalid[0].problems[0]", containsString("resources.memory: 16384 is not valid with cpu 1024"));
    }

    @Test
    void shouldShowTheNextFireTimesOfAJob() {
        given().get("/jobs/nightly").then().statusCode(200)
                .body("schedules[0].timeZone", equalTo("Europe/Berlin"))
                .body("schedules[0].nextFires", hasSize(5))
                .body("spec.owner", equalTo("test-team"));
    }

    @Test
    void shouldPauseAndResumeASchedule() {
        given().post("/jobs/nightly/schedules/0/pause").then().statusCode(200)
                .body("schedules[0].paused", equalTo(true));
        given().get("/jobs/nightly").then().body("schedules[0].paused", equalTo(true));
        given().post("/jobs/nightly/schedules/0/resume").then().statusCode(200)
                .body("schedules[0].paused", equalTo(false));
        given().post("/jobs/nightly/schedules/7/pause").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("job nightly has no schedule 7 (it has 1 schedule, index 0)"));
    }

    @Test
    void shouldAnswer404AsProblemJsonForAnUnknownJob() {
        given().get("/jobs/nope").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no job named 'nope' is registered"));
        given().contentType(ContentType.JSON).body("{}").post("/jobs/nope/runs").then().statusCode(404);
    }

    @Test
    void shouldRunAJobWithItsParametersThroughTheApi() throws Exception {
        String runId = given().contentType(ContentType.JSON).body("{\"parameters\": {\"WHO\": \"world\"}}")
                .post("/jobs/greet/runs").then().statusCode(201)
                .header("Location", containsString("/runs/greet-m-"))
                .body("status", equalTo("PENDING"))
                .extract().path("runId");

        assertThat(awaitEnd(runId)).isEqualTo("SUCCEEDED");
        given().get("/runs/" + runId).then().statusCode(200)
                .body("parameters.WHO", equalTo("world"))
                .body("parameters.PUNCTUATION", equalTo("!"))
                .body("attempts[0].exitCode", equalTo(0))
                .body("attempts[0].log", notNullValue());
        given().get("/runs/" + runId + "/log").then().statusCode(200).body(containsString("hello world"));
    }

    @Test
    void shouldApplyAndRunAPipelineAndShowItsStepsInTheEmbeddedMode() throws Exception {
        // Given a pipeline in the job directory (src/test/resources/jobs/mini-etl.yaml), which the embedded mode loads:
        // first writes the items, each runs once per item, last runs after them
        given().get("/jobs").then().body("jobs.name", hasItem("mini-etl"));

        // When it runs
        String runId = given().contentType(ContentType.JSON).body("{}").post("/jobs/mini-etl/runs").then()
                .statusCode(201).extract().path("runId");

        // Then it succeeds, and GET /runs/{id} lists its steps with their attempts and the items' counts
        assertThat(awaitEnd(runId)).isEqualTo("SUCCEEDED");
        given().get("/runs/" + runId).then().statusCode(200)
                .body("steps.name", equalTo(java.util.List.of("first", "each", "last")))
                .body("steps.status", equalTo(java.util.List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED")))
                .body("steps[0].attempts", hasSize(1))
                .body("steps[1].items.total", equalTo(3))
                .body("steps[1].items.succeeded", equalTo(3))
                .body("steps[1].items.failed", equalTo(0))
                .body("steps.dependsOn", equalTo(java.util.List.of(java.util.List.of(), java.util.List.of("first"),
                        java.util.List.of("each"))))
                .body("steps.forEach", equalTo(java.util.List.of(false, true, false)))
                .body("attempts", hasSize(0));

        // And each item is listed with its value, status and attempts; a status filter and paging narrow the list
        given().get("/runs/" + runId + "/steps/each/items").then().statusCode(200)
                .body("index", equalTo(java.util.List.of(0, 1, 2)))
                .body("item", equalTo(java.util.List.of("a", "b", "c")))
                .body("status", equalTo(java.util.List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED")))
                .body("attempts[1][0].exitCode", equalTo(0));
        given().get("/runs/" + runId + "/steps/each/items?offset=1&limit=1").then().body("index", equalTo(java.util.List.of(1)));
        given().get("/runs/" + runId + "/steps/each/items?status=failed").then().body("$", hasSize(0));

        // And each step's log, and each item's, is readable by name
        given().get("/runs/" + runId + "/log?step=each&item=1").then().statusCode(200).body(equalTo("\"b\"\n"));
        given().get("/runs/" + runId + "/log?step=last&attempt=1").then().statusCode(200);
    }

    @Test
    void shouldAnswerAPipelineLogOrItemsRequestThatNamesNothingWithA4xxSayingWhatToName() throws Exception {
        String runId = given().contentType(ContentType.JSON).body("{}").post("/jobs/mini-etl/runs").then()
                .statusCode(201).extract().path("runId");
        assertThat(awaitEnd(runId)).isEqualTo("SUCCEEDED");

        given().get("/runs/" + runId + "/log").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("is a pipeline; name one of its steps (first, each, last)"));
        given().get("/runs/" + runId + "/log?step=each").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("item: step each runs once per item"));
        given().get("/runs/" + runId + "/log?step=first&item=0").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("item: step first runs once; it has no items"));
        given().get("/runs/" + runId + "/log?step=each&item=x").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("item: x is not a whole number of at least 0"));
        given().get("/runs/" + runId + "/log?step=each&item=7").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("step each item 7 of run " + runId + " has not started"));
        given().get("/runs/" + runId + "/log?step=first&attempt=0").then().statusCode(400).contentType(PROBLEM);
        given().get("/runs/" + runId + "/log?step=first&attempt=5").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("step first of run " + runId + " has no attempt 5"));
        given().get("/runs/" + runId + "/log?step=nope").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("run " + runId + " has no step nope (its steps: first, each, last)"));
        given().get("/runs/" + runId + "/steps/first/items").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("step first of run " + runId + " has no items: it runs once"));
        given().get("/runs/" + runId + "/steps/each/items?status=lost").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("status: lost is not an item status (one of RUNNING, SUCCEEDED, FAILED)"));
    }

    @Test
    void shouldAnswerAStepLogRequestForAOneStepRunOnlyForItsOneStep() throws Exception {
        String runId = given().contentType(ContentType.JSON).body("{\"parameters\": {\"WHO\": \"x\"}}")
                .post("/jobs/greet/runs").then().statusCode(201).extract().path("runId");
        assertThat(awaitEnd(runId)).isEqualTo("SUCCEEDED");

        given().get("/runs/" + runId + "/log?step=main").then().statusCode(200).body(containsString("hello x"));
        given().get("/runs/" + runId + "/log?step=other").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("has no step other: it runs one container"));
        given().get("/runs/" + runId + "/log?attempt=two").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("attempt: two is not a whole number of at least 1"));
        given().get("/runs/" + runId + "/steps/main/items").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void shouldRefuseARunWithoutARequiredParameter() {
        given().contentType(ContentType.JSON).body("{\"parameters\": {\"WHOM\": \"x\"}}")
                .post("/jobs/greet/runs").then().statusCode(422).contentType(PROBLEM)
                .body("problems", hasItem(containsString("parameters.WHOM: is not a declared parameter")))
                .body("problems", hasItem(containsString("parameters.WHO: is required")));
    }

    @Test
    void shouldStartOneRunPerIdempotencyKey() {
        String key = UUID.randomUUID().toString();
        String first = given().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"parameters\": {\"WHO\": \"a\"}}").post("/jobs/greet/runs")
                .then().statusCode(201).extract().path("runId");
        String second = given().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"parameters\": {\"WHO\": \"a\"}}").post("/jobs/greet/runs")
                .then().statusCode(200).extract().path("runId");

        assertThat(second).isEqualTo(first).startsWith("greet-k-");
    }

    @Test
    void shouldStartOneRunWhenTheSameEventArrivesTwice() throws Exception {
        String event = s3Event(UUID.randomUUID().toString(), "test-bucket", "in/a.csv");

        String runId = given().contentType(ContentType.JSON).body(event).post("/events").then().statusCode(202)
                .body("runs[0].job", equalTo("on-upload"))
                .body("runs[0].created", equalTo(true))
                .extract().path("runs[0].runId");
        given().contentType(ContentType.JSON).body(event).post("/events").then().statusCode(202)
                .body("runs[0].runId", equalTo(runId))
                .body("runs[0].created", equalTo(false));

        assertThat(awaitEnd(runId)).isEqualTo("SUCCEEDED");
        given().get("/runs/" + runId).then().body("parameters.KEY", equalTo("in/a.csv")).body("trigger", equalTo("event"));
    }

    @Test
    void shouldAcceptAnEventThatMatchesNoJobWithNoRuns() {
        // As EventBridge does: a relay that treats a 4xx as a failure would retry or dead-letter it.
        given().contentType(ContentType.JSON).body(s3Event("e-1", "other-bucket", "x")).post("/events")
                .then().statusCode(202).body("eventId", equalTo("e-1")).body("runs", hasSize(0));
    }

    @Test
    void shouldAnswer400ForAnEventThatIsNotJson() {
        given().contentType(ContentType.JSON).body("{not json").post("/events")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("not JSON"));
        given().contentType(ContentType.JSON).body("{\"detail\": {}}").post("/events")
                .then().statusCode(400).body("detail", equalTo("source: is required and must be a non-empty string"));
    }

    @Test
    void shouldAcceptAPutEventsBatch() {
        String batch = """
                {"Entries": [
                  {"Source": "aws.s3", "DetailType": "Object Created",
                   "Detail": "{\\"bucket\\": {\\"name\\": \\"test-bucket\\"}, \\"object\\": {\\"key\\": \\"b.csv\\"}}"},
                  {"Source": "billing", "DetailType": "Invoice", "Detail": "{}"},
                  {"Source": "aws.s3", "DetailType": "Object Created",
                   "Detail": "{\\"bucket\\": {\\"name\\": \\"test-bucket\\"}}"}]}""";

        // Then the unmatched entry is taken in with no run, as PutEvents takes it; only the entry whose run could
        // not start (its key is missing) counts as failed
        given().contentType(ContentType.JSON).body(batch).post("/events").then().statusCode(202)
                .body("failedEntryCount", equalTo(1))
                .body("entries[0].runs[0].job", equalTo("on-upload"))
                .body("entries[1].runs", hasSize(0))
                .body("entries[1].errors", hasSize(0))
                .body("entries[2].errors", hasSize(1));
    }

    @Test
    void shouldCancelAndRefuseUnknownRuns() {
        given().post("/runs/nope-k-0/cancel").then().statusCode(404).contentType(PROBLEM);
        given().get("/runs?status=BOGUS").then().statusCode(400).body("detail", containsString("is not a run status"));
    }

    @Test
    void shouldServeHealthMetricsAndOpenApi() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/jobs/{name}/runs"));
        given().get("/q/metrics").then().statusCode(200);
    }
}
