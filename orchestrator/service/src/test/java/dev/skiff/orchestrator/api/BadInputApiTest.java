package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.emptyOrNullString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Hostile and malformed requests get a 4xx application/problem+json with a detail, never a 500. */
@QuarkusTest
@TestProfile(BadInputProfile.class)
class BadInputApiTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String YAML = "application/yaml";

    private static RequestSpecification yaml() {
        return given().config(RestAssured.config().encoderConfig(
                EncoderConfig.encoderConfig().encodeContentTypeAs(YAML, ContentType.TEXT))).contentType(YAML);
    }

    private static RequestSpecification json() {
        return given().contentType(ContentType.JSON);
    }

    private static String spec(String name, String extra) {
        return """
                name: %s
                owner: test-team
                image: example/x:1
                command: ["true"]
                %s
                """.formatted(name, extra);
    }

    private static String s3Event(String id, String bucket, String key) {
        return """
                {"version": "0", %s "detail-type": "Object Created", "source": "aws.s3",
                 "account": "123456789012", "time": "2026-11-26T10:00:00Z", "region": "eu-west-1", "resources": [],
                 "detail": {"bucket": {"name": "%s"}, "object": {"key": "%s"}}}"""
                .formatted(id == null ? "" : "\"id\": \"" + id + "\",", bucket, key);
    }

    @Test
    void shouldAnswer422NamingAParameterThatIsNull() {
        json().body("{\"parameters\": {\"WHO\": null}}").post("/jobs/greet/runs")
                .then().statusCode(422).contentType(PROBLEM)
                .body("problems", hasItem(containsString("parameters.WHO")));
    }

    @Test
    void shouldAnswer400ForJsonNestedTooDeep() {
        String deep = "[".repeat(10_000);
        json().body(deep).post("/events").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("nest"));
        json().body("{\"parameters\": " + "[".repeat(10_000)).post("/jobs/greet/runs")
                .then().statusCode(400).contentType(PROBLEM).body("detail", not(emptyOrNullString()));
        json().body("{\"x\": " + "[".repeat(10_000)).put("/jobs/deep")
                .then().statusCode(422).contentType(PROBLEM).body("detail", not(emptyOrNullString()));
    }

    @Test
    void shouldAnswer422ForAnEventPathOfThousandsOfSegments() {
        String path = "$.detail" + ".a".repeat(5_000);
        String body = spec("long-path", """
                parameters:
                  KEY: {}
                triggers:
                  events:
                    - pattern: {source: [x]}
                      parameters:
                        KEY: "%s"
                """.formatted(path));
        yaml().body(body).put("/jobs/long-path").then().statusCode(422).contentType(PROBLEM)
                .body("problems", hasItem(containsString("triggers.events[0].parameters.KEY")));
    }

    @Test
    void shouldAnswer422ForYamlTagsWhereStringsBelong() {
        yaml().body(spec("x", "").replace("name: x", "name: !!binary aGVsbG8=")).put("/jobs/x")
                .then().statusCode(422).contentType(PROBLEM).body("problems", hasItem(containsString("name")));
        yaml().body(spec("tagged", "description: !!binary aGVsbG8=")).put("/jobs/tagged")
                .then().statusCode(422).contentType(PROBLEM).body("problems", hasItem(containsString("description")));
        yaml().body(spec("tagged", "description: !!java.lang.Object {}")).put("/jobs/tagged")
                .then().statusCode(422).contentType(PROBLEM);
    }

    @Test
    void shouldRefuseABillionLaughsQuickly() {
        StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append("]\n");
        }
        long started = System.nanoTime();
        yaml().body(bomb.toString()).put("/jobs/bomb").then().statusCode(422).contentType(PROBLEM)
                .body("detail", not(emptyOrNullString()));
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void shouldRefuseAParameterWithANulByte() {
        json().body("{\"parameters\": {\"WHO\": \"a\\u0000b\"}}").post("/jobs/greet/runs")
                .then().statusCode(422).contentType(PROBLEM)
                .body("problems", hasItem(containsString("parameters.WHO")));
        json().body(s3Event(UUID.randomUUID().toString(), "test-bucket", "in/a\\u0000.csv")).post("/events")
                .then().statusCode(422).contentType(PROBLEM)
                .body("problems", hasItem(containsString("parameters.KEY")));
    }

    @Test
    void shouldAnswerEveryMalformedRequestWithAProblem() {
        for (String body : new String[] {"{\"parameters\": \"x\"}", "[]", "{\"parameters\": {\"WHO\": \"a\"}, \"x\": 1}"}) {
            json().body(body).post("/jobs/greet/runs").then().statusCode(400).contentType(PROBLEM)
                    .body("detail", not(emptyOrNullString()));
        }
        json().body("{\"parameters\": {\"WHO\": {\"a\": 1}}}").post("/jobs/greet/runs").then().statusCode(422)
                .contentType(PROBLEM).body("problems", hasItem(containsString("parameters.WHO: must be text")));
        json().header("Idempotency-Key", "").body("{\"parameters\": {\"WHO\": \"a\"}}").post("/jobs/greet/runs")
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("Idempotency-Key"));
        given().get("/runs/nope/log?lines=-1").then().statusCode(400).contentType(PROBLEM)
                .body("problems", hasItem(containsString("lines")));
        given().get("/runs?limit=-1").then().statusCode(400).contentType(PROBLEM)
                .body("problems", hasItem(containsString("limit")));
        given().get("/runs/" + "r".repeat(10_000)).then().statusCode(414).contentType(PROBLEM)
                .body("detail", not(emptyOrNullString()));
    }

    /** A count that is not a number (or none an int holds) is the caller's mistake, not a missing resource. */
    @Test
    void shouldAnswer400NamingTheParameterForACountThatIsNotAWholeNumber() {
        for (String query : new String[] {"/runs?limit=abc", "/runs?limit=99999999999", "/runs/nope/log?lines=abc",
                "/runs/nope/log?lines=99999999999", "/runs/nope/log?follow=true&lines=1.5",
                "/runs/nope/steps/s/items?offset=x", "/runs/nope/steps/s/items?limit=%E2%98%83"}) {
            String name = query.replaceAll(".*[?&](\\w+)=[^&]*$", "$1");
            given().get(query).then().statusCode(400).contentType(PROBLEM)
                    .body("detail", allOf(startsWith(name + ": "), containsString("whole number")));
        }
    }

    /** Parsed by Skiff, the counts still tell API clients their type and bounds. */
    @Test
    void shouldDescribeTheCountsAsBoundedIntegersInTheOpenApiDocument() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/runs/{runId}/log'.get.parameters.find { it.name == 'lines' }.schema.type", equalTo("integer"))
                .body("paths.'/runs/{runId}/log'.get.parameters.find { it.name == 'lines' }.schema.maximum", equalTo(10000))
                .body("paths.'/runs'.get.parameters.find { it.name == 'limit' }.schema.type", equalTo("integer"))
                .body("paths.'/runs/{runId}/steps/{step}/items'.get.parameters.find { it.name == 'offset' }.schema.minimum",
                        equalTo(0));
    }

    @Test
    void shouldAnswer413ForBodiesOver256KiB() {
        String big = "x".repeat(300 * 1024);
        yaml().body(spec("big", "description: " + big)).put("/jobs/big").then().statusCode(413).contentType(PROBLEM)
                .body("detail", containsString("256 KiB"));
        json().body(s3Event(null, "test-bucket", big)).post("/events").then().statusCode(413).contentType(PROBLEM);
        json().body("{\"parameters\": {\"NAME\": \"" + big + "\"}}").post("/jobs/greet/runs").then().statusCode(413)
                .contentType(PROBLEM);
        // Chunked, without a Content-Length.
        yaml().body(new ByteArrayInputStream(spec("big", "description: " + big).getBytes()))
                .put("/jobs/big").then().statusCode(413).contentType(PROBLEM);
        given().get("/jobs/big").then().statusCode(404);
    }

    @Test
    void shouldStartOneRunPerIdempotencyKeyOfAnEvent() {
        String key = UUID.randomUUID().toString();
        String first = json().header("Idempotency-Key", key).body(s3Event(null, "test-bucket", "k.csv")).post("/events")
                .then().statusCode(202).body("runs[0].created", equalTo(true)).extract().path("runs[0].runId");
        json().header("Idempotency-Key", key).body(s3Event(null, "test-bucket", "k.csv")).post("/events")
                .then().statusCode(202).body("runs[0].runId", equalTo(first)).body("runs[0].created", equalTo(false));
        String batch = """
                {"Entries": [
                  {"Source": "aws.s3", "DetailType": "Object Created",
                   "Detail": {"bucket": {"name": "test-bucket"}, "object": {"key": "b.csv"}}},
                  {"Source": "aws.s3", "DetailType": "Object Created",
                   "Detail": {"bucket": {"name": "test-bucket"}, "object": {"key": "c.csv"}}}]}""";
        String batchKey = UUID.randomUUID().toString();
        var firstIds = json().header("Idempotency-Key", batchKey).body(batch).post("/events").then().statusCode(202)
                .extract().jsonPath().getList("entries.runs.runId.flatten()");
        var secondIds = json().header("Idempotency-Key", batchKey).body(batch).post("/events").then().statusCode(202)
                .body("entries.runs.created.flatten()", not(hasItem(true)))
                .extract().jsonPath().getList("entries.runs.runId.flatten()");
        assertThat(firstIds).hasSize(2).doesNotHaveDuplicates().isEqualTo(secondIds);
    }
}
