package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** POST /jobs/{name}/backfill and /backfills/{id} on the embedded default, with real local processes. */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class BackfillApiTest {

    private static final String PROBLEM = "application/problem+json";
    /** Days far enough back that no other test's cron run is among them. */
    private static final LocalDate FROM = LocalDate.now(ZoneOffset.UTC).minusDays(400);

    private static ValidatableResponse post(String job, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/jobs/" + job + "/backfill").then();
    }

    private static String range(int days) {
        return "\"from\": \"" + FROM + "\", \"to\": \"" + FROM.plusDays(days) + "\"";
    }

    @Test
    void shouldRunEachFireOnceAndAnswerTheSameBackfillWhenAskedTwice() throws InterruptedException {
        // Given a daily job (02:30 Berlin time)
        String body = "{" + range(3) + ", \"maxConcurrency\": 2}";

        // When a backfill of three days is asked for, twice
        String id = post("nightly", body).statusCode(201).header("Location", containsString("/backfills/"))
                .body("planned", equalTo(3)).body("job", equalTo("nightly")).body("maxConcurrency", equalTo(2))
                .body("runs", hasSize(3)).body("runs[0].runId", startsWith("nightly-c-"))
                .extract().path("id");
        post("nightly", body).statusCode(200).body("id", equalTo(id));

        // Then it ends with its three runs succeeded, and the job lists it
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        String state = "RUNNING";
        while (state.equals("RUNNING") && Instant.now().isBefore(giveUp)) {
            Thread.sleep(200);
            state = given().get("/backfills/" + id).then().statusCode(200).extract().path("state");
        }
        given().get("/backfills/" + id).then().body("state", equalTo("SUCCEEDED")).body("succeeded", equalTo(3))
                .body("started", equalTo(3)).body("runs.status", hasItem("SUCCEEDED"));
        given().get("/jobs/nightly/backfills").then().statusCode(200).body("id", hasItem(id));
        // And cancelling it afterwards only marks it
        given().post("/backfills/" + id + "/cancel").then().statusCode(200).body("state", equalTo("CANCELLED"))
                .body("succeeded", equalTo(3));
    }

    @Test
    void shouldAnswer422NamingTheFieldWhenTheRequestCannotBeCarriedOut() {
        post("nightly", "{\"from\": \"2026-13-01\", \"to\": \"someday\"}").statusCode(422).contentType(PROBLEM)
                .body("problems", hasItem(startsWith("from: '2026-13-01' is neither a date")))
                .body("problems", hasItem(startsWith("to: 'someday' is neither a date")));
        post("nightly", "{\"from\": \"" + FROM.plusDays(2) + "\", \"to\": \"" + FROM + "\"}").statusCode(422)
                .body("problems[0]", containsString("must be after from"));
        post("nightly", "{\"from\": \"" + FROM.minusYears(4) + "\", \"to\": \"" + FROM + "\"}").statusCode(422)
                .body("problems[0]", containsString("holds 14")).body("problems[0]", containsString("at most 1000"));
        post("nightly", "{" + range(3) + ", \"schedule\": 3}").statusCode(422)
                .body("problems[0]", equalTo("schedule: 3 is not a schedule of job nightly (it has 1 schedule, index 0)"));
        post("nightly", "{" + range(3) + ", \"maxConcurrency\": 41}").statusCode(422)
                .body("problems[0]", equalTo("maxConcurrency: 41 is out of range: from 1 to 40"));
        post("nightly", "{" + range(3) + ", \"maxConcurrency\": 0, \"onlyMissing\": false}").statusCode(422)
                .body("problems", hasItem(startsWith("onlyMissing: false is not supported")))
                .body("problems", hasItem(startsWith("maxConcurrency: 0 is out of range")));
        post("greet", "{" + range(3) + "}").statusCode(422)
                .body("problems[0]", startsWith("schedule: job greet has no schedules"));
        post("nightly", "{\"from\": \"2030-01-01\", \"to\": \"2030-02-01\"}").statusCode(422)
                .body("problems[0]", containsString("holds no fire"));
        post("nightly", "{\"to\": \"2026-01-01\"}").statusCode(422)
                .body("problems[0]", startsWith("from: required"));
    }

    @Test
    void shouldAnswer4xxProblemsWhenTheBodyOrPathIsWrong() {
        post("nightly", "{" + range(3) + ", \"maxConcurrency\": \"three\", \"schedule\": 1e10}").statusCode(422)
                .contentType(PROBLEM)
                .body("problems", hasItem("maxConcurrency: must be a whole number, not text"))
                .body("problems", hasItem(startsWith("schedule: must be a whole number, not 1")));
        post("nightly", "{" + range(3) + ", \"speed\": 3}").statusCode(400).contentType(PROBLEM)
                .body("detail", startsWith("speed: not a known field"));
        post("nightly", "[1, 2]").statusCode(400).contentType(PROBLEM);
        post("nightly", "{\"from\": ").statusCode(400).contentType(PROBLEM).body("detail", startsWith("the body is not JSON"));
        given().contentType(ContentType.JSON).post("/jobs/nightly/backfill").then().statusCode(400).contentType(PROBLEM);
        post("no-such-job", "{" + range(3) + "}").statusCode(404).contentType(PROBLEM);
        given().get("/backfills/nope").then().statusCode(404).contentType(PROBLEM)
                .body("detail", equalTo("no backfill with id 'nope'"));
        given().post("/backfills/nope/cancel").then().statusCode(404).contentType(PROBLEM);
        given().get("/jobs/no-such-job/backfills").then().statusCode(200).body("", hasSize(0));
        // The job's own routes still answer beside the backfill ones
        given().get("/jobs/nightly").then().statusCode(200).body("name", equalTo("nightly"));
        given().get("/jobs").then().statusCode(200).body("jobs.name", hasItem("nightly"));
        given().get("/jobs/nightly/backfills").then().statusCode(200).contentType(ContentType.JSON);
    }
}
