package dev.skiff.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff cost [--job J] [--owner T] [--since 7d] [--until I]}: what runs cost over a period
 * ({@code GET /jobs/{name}/cost}, or {@code GET /cost} for every job the caller may see, or one team's): dollars, what
 * on-demand would have cost, the saving, the Spot share, fallbacks and interruptions; per job, dearest first.
 */
@Command(name = "cost", description = "What runs cost over a period: dollars, savings against on-demand, Spot share,"
        + " fallbacks and interruptions; of one job, one team's jobs, or every job you may see.")
final class CostCommand extends ClientCommand {

    @Option(names = "--job", paramLabel = "JOB", description = "one job's cost")
    String job;
    @Option(names = "--owner", paramLabel = "TEAM", description = "only this team's jobs (not with --job)")
    String owner;
    @Option(names = "--since", paramLabel = "WHEN", description = "from this instant, or this long ago: 7d, 24h"
            + " (default: 30 days ago)")
    String since;
    @Option(names = "--until", paramLabel = "INSTANT", description = "up to this instant (default: now)")
    String until;
    CostCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        if (job != null && owner != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--job and --owner: one or the other (a job's cost is its owner's)");
        }
        OrchestratorConnection api = connect();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("owner", owner);
        query.put("since", since);
        query.put("until", until);
        String path = (job == null ? "/cost" : "/jobs/" + OrchestratorConnection.segment(job) + "/cost")
                + OrchestratorConnection.query(query);
        String body = get(api, path);
        if (output.json()) {
            terminal.out().println(body);
            return 0;
        }
        JsonNode cost = OrchestratorConnection.json(body);
        PrintStream out = terminal.out();
        String of = cost.has("job") ? "job " + cost.path("job").asText()
                : cost.has("owner") ? "the jobs of " + cost.path("owner").asText() : "every job";
        out.println("cost of " + of + " from " + toTheSecond(cost.path("since").asText()) + " to "
                + toTheSecond(cost.path("until").asText()));
        out.println("  " + count(cost, "runs", "run") + ", " + count(cost, "attempts", "attempt"));
        out.println("  spent " + dollars(cost.path("dollars")) + " (all on-demand: " + dollars(cost.path("onDemandDollars"))
                + ", saved " + dollars(cost.path("savedDollars")) + ")");
        out.println("  Spot share " + percent(cost.path("spotShare")) + ", " + count(cost, "fallbacks", "fallback")
                + " to on-demand, " + count(cost, "interruptions", "interruption"));
        if (cost.has("jobs")) {
            out.println();
            var table = new TextTable().left("JOB", 24).left("OWNER", 16).right("RUNS", 5).right("ATTEMPTS", 8)
                    .right("DOLLARS", 10).right("ON-DEMAND", 10).right("SAVED", 10).right("SPOT", 5)
                    .right("FALLBACKS", 9).right("INTERRUPTIONS", 13);
            for (JsonNode j : cost.path("jobs")) {
                table.row(j.path("job").asText(), j.path("owner").asText(), j.path("runs").asInt(),
                        j.path("attempts").asInt(), dollars(j.path("dollars")), dollars(j.path("onDemandDollars")),
                        dollars(j.path("savedDollars")), percent(j.path("spotShare")), j.path("fallbacks").asInt(),
                        j.path("interruptions").asInt());
            }
            table.print(out);
        }
        return 0;
    }

    /** The service's clock gives nanoseconds; a person reads seconds. Text that is not an instant is shown as sent. */
    private static String toTheSecond(String instant) {
        try {
            return Instant.parse(instant).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static String count(JsonNode cost, String field, String noun) {
        int n = cost.path(field).asInt();
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String dollars(JsonNode value) {
        return String.format(java.util.Locale.ROOT, "$%.4f", value.asDouble());
    }

    private static String percent(JsonNode fraction) {
        return Math.round(fraction.asDouble() * 100) + "%";
    }
}
