package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code skiff cancel RUN}: cancels a run (its running attempt is stopped first) and prints where it stands. */
@Command(name = "cancel", description = "Cancel a run; its running attempt is stopped first.")
final class CancelCommand extends ClientCommand {

    @Parameters(paramLabel = "RUN", description = "the run's id")
    String run;
    CancelCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        OrchestratorConnection api = connect();
        String body = api.call(api.request("/runs/" + OrchestratorConnection.segment(run) + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).body();
        if (output.json()) {
            terminal.out().println(body);
            return 0;
        }
        JsonNode answer = OrchestratorConnection.json(body);
        terminal.out().println("run " + answer.path("runId").asText(run) + " of job " + answer.path("job").asText()
                + ": " + answer.path("status").asText());
        return 0;
    }
}
