package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.BackfillService;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.Backfill;
import dev.skiff.orchestrator.domain.NotFoundException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** One backfill: its status, and cancelling it. */
@Path("/backfills")
@Produces(MediaType.APPLICATION_JSON)
public class BackfillsResource {

    private final BackfillService backfills;
    private final JobCatalog catalog;
    private final TeamAuthorizer authorizer;
    private final CurrentCaller caller;

    public BackfillsResource(BackfillService backfills, JobCatalog catalog, TeamAuthorizer authorizer,
                             CurrentCaller caller) {
        this.backfills = backfills;
        this.catalog = catalog;
        this.authorizer = authorizer;
        this.caller = caller;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A backfill's status: planned, started, running, succeeded and failed runs, and every fire's run")
    public BackfillView get(@PathParam("id") String id) {
        return BackfillView.of(backfills.status(id));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Stop starting runs for the backfill; its runs already started go on unless runs=true cancels them")
    public BackfillView cancel(@PathParam("id") String id, @QueryParam("runs") @DefaultValue("false") boolean runs) {
        Backfill backfill = backfills.find(id);
        String owner = catalog.find(backfill.job()).map(j -> j.owner())
                .orElseThrow(() -> new NotFoundException("backfill " + id + ": its job " + backfill.job()
                        + " is no longer registered, so no team may cancel it (and it starts nothing)"));
        authorizer.requireOwner(caller.get(), backfill.job(), owner, "run");
        return BackfillView.of(backfills.cancel(id, runs));
    }
}
