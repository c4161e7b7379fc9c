package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Runs as a table, one row each: id, job, trigger, status, attempts (a pipeline: its steps), duration, exit code. */
final class RunTable {

    private static final String FORMAT = "%-44s %-16s %-8s %-10s %8s %9s %5s%n";

    private RunTable() {
    }

    static void print(Iterable<JsonNode> runs, PrintStream out) {
        out.printf(FORMAT, "RUN", "JOB", "TRIGGER", "STATUS", "ATTEMPTS", "DURATION", "EXIT");
        for (JsonNode run : runs) {
            row(run, out);
        }
    }

    static void row(JsonNode r, PrintStream out) {
        JsonNode attempts = r.path("attempts");
        JsonNode last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        String duration = r.hasNonNull("durationSeconds") ? String.format("%.2fs", r.path("durationSeconds").asDouble()) : "-";
        String exit = last != null && last.hasNonNull("exitCode") ? last.path("exitCode").asText() : "-";
        // A pipeline's attempts are its steps': its own row counts its steps instead
        String count = r.has("steps") ? r.path("steps").size() + " steps" : Integer.toString(attempts.size());
        out.printf(FORMAT, r.path("runId").asText(), r.path("job").asText(), r.path("trigger").asText(),
                r.path("status").asText(), count, duration, exit);
    }
}
