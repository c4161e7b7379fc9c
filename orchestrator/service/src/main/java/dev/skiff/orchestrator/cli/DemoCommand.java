package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code skiff demo}: with the service up on the example jobs, sends an S3 "Object Created" event,
 * a manual backfill run and a run of the partitioned-etl pipeline through the HTTP API, as a user would, waits for
 * the runs to end, prints them (the pipeline with its step graph, its steps and their output), and exits 0 only if
 * every run succeeded.
 */
public class DemoCommand implements QuarkusApplication {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String S3_EVENT = """
            {"version": "0", "id": "%s", "detail-type": "Object Created", "source": "aws.s3",
             "account": "123456789012", "time": "%s", "region": "eu-west-1",
             "resources": ["arn:aws:s3:::skiff-landing"],
             "detail": {"version": "0", "bucket": {"name": "skiff-landing"},
                        "object": {"key": "incoming/2026/11/26/orders.csv", "size": 52344},
                        "reason": "PutObject"}}""";
    private static final String PIPELINE = "partitioned-etl";
    /** The example job that follows the pipeline (triggers.after). */
    private static final String FOLLOWER = "orders-report";
    private static final String BACKFILL = """
            {"parameters": {"START_DATE": "2026-11-01", "END_DATE": "2026-11-03"}}""";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream out = System.out;

    @Override
    public int run(String... args) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
        String base = "http://127.0.0.1:" + port;
        var runIds = new ArrayList<String>();

        out.println("\n== Skiff demo: embedded engine, local processes, jobs from jobs/examples ==");
        JsonNode event = post(base + "/events", S3_EVENT.formatted(java.util.UUID.randomUUID(), Instant.now()), null);
        out.println("sent an S3 'Object Created' event for s3://skiff-landing/incoming/2026/11/26/orders.csv");
        event.path("runs").forEach(r -> {
            out.println("  -> started run " + r.path("runId").asText() + " of job " + r.path("job").asText());
            runIds.add(r.path("runId").asText());
        });
        JsonNode manual = post(base + "/jobs/backfill/runs", BACKFILL, "demo-" + Instant.now().toEpochMilli());
        out.println("asked for a backfill of 2026-11-01..2026-11-03 through the API");
        out.println("  -> started run " + manual.path("runId").asText());
        runIds.add(manual.path("runId").asText());
        JsonNode pipeline = post(base + "/jobs/" + PIPELINE + "/runs", "{}", "demo-pipeline-" + Instant.now().toEpochMilli());
        out.println("started the " + PIPELINE + " pipeline through the API");
        out.println("  -> started run " + pipeline.path("runId").asText());
        runIds.add(pipeline.path("runId").asText());

