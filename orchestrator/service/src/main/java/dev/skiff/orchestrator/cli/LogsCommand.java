package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff logs RUN [--step S] [--item I] [--attempt N] [--lines N] [-f]}: the last lines of an attempt's output
 * ({@code GET /runs/{id}/log}); with {@code -f}, then every new line as it is written, until the attempt ends.
 */
@Command(name = "logs", description = "Print the last lines of a run's output (its latest attempt unless one is"
        + " named); -f follows new lines until the attempt ends.")
final class LogsCommand extends ClientCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "RUN", description = "the run's id")
    String run;
    @Option(names = "--step", paramLabel = "STEP", description = "a pipeline run's step")
    String step;
    @Option(names = "--item", paramLabel = "I", description = "one item of a forEach step (0 is the first)")
    Integer item;
    @Option(names = "--attempt", paramLabel = "N", description = "this attempt (default: the latest)")
    Integer attempt;
    @Option(names = "--lines", paramLabel = "N", description = "the last N lines, 1-10000 (default: 200; 100 with -f)")
    Integer lines;
    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until the attempt ends")
    boolean follow;
    LogsCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        OrchestratorConnection api = connect();
        Map<String, String> query = new LinkedHashMap<>();
        if (follow) {
            query.put("follow", "true");
        }
        query.put("step", step);
        query.put("item", item == null ? null : item.toString());
        query.put("attempt", attempt == null ? null : attempt.toString());
        query.put("lines", lines == null ? null : lines.toString());
        String path = "/runs/" + OrchestratorConnection.segment(run) + "/log" + OrchestratorConnection.query(query);
        if (follow) {
            return new LogFollower(api, terminal, this::print).follow(path);
        }
        String text = api.call(api.request(path).setHeader("Accept", "text/plain, application/problem+json").GET()
                .build()).body();
        if (output.json()) {
            terminal.out().println(json(text.lines().toList()));
        } else {
            terminal.out().print(text);
        }
        return 0;
    }

    /** One line as it is, or (--output json) as a JSON string on a line of its own. */
    private void print(String line) {
        terminal.out().println(output.json() ? json(line) : line);
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string or a list of strings is always JSON", e);
        }
    }
}
