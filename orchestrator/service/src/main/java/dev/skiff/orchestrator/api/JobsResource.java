package dev.skiff.orchestrator.api;

import dev.skiff.jobs.JobFollowers;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.app.CronScheduler;
import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.JobRegistrar;
import dev.skiff.orchestrator.app.RegisteredJob;
import dev.skiff.orchestrator.app.RunDispatcher;
import dev.skiff.orchestrator.app.SpecProblem;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.workflows.RunIds;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Registered jobs, their next fire times, and manual runs. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    private static final int UPCOMING_FIRES = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JobCatalog catalog;
    private final RunDispatcher dispatcher;
    private final CronScheduler scheduler;
    private final Clock clock;
    private final TeamAuthorizer authorizer;
    private final CurrentCaller caller;
    private final JobRegistrar registrar;
    private final RunRequests runRequests;

    public JobsResource(JobCatalog catalog, RunDispatcher dispatcher, CronScheduler scheduler, Clock clock,
                        TeamAuthorizer authorizer, CurrentCaller caller, JobRegistrar registrar, RunRequests runRequests) {
        this.runRequests = runRequests;
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.scheduler = scheduler;
        this.clock = clock;
        this.authorizer = authorizer;
        this.caller = caller;
        this.registrar = registrar;
    }

    /** Refuses the request unless the caller's team owns the registered job {@code name} (404 if there is none). */
    private void requireOwnerOf(String name, String action) {
        JobSpec spec = catalog.find(name).orElseThrow(() -> NotFoundException.job(name));
        authorizer.requireOwner(caller.get(), name, spec.owner(), action);
    }

    /** A job in the list: enough to see what runs when. */
    public record JobSummary(String name, String owner, String description, String capacity, String source,
                             int schedules, int eventTriggers, Instant nextFire) {
    }

    /** The list of jobs, and the spec files that failed to load (with why). */
    public record JobList(List<JobSummary> jobs, List<SpecProblem> invalid) {
    }

    /** One schedule with its next fire times; a paused schedule skips them until resumed. */
    public record ScheduleView(int index, String cron, String timeZone, String misfire, String concurrency, boolean paused,
                               List<Instant> nextFires) {
    }

    /**
     * @param warnings what may keep the job from starting as its spec says, though the spec is valid: an upstream job
     *                 of {@code triggers.after} that is not registered
     */
    public record JobDetail(String name, String source, List<ScheduleView> schedules, JobSpec spec, List<String> warnings) {
    }

    @GET
    @Operation(summary = "List registered jobs, and spec files that did not load")
    public JobList list() {
        var snapshot = catalog.snapshot();
        Instant now = clock.instant();
        var jobs = snapshot.jobs().values().stream()
                .sorted(java.util.Comparator.comparing(j -> j.spec().name()))
                .map(j -> summary(j, now)).toList();
        return new JobList(jobs, snapshot.problems());
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One job: its spec, where it came from, and the next fire times of its schedules")
    public JobDetail get(@PathParam("name") String name) {
        var snapshot = catalog.snapshot();
        RegisteredJob job = snapshot.jobs().get(name);
        if (job == null) {
            throw NotFoundException.job(name);
        }
        var upcoming = CronScheduler.upcoming(job.spec(), clock.instant(), UPCOMING_FIRES);
        var schedules = new ArrayList<ScheduleView>();
        for (int i = 0; i < upcoming.size(); i++) {
            Schedule s = job.spec().triggers().schedules().get(i);
            schedules.add(new ScheduleView(i, s.expression(), s.timeZone().getId(), s.misfire().specName(),
                    s.concurrency().specName(), scheduler.isPaused(name, s), upcoming.get(i)));
        }
        List<String> warnings = JobFollowers.unknownUpstreams(job.spec(), snapshot.jobs().keySet()).stream()
                .map(upstream -> "triggers.after: job " + upstream + " is not registered; this job follows it once it is")
                .toList();
        // Every team reads every job: a webhook URL's path or token (a Slack URL is its own secret) is not shown.
        JobSpec shown = job.spec().withNotifications(job.spec().notifications().shown());
        return new JobDetail(name, job.source(), schedules, shown, warnings);
    }

    @PUT
    @Path("/{name}")
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON})
    @BodyLimited
    @Operation(summary = "Create or replace a job from its spec (YAML or JSON); 422 lists every problem of an invalid spec")
    public Response apply(@PathParam("name") String name, String body) {
        var applied = registrar.apply(caller.get(), name, body == null ? "" : body);
        JobDetail detail = get(name);
        return (applied.created() ? Response.created(UriBuilder.fromPath("/jobs/{name}").build(name)) : Response.ok())
                .entity(detail).build();
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Remove a job from the registry; its schedules and event patterns stop, its runs stay")
    public Response delete(@PathParam("name") String name) {
        registrar.delete(caller.get(), name);
        return Response.noContent().build();
    }

    @POST
    @Path("/{name}/schedules/{index}/pause")
    @Operation(summary = "Pause one schedule of a job: its fires are skipped until it is resumed; the pause outlives restarts")
    public JobDetail pause(@PathParam("name") String name, @PathParam("index") int index) {
        requireOwnerOf(name, "pause schedules of");
        scheduler.pause(name, index);
        return get(name);
    }

    @POST
    @Path("/{name}/schedules/{index}/resume")
    @Operation(summary = "Resume a paused schedule from its next fire; fires skipped while paused are not run")
    public JobDetail resume(@PathParam("name") String name, @PathParam("index") int index) {
        requireOwnerOf(name, "resume schedules of");
        scheduler.resume(name, index);
        return get(name);
    }

    @POST
    @Path("/{name}/runs")
    @BodyLimited
    @Operation(summary = "Start a run. With an Idempotency-Key header, the same key starts one run however often it is sent")
    @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = false,
            description = "1-255 characters; the same key (per job, or per event source) starts each run once")
    public Response run(@PathParam("name") String name, @Context HttpHeaders headers,
                        String body) {
        requireOwnerOf(name, "run");
        var started = start(name, IdempotencyKeys.of(headers), runRequests.parameters(body));
        var location = UriBuilder.fromPath("/runs/{id}").build(started.run().runId());
        return (started.created() ? Response.created(location) : Response.ok().location(location))
                .entity(RunView.of(started.run())).build();
    }

    /**
     * Starts a run of job {@code name} by hand (the API, or the console's "run now"), if the caller's team owns it.
     * The same idempotency key starts one run however often it is sent; without one, every call starts a run.
     */
    public RunEngine.Started start(String name, Optional<String> idempotencyKey, Map<String, String> parameters) {
        requireOwnerOf(name, "run");
        String runId = idempotencyKey.map(key -> RunIds.idempotencyKey(name, key))
                .orElseGet(() -> RunIds.manual(name, clock.instant(), RANDOM));
        return dispatcher.dispatch(new Trigger(name, runId, "api", parameters));
    }

    private static JobSummary summary(RegisteredJob job, Instant now) {
        JobSpec spec = job.spec();
        Instant next = CronScheduler.upcoming(spec, now, 1).stream().flatMap(List::stream).min(Instant::compareTo).orElse(null);
        return new JobSummary(spec.name(), spec.owner(), spec.description(), spec.capacity().specName(), job.source(),
                spec.triggers().schedules().size(), spec.triggers().events().size(), next);
    }
}
