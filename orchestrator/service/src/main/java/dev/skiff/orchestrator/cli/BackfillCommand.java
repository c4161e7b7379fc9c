package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code skiff backfill JOB --from F --to T [--schedule N] [--max-concurrency N] [--wait]}: asks a running
 * orchestrator ({@code POST /jobs/{name}/backfill}) to run the fires of one of the job's schedules from F (included)
 * to T (excluded), and prints the backfill's status; with {@code --wait}, a line each time its progress changes, until
 * it ends (exit 0 when every run succeeded, 1 otherwise). Dates are ISO dates (midnight in the schedule's zone) or
 * instants. The URL comes from {@code --url}, else {@code SKIFF_URL}; the token from {@code --token}, else
 * {@code SKIFF_TOKEN}.
 */
final class BackfillCommand {

    private static final String USAGE = "usage: skiff backfill JOB --from DATE|INSTANT --to DATE|INSTANT [--schedule N]"
            + " [--max-concurrency N] [--wait] [--url URL] [--token TOKEN] [--insecure]"
            + " (URL also from SKIFF_URL, token from SKIFF_TOKEN)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> OPTIONS = Map.of("--from", "from", "--to", "to", "--schedule", "schedule",
            "--max-concurrency", "maxConcurrency", "--url", "url", "--token", "token");

    private BackfillCommand() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, Duration.ofSeconds(2));
    }

    /** @param poll how often {@code --wait} reads the backfill's status */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Duration poll) {
        Map<String, String> given = new HashMap<>();
        String job = null;
        boolean wait = false;
        boolean insecure = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--wait") || arg.equals("--insecure")) {
                wait |= arg.equals("--wait");
                insecure |= arg.equals("--insecure");
            } else if (OPTIONS.containsKey(arg) && i + 1 < args.length) {
                given.put(OPTIONS.get(arg), args[++i]);
            } else if (!arg.startsWith("--") && job == null) {
                job = arg;
            } else {
                return usage(err, "'" + arg + "' is not expected here");
            }
        }
        if (job == null || !given.containsKey("from") || !given.containsKey("to")) {
            return usage(err, "JOB, --from and --to are required");
        }
        ObjectNode body = JSON.createObjectNode().put("from", given.get("from")).put("to", given.get("to"));
        for (String number : new String[] {"schedule", "maxConcurrency"}) {
            if (given.containsKey(number)) {
                try {
                    body.put(number, Integer.parseInt(given.get(number)));
                } catch (NumberFormatException e) {
                    return usage(err, (number.equals("schedule") ? "--schedule" : "--max-concurrency") + ": '"
                            + given.get(number) + "' is not a whole number");
                }
            }
        }
        String url = given.getOrDefault("url", env.getOrDefault("SKIFF_URL", OrchestratorConnection.DEFAULT_URL));
        var connection = OrchestratorConnection.open("backfill", url, given.getOrDefault("token", env.get("SKIFF_TOKEN")),
                insecure, err);
        if (connection.isEmpty()) {
            return 2;
        }
        try {
            return backfill(connection.get(), job, body, wait, poll, out);
        } catch (IOException e) {
            out.println("skiff backfill: cannot reach " + connection.get().url() + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("skiff backfill: interrupted");
            return 1;
        }
    }

    private static int backfill(OrchestratorConnection connection, String job, ObjectNode body, boolean wait,
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
            return 1;
        }
        String id = answer.path("id").asText();
        out.println("backfill " + id + " of job " + job + (response.statusCode() == 201 ? " created" : " exists already")
                + ": " + progress(answer));
        if (!wait) {
            return 0;
        }
        String last = progress(answer);
        while ("RUNNING".equals(answer.path("state").asText())) {
            Thread.sleep(poll.toMillis());
            Optional<JsonNode> status = status(connection, id, out);
            if (status.isEmpty()) {
                return 1;
            }
            answer = status.get();
            if (!progress(answer).equals(last)) {
                last = progress(answer);
                out.println("backfill " + id + ": " + last);
            }
        }
        return "SUCCEEDED".equals(answer.path("state").asText()) ? 0 : 1;
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

    /** "RUNNING: 30 planned, 12 started, 3 running, 9 succeeded, 0 failed". */
    static String progress(JsonNode status) {
        return status.path("state").asText("?") + ": " + status.path("planned").asInt() + " planned, "
                + status.path("started").asInt() + " started, " + status.path("running").asInt() + " running, "
                + status.path("succeeded").asInt() + " succeeded, " + status.path("failed").asInt() + " failed";
    }

    private static int usage(PrintStream err, String problem) {
        err.println("skiff backfill: " + problem);
        err.println(USAGE);
        return 2;
    }
}
