package dev.skiff.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.orchestrator.api.FuzzRequests.FuzzRequest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated hostile requests against the running service (see {@link FuzzRequests}): no answer is a
 * 5xx, every 4xx is a problem with a detail, and valid work still runs afterwards. The first half of the requests
 * comes from a fixed seed, the second from a fresh one that is logged; rerun a failure with
 * {@code -Dfuzz.seed=<seed>} (both halves then use it).
 */
@QuarkusTest
@TestProfile(BadInputProfile.class)
class ApiFuzzTest {

    private static final Logger LOG = Logger.getLogger(ApiFuzzTest.class);
    private static final long FIXED_SEED = 20261205L;
    private static final int REQUESTS_PER_SEED = 1_500;
    private static final Duration TIME_BOX = Duration.ofSeconds(50);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void shouldAnswerEveryHostileRequestWithA4xxProblemAndKeepServing() throws Exception {
        Long chosen = Long.getLong("fuzz.seed");
        long fresh = chosen != null ? chosen : System.nanoTime();
        Instant deadline = Instant.now().plus(TIME_BOX);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        for (long seed : new long[] {chosen != null ? chosen : FIXED_SEED, fresh}) {
            LOG.infof("API fuzz: seed %d (rerun with -Dfuzz.seed=%d)", seed, seed);
            FuzzRequests requests = new FuzzRequests(seed);
            for (int i = 0; i < REQUESTS_PER_SEED && Instant.now().isBefore(deadline); i++) {
                FuzzRequest request = requests.next();
                String failure = check(request, statuses);
                sent++;
                if (failure != null && failures.size() < 20) {
                    failures.add("seed " + seed + ", request " + i + ": " + failure + "\n    " + request.describe());
                }
            }
        }
        LOG.infof("API fuzz: %d requests, %d failures; answers by status: %s", sent, failures.size(), statuses);

        assertThat(failures).as("answers that were a 5xx or not a problem").isEmpty();
        assertThat(sent).as("requests sent within the time box").isGreaterThan(1_000);
        assertStillServingValidWork();
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private String check(FuzzRequest request, Map<Integer, Integer> statuses) throws InterruptedException {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + request.path()))
                    .timeout(Duration.ofSeconds(20));
            request.headers().forEach(builder::header);
        } catch (IllegalArgumentException e) {
            return null; // a header or URI the client itself will not send: nothing reached the service
        }
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : request.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(request.body()))
                : HttpRequest.BodyPublishers.ofByteArray(request.body());
        HttpResponse<String> response;
        try {
            response = http.send(builder.method(request.method(), body).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "no answer: " + e;
        }
        int status = response.statusCode();
        statuses.merge(status, 1, Integer::sum);
        if (status >= 500) {
            return "answered " + status + ": " + response.body();
        }
        if (status < 400) {
            return null;
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith(ProblemMapper.PROBLEM_JSON)) {
            return "answered " + status + " as " + type + ", not a problem: " + response.body();
        }
        try {
            JsonNode problem = JSON.readTree(response.body());
            if (!problem.path("detail").isTextual() || problem.path("detail").asText().isBlank()
                    || problem.path("status").asInt() != status) {
                return "answered " + status + " with a problem lacking a detail or status: " + response.body();
            }
        } catch (IOException e) {
            return "answered " + status + " with a body that is not JSON: " + response.body();
        }
        return null;
    }

    private void assertStillServingValidWork() throws Exception {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(root + "jobs/fz-valid"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(FuzzRequests.validSpec("fz-valid").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);

        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(root + "jobs/greet/runs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"parameters\": {\"WHO\": \"after the fuzz\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String runId = JSON.readTree(started.body()).path("runId").asText();

        Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
        String status = "PENDING";
        while (Instant.now().isBefore(giveUp) && List.of("PENDING", "RUNNING", "RETRY_WAIT").contains(status)) {
            Thread.sleep(100);
            status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(root + "runs/" + runId)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("status").asText();
        }
        assertThat(status).as("run " + runId + " after the fuzz").isEqualTo("SUCCEEDED");
    }
}
