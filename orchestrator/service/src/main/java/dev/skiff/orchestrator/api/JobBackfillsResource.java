package dev.skiff.orchestrator.api;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.app.BackfillService;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.NotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A job's backfills: ask for one, list them. */
@Path("/jobs/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class JobBackfillsResource {

    private final BackfillService backfills;
    private final BackfillRequests requests;
    private final JobCatalog catalog;
    private final TeamAuthorizer authorizer;
    private final CurrentCaller caller;

    public JobBackfillsResource(BackfillService backfills, BackfillRequests requests, JobCatalog catalog,
                                TeamAuthorizer authorizer, CurrentCaller caller) {
        this.backfills = backfills;
        this.requests = requests;
        this.catalog = catalog;
        this.authorizer = authorizer;
        this.caller = caller;
    }

    @POST
    @Path("/backfill")
    @BodyLimited
    @Operation(summary = "Run a schedule's fires between two times, maxConcurrency at a time, under their cron run ids:"
            + " a fire that ran is not run again. 201 with its status; 200 when the same backfill (job, schedule, range)"
            + " existed")
    public Response create(@PathParam("name") String name, String body) {
        JobSpec job = catalog.find(name).orElseThrow(() -> NotFoundException.job(name));
        authorizer.requireOwner(caller.get(), name, job.owner(), "run");
        var created = backfills.create(job, requests.read(body));
        var view = BackfillView.of(created.status());
        return (created.created() ? Response.created(UriBuilder.fromPath("/backfills/{id}").build(view.id()))
                : Response.ok()).entity(view).build();
    }

    @GET
    @Path("/backfills")
    @Operation(summary = "The job's backfills, newest first, each with its status (without the list of runs)")
    public List<BackfillView> list(@PathParam("name") String name) {
        return backfills.ofJob(name).stream().map(BackfillView::summary).toList();
    }
}
