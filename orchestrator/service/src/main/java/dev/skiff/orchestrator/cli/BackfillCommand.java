package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff backfill JOB --from F --to T [--schedule N] [--max-concurrency N] [--wait]}: asks a running
 * orchestrator ({@code POST /jobs/{name}/backfill}) to run the fires of one of the job's schedules from F (included)
 * to T (excluded), and prints the backfill's status; with {@code --wait}, a line each time its progress changes, until
 * it ends (exit 0 when every run succeeded, 1 otherwise). Dates are ISO dates (midnight in the schedule's zone) or
 * instants. The URL comes from {@code --url}, else {@code SKIFF_URL}; the token from {@code --token}, else
 * {@code SKIFF_TOKEN}.
 */
@Command(name = "backfill", description = "Run the past fires of one of a job's schedules from --from (included) to"
        + " --to (excluded); --wait prints its progress until it ends (exit 0 only if every run succeeded).")
final class BackfillCommand extends ClientCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "JOB", description = "the job")
    String job;
    @Option(names = "--from", required = true, paramLabel = "DATE|INSTANT", description = "the first fire time (included)")
    String from;
    @Option(names = "--to", required = true, paramLabel = "DATE|INSTANT", description = "the end (excluded)")
    String to;
    @Option(names = "--schedule", paramLabel = "N", description = "which schedule of the job, from 0 (needed when it has several)")
    Integer schedule;
    @Option(names = "--max-concurrency", paramLabel = "N", description = "at most N of its runs at once")
    Integer maxConcurrency;
    @Option(names = "--wait", description = "print its progress until it ends")
    boolean wait;

    BackfillCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        ObjectNode body = JSON.createObjectNode().put("from", from).put("to", to);
        if (schedule != null) {
            body.put("schedule", schedule);
        }
        if (maxConcurrency != null) {
            body.put("maxConcurrency", maxConcurrency);
        }
        OrchestratorConnection api = connect();
        // With --output json, stdout has the backfill's JSON only (its last status), and the lines go to stderr.
        PrintStream out = output.json() ? terminal.err() : terminal.out();
        try {
            JsonNode status = backfill(api, job, body, wait, terminal.poll(), out);
            if (output.json() && !status.isMissingNode()) {
                terminal.out().println(status);
            }
            return "SUCCEEDED".equals(status.path("state").asText()) || !wait && status.has("id") ? 0 : 1;
        } catch (IOException e) {
            out.println("skiff backfill: cannot reach " + api.url() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("skiff backfill: interrupted");
            return 1;
        }
    }

    /** @return its last status; a missing node when it did not start or its status could not be read */
    private static JsonNode backfill(OrchestratorConnection connection, String job, ObjectNode body, boolean wait,
                                     Duration poll, PrintStream out) throws IOException, InterruptedException {
        HttpResponse<String> response = connection.send(connection
                .request("/jobs/" + URLEncoder.encode(job, StandardCharsets.UTF_8) + "/backfill")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
        JsonNode answer = OrchestratorConnection.json(response.body());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            String detail = answer.path("detail").asText("");
            out.println("backfill of job " + job + " not started: " + response.statusCode() + (detail.isEmpty() ? "" : " " + detail));
            answer.path("problems").forEach(p -> out.println("  " + p.asText()));
            return MissingNode.getInstance();
        }
        String id = answer.path("id").asText();
        out.println("backfill " + id + " of job " + job + (response.statusCode() == 201 ? " created" : " exists already")
                + ": " + progress(answer));
        if (!wait) {
            return answer;
        }
        String last = progress(answer);
        while ("RUNNING".equals(answer.path("state").asText())) {
            Thread.sleep(poll.toMillis());
            Optional<JsonNode> status = status(connection, id, out);
            if (status.isEmpty()) {
                return MissingNode.getInstance();
            }
            answer = status.get();
            if (!progress(answer).equals(last)) {
                last = progress(answer);
                out.println("backfill " + id + ": " + last);
            }
        }
        return answer;
    }

    private static Optional<JsonNode> status(OrchestratorConnection connection, String id, PrintStream out)
            throws IOException, InterruptedException {
        HttpResponse<String> response = connection.send(connection
                .request("/backfills/" + URLEncoder.encode(id, StandardCharsets.UTF_8)).GET().build());
        JsonNode answer = OrchestratorConnection.json(response.body());
        if (response.statusCode() != 200) {
            out.println("backfill " + id + ": cannot read its status: " + response.statusCode() + " "
                    + answer.path("detail").asText(""));
            return Optional.empty();
        }
        return Optional.of(answer);
    }

    /** "RUNNING: 30 planned, 12 started, 3 running, 9 succeeded, 0 failed"; or "BLOCKED: job x is not registered: ...". */
    static String progress(JsonNode status) {
        if (status.hasNonNull("blockedBy")) {
            return status.path("state").asText("?") + ": " + status.path("blockedBy").asText();
        }
        return status.path("state").asText("?") + ": " + status.path("planned").asInt() + " planned, "
                + status.path("started").asInt() + " started, " + status.path("running").asInt() + " running, "
                + status.path("succeeded").asInt() + " succeeded, " + status.path("failed").asInt() + " failed";
    }
}
