package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code skiff.auth.mode=none} (the embedded default), the service answers only requests addressed to this
 * machine and refuses state-changing requests a web page of another origin sends: a page the developer opens must
 * not reach the API through DNS rebinding or a cross-site form and run commands as the developer's user.
 */
@QuarkusTest
@QuarkusTestResource(TempDataDir.class)
class LoopbackOnlyTest {

    private static final String PROBLEM = "application/problem+json";
    private static final Path JOBS = Path.of("src/test/resources/jobs");
    private static final String SPEC = """
            {"name": "rebound", "owner": "attacker", "image": "example/x:1", "command": ["sh", "-c", "echo owned"]}""";

    /** A request that reaches the test port but names {@code host} in its Host header, as a rebound name does. */
    private static RequestSpecification addressedTo(String host) {
        return given().header("Host", host);
    }

    private static String port() {
        return String.valueOf(RestAssured.port);
    }

    @AfterEach
    void removeWhatARefusedRequestMightHaveWritten() throws IOException {
        Files.deleteIfExists(JOBS.resolve("rebound.yaml"));
    }

    @Test
    void shouldAnswer403AndWriteNothingWhenTheHostHeaderNamesAnotherMachine() {
        // Given / When a page on attacker.example, rebound to 127.0.0.1, puts a job and reads the jobs
        addressedTo("attacker.example:" + port()).contentType("application/json").body(SPEC)
                .put("/jobs/rebound").then().statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("Host: attacker.example:" + port()))
                .body("detail", containsString("skiff.auth.mode=none"))
                .body("detail", containsString("localhost, 127.x.x.x or [::1]"));
        addressedTo("attacker.example").get("/jobs").then().statusCode(403).contentType(PROBLEM);
        addressedTo("localhost.attacker.example").get("/q/health").then().statusCode(403).contentType(PROBLEM);
        addressedTo("attacker.example").get("/q/openapi.json").then().statusCode(403).contentType(PROBLEM);
        addressedTo("127.0.0.1.nip.io:" + port()).get("/runs").then().statusCode(403);

        // Then no job was written
        assertThat(JOBS.resolve("rebound.yaml")).doesNotExist();
        given().get("/jobs/rebound").then().statusCode(404);
    }

    @Test
    void shouldServeEveryLoopbackNameWithOrWithoutThePort() {
        // Given / When / Then
        for (String host : new String[] {"localhost", "localhost:" + port(), "LOCALHOST:" + port(), "127.0.0.1",
                "127.0.0.1:" + port(), "[::1]", "[::1]:" + port()}) {
            addressedTo(host).get("/jobs").then().statusCode(200);
        }
    }

    @Test
    void shouldAnswer403WhenAStateChangingRequestComesFromAnotherOrigin() {
        // Given / When / Then a page of another site posts to the right host
        given().header("Origin", "https://attacker.example").contentType("application/json")
                .body("{\"parameters\": {\"WHO\": \"x\"}}").post("/jobs/greet/runs").then().statusCode(403)
                .contentType(PROBLEM)
                .body("detail", containsString("Origin: https://attacker.example"));
        given().header("Origin", "null").contentType("application/json").body(SPEC)
                .put("/jobs/rebound").then().statusCode(403).contentType(PROBLEM);
        given().header("Sec-Fetch-Site", "cross-site").delete("/jobs/rebound").then().statusCode(403)
                .contentType(PROBLEM).body("detail", containsString("Sec-Fetch-Site: cross-site"));
        given().header("Origin", "http://localhost.attacker.example").post("/q/health").then().statusCode(403)
                .contentType(PROBLEM);
        assertThat(JOBS.resolve("rebound.yaml")).doesNotExist();
    }

    @Test
    void shouldServeRequestsFromLoopbackOriginsAndReadsFromAnyOrigin() {
        // Given / When / Then a local tool's page may write; another site's page may send a GET (it cannot read it)
        given().header("Origin", "http://localhost:3000").header("Sec-Fetch-Site", "same-site")
                .contentType("application/json").body(SPEC).put("/jobs/rebound").then().statusCode(201);
        given().header("Origin", "http://127.0.0.1:" + port()).header("Sec-Fetch-Site", "same-origin")
                .delete("/jobs/rebound").then().statusCode(204);
        given().header("Origin", "http://[::1]:8080").contentType("application/json")
                .body("{\"parameters\": {\"WHO\": \"x\"}}").post("/jobs/greet/runs").then().statusCode(201);
        given().header("Origin", "https://attacker.example").get("/jobs").then().statusCode(200);
    }

    @Test
    void shouldAnswer415WhenAStateChangingRequestHasABodyAFormCanSend() throws Exception {
        // Given / When a body a cross-site form or no-cors fetch sends without asking, with no Origin header
        var http = HttpClient.newHttpClient();
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "Text/Plain; charset=UTF-8"}) {
            var answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/jobs/greet/runs"))
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"parameters\": {\"WHO\": \"form\"}}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            // Then it is refused, saying what to send instead
            assertThat(answer.statusCode()).as(type).isEqualTo(415);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue(PROBLEM);
            assertThat(answer.body()).contains("Content-Type: " + type, "application/json");
        }

        // And no run of that body started
        given().get("/runs?job=greet").then().statusCode(200).body("parameters.WHO", not(hasItem("form")));

        // And a form posted to an endpoint that reads no body, such as pausing a schedule, changes nothing either
        var pause = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port()
                        + "/jobs/nightly/schedules/0/pause")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=b")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pause.statusCode()).isEqualTo(415);
        given().get("/jobs/nightly").then().body("schedules[0].paused", equalTo(false));
    }
}
