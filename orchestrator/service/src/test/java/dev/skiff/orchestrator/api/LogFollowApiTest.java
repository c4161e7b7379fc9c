package dev.skiff.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import dev.skiff.orchestrator.api.SseClient.Event;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code GET /runs/{id}/log?follow=true} on the embedded mode: a live log as server-sent events, with real processes. */
@QuarkusTest
@TestProfile(LogFollowProfile.class)
class LogFollowApiTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final String PROBLEM = "application/problem+json";

    @TestHTTPResource("/")
    URI base;

    @Inject
    LogFollowers followers;

    @Test
    void aFollowerGetsEveryLineInOrderThenTheEndOfTheAttempt() throws Exception {
        // Given a run that prints a line every 0.3 s
        String runId = start("ticker");
        awaitFollowable(runId);

        // When it is followed from its first attempt on
        try (SseClient follower = follow(runId, "", Map.of())) {
            assertThat(follower.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            List<Event> events = follower.untilEnd(WITHIN);

            // Then it gets every line once, in order, each with an id, then the attempt's end, and the stream closes
            assertThat(texts(events)).isEqualTo(ticks(1, 8));
            assertThat(events.subList(0, 8)).allSatisfy(e -> assertThat(e.id()).isNotBlank());
            assertThat(events.get(8).name()).isEqualTo("end");
            assertThat(events.get(8).data()).isEqualTo("{\"status\":\"SUCCEEDED\",\"exitCode\":0}");
            assertThat(follower.nextAny(WITHIN).name()).isEqualTo("closed");
        }
        assertThat(RunsApi.awaitEnd(runId)).isEqualTo("SUCCEEDED");
    }

    @Test
    void aFollowerThatReconnectsWithLastEventIdGetsNoLineTwice() throws Exception {
        String runId = start("ticker");
        awaitFollowable(runId);
        List<Event> seen = new ArrayList<>();
        try (SseClient follower = follow(runId, "", Map.of())) {
            for (int i = 0; i < 3; i++) {
                seen.add(follower.next(WITHIN));
            }
        }
        String lastId = seen.get(2).id();

        try (SseClient again = follow(runId, "", Map.of("Last-Event-ID", lastId))) {
            seen.addAll(again.untilEnd(WITHIN));
        }

        assertThat(texts(seen)).isEqualTo(ticks(1, 8));
        assertThat(seen.get(seen.size() - 1).name()).isEqualTo("end");

        // And one that comes back after the end gets the end again, and no line
        try (SseClient late = follow(runId, "", Map.of("Last-Event-ID", seen.get(seen.size() - 2).id()))) {
            assertThat(late.untilEnd(WITHIN)).extracting(Event::name).containsExactly("end");
        }
    }

    @Test
    void aGarbledOrForgedLastEventIdIsA400BeforeTheStreamStarts() throws Exception {
        String runId = start("ticker");
        awaitFollowable(runId);
        for (String id : List.of("garbage", "0.f0", "1.", "1.f3", "1.f99999999", "1.c1733450000000-1", "2.f0")) {
            try (SseClient follower = follow(runId, "", Map.of("Last-Event-ID", id))) {
                assertThat(follower.response().statusCode()).as(id).isEqualTo(400);
                assertThat(follower.response().headers().firstValue("Content-Type")).hasValue(PROBLEM);
                assertThat(follower.body()).as(id).contains("Last-Event-ID");
            }
        }
        // the id of one attempt with another attempt named
        try (SseClient follower = follow(runId, "attempt=1", Map.of("Last-Event-ID", "2.f0"))) {
            assertThat(follower.response().statusCode()).isEqualTo(400);
        }
    }

    @Test
    void theNonFollowProblemsComeBeforeTheStream() throws Exception {
        String runId = start("ticker");
        awaitFollowable(runId);
        try (SseClient unknown = follow("no-such-run", "", Map.of())) {
            assertThat(unknown.response().statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("no-such-run");
        }
        for (String query : List.of("lines=0", "attempt=x", "attempt=7", "step=other", "item=1")) {
            try (SseClient follower = follow(runId, query, Map.of())) {
                assertThat(follower.response().statusCode()).as(query).isBetween(400, 404);
                assertThat(follower.response().headers().firstValue("Content-Type")).as(query).hasValue(PROBLEM);
            }
        }
        given().get("/runs/" + runId + "/log?follow=maybe").then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("follow: maybe is not true or false"));
        // follow=false, and no follow, keep the plain answer even for a client that asks for events
        given().accept("text/event-stream").get("/runs/" + runId + "/log?follow=false").then().statusCode(200)
                .contentType(ContentType.TEXT);
    }

    @Test
    void followersBeyondTheLimitAre429AndAClientThatGoesAwayStopsItsFollower() throws Exception {
        String runId = start("quiet");
        awaitFollowable(runId);
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < LogFollowProfile.MAX_FOLLOWERS; i++) {
                SseClient follower = follow(runId, "", Map.of());
                open.add(follower);
                assertThat(follower.next(WITHIN).data()).isEqualTo("started");
            }
            assertThat(followers.active()).isEqualTo(LogFollowProfile.MAX_FOLLOWERS);
            given().get("/q/metrics").then().body(containsString("skiff_log_followers " + LogFollowProfile.MAX_FOLLOWERS));

            // One more is refused while they are connected
            try (SseClient refused = follow(runId, "", Map.of())) {
                assertThat(refused.response().statusCode()).isEqualTo(429);
                assertThat(refused.response().headers().firstValue("Retry-After")).isPresent();
                assertThat(refused.body()).contains("skiff.logs.max-followers");
            }

            // A quiet log sends keep-alives
            assertThat(open.get(0).nextAny(WITHIN)).satisfies(e -> assertThat(e.name()).isEqualTo("comment"))
                    .satisfies(e -> assertThat(e.data()).isEqualTo("keep-alive"));
        } finally {
            for (SseClient follower : open) {
                follower.close();
            }
        }

        // When the clients go away their followers stop, and make room
        awaitNoFollowers();
        given().get("/q/metrics").then().body(containsString("skiff_log_followers 0"));
        try (SseClient follower = follow(runId, "", Map.of())) {
            assertThat(follower.response().statusCode()).isEqualTo(200);
        }
        awaitNoFollowers();
        given().post("/runs/" + runId + "/cancel").then().statusCode(202);
    }

    private void awaitNoFollowers() throws InterruptedException {
        Instant giveUp = Instant.now().plus(WITHIN);
        while (followers.active() != 0) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError(followers.active() + " followers still polling " + WITHIN + " after their clients left");
            }
            Thread.sleep(50);
        }
    }

    private static String start(String job) {
        return given().contentType(ContentType.JSON).body("{}").post("/jobs/" + job + "/runs").then().statusCode(201)
                .extract().path("runId");
    }

    /** Follows the run's log, once its first attempt has one: until then the answer is 404, as without follow. */
    private SseClient follow(String runId, String query, Map<String, String> headers) throws Exception {
        return SseClient.open(base.resolve("/runs/" + runId + "/log?follow=true" + (query.isEmpty() ? "" : "&" + query)), headers);
    }

    private void awaitFollowable(String runId) throws Exception {
        Instant giveUp = Instant.now().plus(WITHIN);
        while (given().get("/runs/" + runId + "/log").statusCode() != 200) {
            if (Instant.now().isAfter(giveUp)) {
                throw new AssertionError("run " + runId + " has no log within " + WITHIN);
            }
            Thread.sleep(20);
        }
    }

    private static List<String> texts(List<Event> events) {
        return events.stream().filter(e -> e.name().equals("line")).map(Event::data).toList();
    }

    private static List<String> ticks(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "tick " + i).toList();
    }
}
