package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /jobs/{name}/cost and GET /cost in embedded mode with API keys: what a team sees, and what is refused. */
@QuarkusTest
@TestProfile(TeamAccessProfile.class)
class CostApiTest {

    private static final String PROBLEM = "application/problem+json";

    private static RequestSpecification analytics() {
        return given().header("Authorization", "Bearer " + TeamAccessProfile.ANALYTICS_KEY);
    }

    private static RequestSpecification billing() {
        return given().header("Authorization", "Bearer " + TeamAccessProfile.BILLING_KEY);
    }

    /** A job of analytics that ends at once, run once to its end. */
    private static void quickJobRanOnce(String name) throws InterruptedException {
        analytics().contentType("application/json").body("{\"name\": \"" + name + "\", \"owner\": \"analytics\","
                + " \"image\": \"example/quick:1\", \"command\": [\"true\"]}").put("/jobs/" + name)
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
        String runId = analytics().contentType("application/json").body("{}").post("/jobs/" + name + "/runs")
                .then().statusCode(201).extract().path("runId");
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        String status = "PENDING";
        while (Instant.now().isBefore(giveUp) && Map.of("PENDING", 1, "RUNNING", 1, "RETRY_WAIT", 1).containsKey(status)) {
            Thread.sleep(50);
            status = analytics().get("/runs/" + runId).then().statusCode(200).extract().path("status");
        }
        assertThat(status).isEqualTo("SUCCEEDED");
    }

    @Test
    void shouldReportLocalRunOfOwnJobAsFreeAndWithoutSpot() throws InterruptedException {
        // Given a run of an analytics job that ran as a local process
        quickJobRanOnce("cost-quick");

        // When analytics asks for its cost over the last day
        var answer = analytics().get("/jobs/cost-quick/cost?since=24h").then().statusCode(200);

        // Then the run and its attempt are counted, and cost nothing
        answer.body("job", equalTo("cost-quick"))
                .body("runs", equalTo(1)).body("attempts", equalTo(1))
                .body("dollars", equalTo(0.0f)).body("onDemandDollars", equalTo(0.0f))
                .body("savedDollars", equalTo(0.0f)).body("spotShare", equalTo(0.0f))
                .body("fallbacks", equalTo(0)).body("interruptions", equalTo(0))
                .body("since", notNullValue()).body("until", notNullValue())
                .body("jobs", nullValue()).body("owner", nullValue()).body("truncated", nullValue());
        Instant since = Instant.parse(answer.extract().path("since"));
        Instant until = Instant.parse(answer.extract().path("until"));
        assertThat(Duration.between(since, until)).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void shouldShowTeamOnlyItsOwnJobsCost() throws InterruptedException {
        // Given a run of an analytics job
        quickJobRanOnce("cost-listed");

        // When / Then: analytics sees its own jobs, filtered by its team whether it names it or not
        analytics().get("/cost").then().statusCode(200)
                .body("owner", equalTo("analytics")).body("job", nullValue())
                .body("jobs.job", hasItem("cost-listed"))
                .body("jobs.owner", everyItem(equalTo("analytics")));
        analytics().get("/cost?owner=analytics&since=7d").then().statusCode(200).body("jobs.job", hasItem("cost-listed"));
        // billing sees none of analytics' jobs, nor their total
        billing().get("/cost").then().statusCode(200)
                .body("owner", equalTo("billing")).body("jobs.job", not(hasItem("cost-listed")));
    }

    @Test
    void shouldAnswer403WhenTeamAsksForAnotherTeamsCost() throws InterruptedException {
        // Given
        quickJobRanOnce("cost-private");

        // When / Then: as other job endpoints answer another team's job, and an owner that is not the caller's
        billing().get("/jobs/cost-private/cost").then().statusCode(403).contentType(PROBLEM)
                .body("detail", equalTo("team billing may not see the cost of job cost-private: it belongs to team analytics"));
        billing().get("/cost?owner=analytics").then().statusCode(403).contentType(PROBLEM)
                .body("detail", equalTo("team billing may not see the cost of team analytics's jobs: a team sees only its own"));
        billing().get("/jobs/no-such-job/cost").then().statusCode(404).contentType(PROBLEM);
        given().get("/cost").then().statusCode(401);
    }

    @Test
    void shouldAnswer400NamingParameterValueAndRuleWhenPeriodIsBad() {
        // Given / When / Then
        analytics().get("/cost?since=yesterday").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("since: yesterday must be an ISO-8601 instant such as 2026-11-06T00:00:00Z,"
                        + " or a duration back from until such as 7d, 24h or 90m"));
        analytics().get("/jobs/analytics-etl/cost?until=soon").then().statusCode(400).contentType(PROBLEM)
                .body("detail", equalTo("until: soon must be an ISO-8601 instant such as 2026-11-06T00:00:00Z"));
        analytics().get("/cost?since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z").then().statusCode(400)
                .contentType(PROBLEM)
                .body("detail", equalTo("since: 2026-12-02T00:00:00Z is after until 2026-12-01T00:00:00Z:"
                        + " the period must start before it ends"));
        analytics().get("/cost?since=401d").then().statusCode(400).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.endsWith(": a cost report covers at most 400 days"));
        analytics().get("/cost?since=99999999999999999999d").then().statusCode(400).contentType(PROBLEM);
        analytics().queryParam("since", "2026-11-01T00:00:00+02:00").queryParam("until", "2026-12-01T00:00:00Z")
                .get("/cost").then().statusCode(200)
                .body("since", equalTo("2026-10-31T22:00:00Z"));
    }

    @Test
    void shouldDescribeBothEndpointsInOpenApi() {
        // Given / When / Then
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/jobs/{name}/cost'.get.summary", notNullValue())
                .body("paths.'/cost'.get.parameters.name", contains("owner", "since", "until"));
    }
}
