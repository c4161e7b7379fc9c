package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.time.Instant;

/** Waiting on runs through the HTTP API, as a client would. */
public final class RunsApi {

    private RunsApi() {
    }

    /** Polls {@code GET /runs/{id}} until the run ended; its final status. */
    public static String awaitEnd(String runId) throws InterruptedException {
        Instant giveUp = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(giveUp)) {
            String status = given().get("/runs/" + runId).then().statusCode(200).extract().path("status");
            if (!status.equals("PENDING") && !status.equals("RUNNING") && !status.equals("RETRY_WAIT")) {
                return status;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " did not end within 30 s");
    }
}
