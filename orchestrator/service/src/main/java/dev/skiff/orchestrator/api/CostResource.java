package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.Caller;
import dev.skiff.orchestrator.app.CostReport;
import dev.skiff.orchestrator.app.CostReports;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.domain.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * What jobs cost over a period: dollars, what the same task-seconds would have cost on-demand, the Spot share,
 * fallbacks and interruptions. With API keys a team sees only its own jobs' cost ({@link JobCostResource} gives one
 * job's).
 */
@Path("/cost")
@Produces(MediaType.APPLICATION_JSON)
public class CostResource {

    static final String SINCE = "ISO-8601 instant, or a duration back from until such as 7d, 24h or 90m;"
            + " default 30 days before until. The period is at most 400 days";
    static final String UNTIL = "ISO-8601 instant, the end of the period (not included); default now";

    private final CostReports reports;
    private final JobCatalog catalog;
    private final CurrentCaller caller;
    private final Clock clock;

    public CostResource(CostReports reports, JobCatalog catalog, CurrentCaller caller, Clock clock) {
        this.reports = reports;
        this.catalog = catalog;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "What the jobs the caller may see (a team: its own) cost in the period, in all and each job's"
            + " share, dearest first")
    public CostReport jobs(@QueryParam("owner") @Parameter(description = "only this team's jobs; with API keys, the"
                                   + " caller's own team (another team's is refused)") String owner,
                           @QueryParam("since") @Parameter(description = SINCE) String since,
                           @QueryParam("until") @Parameter(description = UNTIL) String until) {
        Optional<String> team = ownerFor(caller.get(), Optional.ofNullable(owner).filter(o -> !o.isBlank()));
        CostPeriod period = CostPeriod.of(since, until, clock.instant());
        return reports.forJobs(catalog.snapshot().jobs().keySet(), team, period.since(), period.until());
    }

    /** A team sees its own jobs only: asking for another team's is refused, asking for none means its own. */
    private static Optional<String> ownerFor(Caller caller, Optional<String> asked) {
        if (caller.team().isEmpty()) {
            return asked;
        }
        String team = caller.team().get();
        if (asked.isPresent() && !asked.get().equals(team)) {
            throw new ForbiddenException("team " + team + " may not see the cost of team " + asked.get()
                    + "'s jobs: a team sees only its own");
        }
        return Optional.of(team);
    }
}
