package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Backfills with API keys: a team backfills and cancels only its own jobs' backfills, and reads every team's. */
@QuarkusTest
@TestProfile(TeamAccessProfile.class)
class BackfillTeamAccessApiTest {

    private static final String PROBLEM = "application/problem+json";

    private static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    @Test
    void shouldLetOnlyTheOwningTeamBackfillAndCancelWhenAnotherTeamTries() {
        // Given a daily job of team analytics
        as(TeamAccessProfile.ANALYTICS_KEY).contentType("application/json").body("""
                {"name": "analytics-daily", "owner": "analytics", "image": "example/daily:1", "command": ["true"],
                 "triggers": {"schedules": [{"cron": "0 4 * * *", "timezone": "UTC"}]}}""")
                .put("/jobs/analytics-daily").then().statusCode(201);
        LocalDate from = LocalDate.now(ZoneOffset.UTC).minusDays(30);
        String body = "{\"from\": \"" + from + "\", \"to\": \"" + from.plusDays(2) + "\"}";

        // When billing, nobody, then analytics ask for a backfill of it
        as(TeamAccessProfile.BILLING_KEY).contentType(ContentType.JSON).body(body).post("/jobs/analytics-daily/backfill")
                .then().statusCode(403).contentType(PROBLEM)
                .body("detail", equalTo("team billing may not run job analytics-daily: it belongs to team analytics"));
        given().contentType(ContentType.JSON).body(body).post("/jobs/analytics-daily/backfill").then().statusCode(401);
        String id = as(TeamAccessProfile.ANALYTICS_KEY).contentType(ContentType.JSON).body(body)
                .post("/jobs/analytics-daily/backfill").then().statusCode(201).extract().path("id");

        // Then billing reads it but may not cancel it; analytics may
        as(TeamAccessProfile.BILLING_KEY).get("/backfills/" + id).then().statusCode(200).body("planned", equalTo(2));
        as(TeamAccessProfile.BILLING_KEY).post("/backfills/" + id + "/cancel").then().statusCode(403).contentType(PROBLEM);
        as(TeamAccessProfile.ANALYTICS_KEY).post("/backfills/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
    }
}
