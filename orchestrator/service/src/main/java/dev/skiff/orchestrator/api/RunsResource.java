package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.adapter.local.LogFiles;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Runs: list, inspect, cancel, and read an attempt's log. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    private final RunEngine engine;
    private final JobCatalog catalog;
    private final TeamAuthorizer authorizer;
    private final CurrentCaller caller;

    public RunsResource(RunEngine engine, JobCatalog catalog, TeamAuthorizer authorizer, CurrentCaller caller) {
        this.engine = engine;
        this.catalog = catalog;
        this.authorizer = authorizer;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List runs, newest first, optionally by job and status")
    public List<RunView> list(@QueryParam("job") String job, @QueryParam("status") String status,
                              @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(1000) int limit) {
        Set<RunStatus> statuses = status == null || status.isBlank() ? Set.of() : parseStatuses(status);
        return engine.list(new RunQuery(Optional.ofNullable(job).filter(j -> !j.isBlank()), statuses, Optional.empty(), limit))
                .stream().map(RunView::of).toList();
    }

    @GET
    @Path("/{runId}")
    @Operation(summary = "One run: status, timings, attempts, exit codes and log locations; a pipeline's steps")
    public RunView get(@PathParam("runId") String runId) {
        return RunView.of(find(runId), engine.steps(runId));
    }

    @POST
    @Path("/{runId}/cancel")
    @Operation(summary = "Cancel a run; a running attempt is stopped first")
    public Response cancel(@PathParam("runId") String runId) {
        String job = find(runId).job();
        // A job no longer registered has no owner to check: only an unrestricted caller may cancel its runs.
        String owner = catalog.find(job).map(spec -> spec.owner()).orElse("(a job no longer registered)");
        authorizer.requireOwner(caller.get(), job, owner, "cancel runs of");
        Run run = engine.cancel(runId, "cancelled through the API");
        return Response.accepted(RunView.of(run)).build();
    }

    @GET
    @Path("/{runId}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "The last lines of an attempt's output (the latest attempt unless one is named)")
    public String log(@PathParam("runId") String runId, @QueryParam("attempt") Integer attempt,
                      @QueryParam("lines") @DefaultValue("200") @Min(1) @Max(10000) int lines) {
        Run run = find(runId);
        Attempt chosen = run.attempts().stream()
                .filter(a -> attempt == null || a.number() == attempt)
                .reduce((first, last) -> last)
                .orElseThrow(() -> new NotFoundException("run " + runId + " has no attempt"
                        + (attempt == null ? " yet" : " " + attempt)));
        if (chosen.logLocation().isBlank() || !Files.isRegularFile(java.nio.file.Path.of(chosen.logLocation()))) {
            throw new NotFoundException("attempt " + chosen.number() + " of run " + runId + " has no local log"
                    + (chosen.logLocation().isBlank() ? "" : " (its log is at " + chosen.logLocation() + ")"));
        }
        List<String> last = LogFiles.tail(java.nio.file.Path.of(chosen.logLocation()), lines);
        return last.isEmpty() ? "" : String.join("\n", last) + "\n";
    }

    private Run find(String runId) {
        return engine.get(runId).orElseThrow(() -> NotFoundException.run(runId));
    }

    private static Set<RunStatus> parseStatuses(String csv) {
        try {
            return Arrays.stream(csv.split(",")).map(s -> RunStatus.valueOf(s.trim().toUpperCase(Locale.ROOT)))
                    .collect(Collectors.toSet());
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("status: " + csv + " is not a run status (one or more, comma-separated, of "
                    + Arrays.stream(RunStatus.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
        }
    }
}