        List<JsonNode> finished = waitForAll(base, runIds);
        // The pipeline's success is a run event, which starts the job that follows it (triggers.after).
        String pipelineRun = pipeline.path("runId").asText();
        Optional<String> report = follower(base, FOLLOWER, pipelineRun);
        boolean followed = true;
        if (report.isPresent()) {
            out.println(PIPELINE + "'s success was a run event; it started run " + report.get() + " of " + FOLLOWER
                    + " (triggers.after)");
            runIds.add(report.get());
            finished = waitForAll(base, runIds);
        } else if (finished.stream().anyMatch(r -> r.path("runId").asText().equals(pipelineRun)
                && "SUCCEEDED".equals(r.path("status").asText()))) {
            out.println("no run of " + FOLLOWER + " followed " + pipelineRun + " within " + WAIT.toSeconds() + " s");
            followed = false;
        }
        printTable(finished);
        for (JsonNode run : finished) {
            printOutput(base, run);
            if (run.has("steps")) {
                printPipeline(base, run);
            }
        }
        boolean allSucceeded = followed && finished.size() == runIds.size()
                && finished.stream().allMatch(r -> "SUCCEEDED".equals(r.path("status").asText()));
        out.println(allSucceeded ? "\nall runs succeeded" : "\nnot every run succeeded: see the table and the logs above");
        return allSucceeded ? 0 : 1;
    }

    /** The run of {@code job} that the upstream run's success started, once it exists. */
    private Optional<String> follower(String base, String job, String upstream) throws IOException, InterruptedException {
        Instant giveUp = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(giveUp)) {
            for (JsonNode run : get(base + "/runs?job=" + job + "&limit=100")) {
                if (upstream.equals(run.path("parameters").path("UPSTREAM_RUN").asText())) {
                    return Optional.of(run.path("runId").asText());
                }
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    private List<JsonNode> waitForAll(String base, List<String> runIds) throws IOException, InterruptedException {
        Instant giveUp = Instant.now().plus(WAIT);
        out.print("waiting for the runs to end ");
        while (Instant.now().isBefore(giveUp)) {
            var runs = new ArrayList<JsonNode>();
            for (String id : runIds) {
                runs.add(get(base + "/runs/" + id));
            }
            if (runs.stream().allMatch(r -> isTerminal(r.path("status").asText()))) {
                out.println(" done");
                return runs;
            }
            out.print(".");
            Thread.sleep(250);
        }
        out.println(" gave up after " + WAIT.toSeconds() + " s");
        var runs = new ArrayList<JsonNode>();
        for (String id : runIds) {
            runs.add(get(base + "/runs/" + id));
        }
        return runs;
    }

    private static boolean isTerminal(String status) {
        return List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED").contains(status);
    }

    private void printTable(List<JsonNode> runs) {
        out.println();
        RunTable.print(runs, out);
    }

    /** The run's own output, read back through the API as a user would (GET /runs/{id}/log). */
    private void printOutput(String base, JsonNode run) throws IOException, InterruptedException {
        JsonNode attempts = run.path("attempts");
        if (attempts.isEmpty()) {
            return;
        }
        String runId = run.path("runId").asText();
        out.println("\noutput of " + runId + " (" + attempts.get(attempts.size() - 1).path("log").asText() + "):");
        printLog(base + "/runs/" + runId + "/log?lines=10", "  | ");
    }

    /**
     * A pipeline run: its step graph as the run shows it, then each step as it ended and what its tasks printed (each
     * item's too), read through the API as a user would ({@code GET /runs/{id}/log?step=&item=}).
     */
    private void printPipeline(String base, JsonNode run) throws IOException, InterruptedException {
        String runId = run.path("runId").asText();
        JsonNode spec = get(base + "/jobs/" + run.path("job").asText()).path("spec");
        out.println("\nsteps of " + runId + " (job " + run.path("job").asText() + "):");
        for (JsonNode step : run.path("steps")) {
            var after = new ArrayList<String>();
            step.path("dependsOn").forEach(d -> after.add(d.asText()));
            String each = step.path("forEach").asBoolean() ? " for each item of " + itemsOf(forEachOf(spec, step)) : "";
            out.println("  " + step.path("name").asText() + each + (after.isEmpty() ? "" : "  <- after " + String.join(", ", after)));
        }
        String format = "  %-10s %-10s %-9s %s%n";
        out.printf(format, "STEP", "STATUS", "ATTEMPTS", "ITEMS");
        for (JsonNode step : run.path("steps")) {
            JsonNode items = step.path("items");
            String summary = items.isObject() ? items.path("succeeded").asInt() + "/" + items.path("total").asInt()
                    + " succeeded, " + items.path("failed").asInt() + " failed" : "-";
            out.printf(format, step.path("name").asText(), step.path("status").asText(),
                    step.path("attempts").size(), summary);
        }
        for (JsonNode step : run.path("steps")) {
            String name = step.path("name").asText();
            if (step.path("forEach").asBoolean()) {
                for (JsonNode item : get(base + "/runs/" + runId + "/steps/" + name + "/items")) {
                    out.println("  output of step " + name + " item " + item.path("index").asInt() + " " + item.path("item") + ":");
                    printLog(base + "/runs/" + runId + "/log?lines=10&step=" + name + "&item=" + item.path("index").asInt(),
                            "    | ");
                }
            } else if (!step.path("attempts").isEmpty()) {
                out.println("  output of step " + name + ":");
                printLog(base + "/runs/" + runId + "/log?lines=10&step=" + name, "    | ");
            }
        }
    }

    private void printLog(String url, String margin) throws IOException, InterruptedException {
        HttpResponse<String> log = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        log.body().lines().forEach(line -> out.println(margin + line));
    }

    private static JsonNode forEachOf(JsonNode spec, JsonNode step) {
        for (JsonNode s : spec.path("steps")) {
            if (s.path("name").asText().equals(step.path("name").asText())) {
                return s.path("forEach");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** A forEach's items as the spec wrote them: {@code $.steps.extract.output.partitions}, or the listed directory. */
    private static String itemsOf(JsonNode forEach) {
        JsonNode ref = forEach.path("items");
        if (!ref.isObject()) {
            return forEach.path("list").asText();
        }
        String root = switch (ref.path("source").asText()) {
            case "PARAMETER" -> "$.parameters." + ref.path("name").asText();
            case "STEP_OUTPUT" -> "$.steps." + ref.path("name").asText() + ".output";
            default -> "$.item";
        };
        var path = new StringBuilder(root);
        ref.path("path").forEach(field -> path.append('.').append(field.asText()));
        return path.toString();
    }

    private JsonNode post(String url, String body, String idempotencyKey) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}
