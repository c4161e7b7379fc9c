package dev.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Jobs that follow jobs, on the packaged service in embedded mode: {@value #RUNS} runs of {@code up} (a no-op) posted
 * through the API, each of whose SUCCEEDED events starts one run of {@code down} ({@code triggers.after}). Prints the
 * time from an upstream run's end to its downstream run's creation, p50/p99, as the service recorded both (the run
 * event written with the end, published by the relay through the intake), and that no downstream run was doubled.
 */
final class FollowBenchmark {

    private static final int RUNS = 300;
    private static final int ONE_AT_A_TIME = 30;
    private static final int CLIENTS = 4;
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private FollowBenchmark() {
    }

    static void runEmbedded(Path root) throws Exception {
        Path jar = root.resolve("orchestrator/service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the benchmarks with -am, which packages the orchestrator");
        }
        Path target = Files.createDirectories(root.resolve("benchmarks/target"));
        Path jobs = Files.createTempDirectory(target, "follow-jobs-");
        FollowJobs.write(jobs, "up", "down");
        Path log = target.resolve("follow-service.log");
        try (var service = OrchestratorProcess.start(jar, Map.of(
                "SKIFF_JOBS_LOCATION", jobs.toString(),
                "SKIFF_DATA_DIR", Files.createTempDirectory(target, "follow-data-").toString(),
                "SKIFF_EMBEDDED_MAX_CONCURRENT_ATTEMPTS", "16"), log)) {
            List<Double> oneAtATime = oneAtATime(service);
            post(service);
            List<JsonNode> downs = awaitDownstream(service, RUNS + ONE_AT_A_TIME).stream()
                    .filter(d -> !d.path("parameters").path("N").asText().startsWith("single-")).toList();
            Map<String, JsonNode> ups = new HashMap<>();
            for (JsonNode up : JSON.readTree(service.get("/runs?job=up&limit=1000"))) {
                ups.put(up.path("runId").asText(), up);
            }
            List<Double> latenciesMs = new ArrayList<>();
            for (JsonNode down : downs) {
                JsonNode up = ups.get(down.path("parameters").path("UPSTREAM").asText());
                latenciesMs.add(Duration.between(Instant.parse(up.path("endedAt").asText()),
                        Instant.parse(down.path("createdAt").asText())).toNanos() / 1e6);
            }
            long distinctUpstreams = downs.stream().map(d -> d.path("parameters").path("UPSTREAM").asText()).distinct().count();
            var stats = new Stats(latenciesMs.stream().mapToDouble(Double::doubleValue).toArray());
            var single = new Stats(oneAtATime.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf("%nfollow (embedded, packaged service): upstream run's end -> its downstream run created%n"
                    + "  one at a time (%d upstream runs, each after the last downstream started): p50 %.1f ms, p99 %.1f ms%n",
                    ONE_AT_A_TIME, single.percentile(50), single.percentile(99));
            System.out.printf("  a burst of %d upstream runs posted by %d clients: %d downstream runs for %d distinct"
                            + " upstream runs; p50 %.1f ms, p99 %.1f ms, max %.1f ms (events queue behind the burst)%n",
                    RUNS, CLIENTS, downs.size(), distinctUpstreams, stats.percentile(50), stats.percentile(99),
                    stats.percentile(100));
            if (downs.size() != RUNS || distinctUpstreams != RUNS) {
                throw new IllegalStateException("downstream runs were lost or doubled: see the figures above");
            }
        } finally {
            System.out.printf("  service log %s%n", log);
        }
    }

    private static void post(OrchestratorProcess service) throws InterruptedException {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < RUNS; i++) {
            int n = i;
            clients.execute(() -> {
                try {
                    HttpResponse<String> response = service.post("/jobs/up/runs", "{\"parameters\": {\"N\": \"" + n + "\"}}",
                            "follow-" + n);
                    if (response.statusCode() != 201) {
                        System.out.println("  (run " + n + " refused: " + response.statusCode() + " " + response.body() + ")");
                    }
                } catch (Exception e) {
                    System.out.println("  (run " + n + " failed: " + e + ")");
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(5, TimeUnit.MINUTES);
    }

    /** Every downstream run, once {@code count} of them ended. */
    private static List<JsonNode> awaitDownstream(OrchestratorProcess service, int count) throws Exception {
        Instant giveUp = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(giveUp)) {
            List<JsonNode> downs = new ArrayList<>();
            JSON.readTree(service.get("/runs?job=down&limit=1000")).forEach(downs::add);
            if (downs.size() >= count && downs.stream().allMatch(d -> d.hasNonNull("endedAt"))) {
                return downs;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("fewer than " + count + " downstream runs ended within " + TIMEOUT);
    }

    /** Hand-overs with nothing else going on: each upstream run posted once the previous downstream run ended. */
    private static List<Double> oneAtATime(OrchestratorProcess service) throws Exception {
        List<Double> latenciesMs = new ArrayList<>();
        for (int i = 0; i < ONE_AT_A_TIME; i++) {
            HttpResponse<String> posted = service.post("/jobs/up/runs", "{\"parameters\": {\"N\": \"single-" + i + "\"}}",
                    "single-" + i);
            String upstream = JSON.readTree(posted.body()).path("runId").asText();
            JsonNode down = awaitDownstream(service, i + 1).stream()
                    .filter(d -> d.path("parameters").path("UPSTREAM").asText().equals(upstream)).findFirst().orElseThrow();
            JsonNode up = JSON.readTree(service.get("/runs/" + upstream));
            latenciesMs.add(Duration.between(Instant.parse(up.path("endedAt").asText()),
                    Instant.parse(down.path("createdAt").asText())).toNanos() / 1e6);
        }
        return latenciesMs;
    }
}
