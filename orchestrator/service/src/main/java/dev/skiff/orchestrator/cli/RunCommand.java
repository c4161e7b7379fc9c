package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff run JOB [-p K=V]... [--wait]}: starts a run ({@code POST /jobs/{name}/runs}). With {@code --wait} it
 * follows the run to its end with a progress line on stderr (rewritten in place on a terminal, a new line per change
 * otherwise), prints the run, and exits 0 if it SUCCEEDED, 1 if it FAILED, TIMED_OUT or was CANCELLED.
 */
@Command(name = "run", description = "Start a run of a job; with --wait, follow it to its end (exit 0 only if it"
        + " SUCCEEDED).")
final class RunCommand extends ClientCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "JOB", description = "the job to run")
    String job;
    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "a parameter of the run (repeatable)")
    Map<String, String> parameters = new LinkedHashMap<>();
    @Option(names = "--wait", description = "wait for the run to end, with its progress on stderr")
    boolean wait;
    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "the same key starts the run once, however"
            + " often it is sent")
    String idempotencyKey;
    RunCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() throws InterruptedException {
        OrchestratorConnection api = connect();
        ObjectNode body = JSON.createObjectNode();
        parameters.forEach(body.putObject("parameters")::put);
        var request = api.request("/jobs/" + OrchestratorConnection.segment(job) + "/runs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        String answer = api.call(request.build()).body();
        JsonNode run = OrchestratorConnection.json(answer);
        if (!wait) {
            terminal.out().println(output.json() ? answer
                    : "run " + run.path("runId").asText() + " of job " + job + ": " + run.path("status").asText());
            return 0;
        }
        String ended = follow(api, run);
        JsonNode last = OrchestratorConnection.json(ended);
        if (output.json()) {
            terminal.out().println(ended);
        } else {
            RunTable.print(List.of(last), terminal.out());
        }
        return "SUCCEEDED".equals(last.path("status").asText()) ? 0 : 1;
    }

    /** Reads the run until it ended, showing its progress; its last JSON. */
    private String follow(OrchestratorConnection api, JsonNode started) throws InterruptedException {
        Instant since = Instant.now();
        String path = "/runs/" + OrchestratorConnection.segment(started.path("runId").asText());
        JsonNode run = started;
        String body = started.toString();
        String shown = null;
        while (true) {
            String line = RunProgress.line(run, Duration.between(since, Instant.now()));
            if (terminal.interactive()) {
                terminal.err().print("\r" + line + "\033[K");
            } else if (!RunProgress.state(run).equals(shown)) {
                terminal.err().println(line);
            }
            shown = RunProgress.state(run);
            if (RunProgress.ended(run)) {
                break;
            }
            Thread.sleep(terminal.poll().toMillis());
            body = get(api, path);
            run = OrchestratorConnection.json(body);
        }
        if (terminal.interactive()) {
            terminal.err().println();
        }
        return body;
    }
}
