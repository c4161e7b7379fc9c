package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The progress line of a run being waited for: "run R: RUNNING, 1m05s, attempt 2" for a run of one container,
 * "run R: RUNNING, 12s, 1/3 steps done (running: load)" for a pipeline.
 */
final class RunProgress {

    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED");

    private RunProgress() {
    }

    static boolean ended(JsonNode run) {
        return ENDED.contains(run.path("status").asText());
    }

    static String line(JsonNode run, Duration elapsed) {
        return "run " + run.path("runId").asText() + ": " + run.path("status").asText() + ", " + elapsed(elapsed)
                + where(run);
    }

    /** What changes when the run moves on (not the clock): a new line is written when this changes. */
    static String state(JsonNode run) {
        return run.path("status").asText() + where(run);
    }

    private static String where(JsonNode run) {
        if (run.has("steps")) {
            int done = 0;
            List<String> running = new ArrayList<>();
            for (JsonNode step : run.path("steps")) {
                String status = step.path("status").asText();
                done += status.equals("SUCCEEDED") || status.equals("FAILED") ? 1 : 0;
                if (status.equals("RUNNING")) {
                    running.add(step.path("name").asText());
                }
            }
            return ", " + done + "/" + run.path("steps").size() + " steps done"
                    + (running.isEmpty() ? "" : " (running: " + String.join(", ", running) + ")");
        }
        JsonNode attempts = run.path("attempts");
        if (attempts.isEmpty()) {
            return "";
        }
        String next = run.path("nextAttemptAt").asText("");
        return ", attempt " + attempts.get(attempts.size() - 1).path("number").asInt()
                + (next.isEmpty() || ended(run) ? "" : ", next attempt at " + next);
    }

    /** "45s", "1m05s", "2h03m". */
    static String elapsed(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
