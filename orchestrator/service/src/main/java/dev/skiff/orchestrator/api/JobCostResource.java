package dev.skiff.orchestrator.api;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.app.CostReport;
import dev.skiff.orchestrator.app.CostReports;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.NotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** What one job cost over a period; with API keys, only its own team may ask (as only it may run it). */
@Path("/jobs/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class JobCostResource {

    private final CostReports reports;
    private final JobCatalog catalog;
    private final TeamAuthorizer authorizer;
    private final CurrentCaller caller;
    private final Clock clock;

    public JobCostResource(CostReports reports, JobCatalog catalog, TeamAuthorizer authorizer, CurrentCaller caller,
                           Clock clock) {
        this.reports = reports;
        this.catalog = catalog;
        this.authorizer = authorizer;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @Path("/cost")
    @Operation(summary = "What the job's runs started in the period cost: dollars, on-demand dollars and savings, Spot"
            + " share of task-seconds, fallbacks to on-demand and Spot interruptions")
    public CostReport job(@PathParam("name") String name,
                          @QueryParam("since") @Parameter(description = CostResource.SINCE) String since,
                          @QueryParam("until") @Parameter(description = CostResource.UNTIL) String until) {
        JobSpec job = catalog.find(name).orElseThrow(() -> NotFoundException.job(name));
        authorizer.requireOwner(caller.get(), name, job.owner(), "see the cost of");
        CostPeriod period = CostPeriod.of(since, until, clock.instant());
        return reports.forJob(name, period.since(), period.until());
    }
}
