package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.api.ConsolePaths;
import dev.skiff.orchestrator.api.CostResource;
import dev.skiff.orchestrator.app.CostReport;
import dev.skiff.orchestrator.app.JobCatalog;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * What the jobs cost over a period, in all, per team and per job: dollars, the Spot share, what Spot saved against
 * all on-demand, fallbacks and interruptions. The numbers and the team rules are {@code GET /cost}'s
 * ({@link CostResource}): a team sees its own jobs' cost only.
 */
@Path(ConsolePaths.ROOT + "/cost")
public class ConsoleCostPage {

    private final CostResource cost;
    private final JobCatalog catalog;
    private final ConsolePages pages;
    private final ConsoleScope scope;

    public ConsoleCostPage(CostResource cost, JobCatalog catalog, ConsolePages pages, ConsoleScope scope) {
        this.cost = cost;
        this.catalog = catalog;
        this.pages = pages;
        this.scope = scope;
    }

    @GET
    public Response page(@QueryParam("owner") String owner, @QueryParam("since") String since,
                         @QueryParam("until") String until) {
        return pages.render("cost", chrome -> {
            String sinceText = since == null || since.isBlank() ? "30d" : since.trim();
            String untilText = until == null ? "" : until.trim();
            CostReport total = cost.jobs(owner, sinceText, untilText);
            List<String> teams = teams();
            // One report per team: each team's Spot share is worked out from its own task-seconds.
            List<TeamCost> byTeam = owner != null && !owner.isBlank() ? List.of() : teams.stream()
                    .map(team -> new TeamCost(team, cost.jobs(team, sinceText, untilText)))
                    .filter(t -> t.report().runs() > 0).toList();
            return ConsoleTemplates.cost(chrome, new CostQuery(owner == null ? "" : owner.trim(), sinceText, untilText),
                    teams, total, byTeam);
        });
    }

    /** The teams whose cost the caller may see: every owner of a registered job, or the caller's own team. */
    private List<String> teams() {
        return catalog.snapshot().jobs().values().stream().map(j -> j.spec().owner())
                .filter(scope::sees).distinct().sorted().toList();
    }

    /** The form's values, shown back in it. */
    public record CostQuery(String owner, String since, String until) {
    }

    /** One team's line of the per-team table. */
    public record TeamCost(String team, CostReport report) {
    }
}
