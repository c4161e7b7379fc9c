package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code skiff jobs}: one row per registered job (its owner, its triggers, the next fire of its schedules, and how
 * many of them are paused), then, on stderr, the spec files that did not load and why.
 */
@Command(name = "jobs", description = "List the registered jobs: owner, triggers, next fire, paused schedules.")
final class JobsCommand extends ClientCommand {

    JobsCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        OrchestratorConnection api = connect();
        String body = api.call(api.request("/jobs").GET().build()).body();
        if (output.json()) {
            terminal.out().println(body);
            return 0;
        }
        JsonNode list = OrchestratorConnection.json(body);
        var table = new TextTable().left("JOB", 24).left("OWNER", 16).left("TRIGGERS", 40).left("NEXT FIRE", 20)
                .left("PAUSED", 6);
        for (JsonNode job : list.path("jobs")) {
            String name = job.path("name").asText();
            // The list has counts; the schedules (cron, zone, paused) and upstream jobs are in the job's own view.
            JsonNode detail = OrchestratorConnection.json(api.call(api.request("/jobs/"
                    + OrchestratorConnection.segment(name)).GET().build()).body());
            table.row(name, job.path("owner").asText(), triggers(job, detail), job.path("nextFire").asText("-"),
                    paused(detail.path("schedules")));
        }
        table.print(terminal.out());
        JsonNode invalid = list.path("invalid");
        if (!invalid.isEmpty()) {
            terminal.err().println(invalid.size() + " spec file" + (invalid.size() == 1 ? "" : "s") + " did not load:");
            invalid.forEach(p -> p.path("problems").forEach(problem ->
                    terminal.err().println("  " + p.path("source").asText() + ": " + problem.asText())));
        }
        return 0;
    }

    /** "30 2 * * * Europe/Berlin, 1 event pattern, after extract" or "manual". */
    private static String triggers(JsonNode job, JsonNode detail) {
        List<String> parts = new ArrayList<>();
        detail.path("schedules").forEach(s -> parts.add(s.path("cron").asText() + " " + s.path("timeZone").asText()));
        int events = job.path("eventTriggers").asInt();
        if (events > 0) {
            parts.add(events + " event pattern" + (events == 1 ? "" : "s"));
        }
        detail.path("spec").path("triggers").path("after").forEach(a -> parts.add("after " + a.path("job").asText()));
        return parts.isEmpty() ? "manual" : String.join(", ", parts);
    }

    /** "-" without schedules, else "no", "yes", or "1 of 2". */
    private static String paused(JsonNode schedules) {
        int count = 0;
        for (JsonNode schedule : schedules) {
            count += schedule.path("paused").asBoolean() ? 1 : 0;
        }
        if (schedules.isEmpty()) {
            return "-";
        }
        return count == 0 ? "no" : count == schedules.size() ? "yes" : count + " of " + schedules.size();
    }
}
