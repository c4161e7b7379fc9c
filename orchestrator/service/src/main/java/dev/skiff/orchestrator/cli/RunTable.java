package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Runs as a table, one row each: id, job, trigger, status, attempts (a pipeline: its steps), duration, exit code. */
final class RunTable {

    private RunTable() {
    }

    static void print(Iterable<JsonNode> runs, PrintStream out) {
        var table = new TextTable().left("RUN", 44).left("JOB", 16).left("TRIGGER", 8).left("STATUS", 10)
                .right("ATTEMPTS", 8).right("DURATION", 9).right("EXIT", 5);
        for (JsonNode r : runs) {
            JsonNode attempts = r.path("attempts");
            JsonNode last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
            String duration = r.hasNonNull("durationSeconds") ? String.format("%.2fs", r.path("durationSeconds").asDouble()) : "-";
            String exit = last != null && last.hasNonNull("exitCode") ? last.path("exitCode").asText() : "-";
            // A pipeline's attempts are its steps': its own row counts its steps instead
            String count = r.has("steps") ? r.path("steps").size() + " steps" : Integer.toString(attempts.size());
            table.row(r.path("runId").asText(), r.path("job").asText(), r.path("trigger").asText(),
                    r.path("status").asText(), count, duration, exit);
        }
        table.print(out);
    }
}
