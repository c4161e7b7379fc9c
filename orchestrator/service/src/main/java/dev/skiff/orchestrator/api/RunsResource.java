package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.JobCatalog;
import dev.skiff.orchestrator.app.LogFollow;
import dev.skiff.orchestrator.app.RunningAttemptTasks;
import dev.skiff.orchestrator.app.TeamAuthorizer;
import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.orchestrator.port.PipelineRun.UnitRun;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskLogs;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Runs: list, inspect, cancel, and read an attempt's log. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunsResource {

    /** The most lines one answer (or a followed log's first lines) carries. */
    private static final int MAX_LINES = 10_000;

    private final RunEngine engine;
    private final JobCatalog catalog;
    private final TeamAuthorizer authorizer;
    private final CurrentCaller caller;
    private final TaskLogs logs;
    private final LogFollowers followers;
    private final RunningAttemptTasks runningTasks;

    public RunsResource(RunEngine engine, JobCatalog catalog, TeamAuthorizer authorizer, CurrentCaller caller,
                        TaskLogs logs, LogFollowers followers, RunningAttemptTasks runningTasks) {
        this.logs = logs;
        this.followers = followers;
        this.runningTasks = runningTasks;
        this.engine = engine;
        this.catalog = catalog;
        this.authorizer = authorizer;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List runs, newest first, optionally by job and status")
    public List<RunView> list(@QueryParam("job") String job, @QueryParam("status") String status,
                              @QueryParam("limit") @DefaultValue("50") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000")) String limitText) {
        int limit = count("limit", limitText, 1, 1000);
        Set<RunStatus> statuses = status == null || status.isBlank() ? Set.of() : parseStatuses(status);
        return engine.list(new RunQuery(Optional.ofNullable(job).filter(j -> !j.isBlank()), statuses, Optional.empty(), limit))
                .stream().map(RunView::of).toList();
    }

    @GET
    @Path("/{runId}")
    @Operation(summary = "One run: status, timings, attempts, exit codes and log locations; a pipeline's steps")
    public RunView get(@PathParam("runId") String runId) {
        return RunView.of(find(runId), engine.pipeline(runId));
    }

    @GET
    @Path("/{runId}/steps/{step}/items")
    @Operation(summary = "The items of a pipeline run's forEach step: each item, its status, attempts and cost")
    public List<RunView.ItemView> items(@PathParam("runId") String runId, @PathParam("step") String step,
                                        @QueryParam("status") String status,
                                        @QueryParam("offset") @DefaultValue("0") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "0")) String offsetText,
                                        @QueryParam("limit") @DefaultValue("100") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "1000")) String limitText) {
        int offset = count("offset", offsetText, 0, Integer.MAX_VALUE);
        int limit = count("limit", limitText, 1, 1000);
        find(runId);
        PipelineRun pipeline = engine.pipeline(runId).orElseThrow(() -> new NotFoundException(
                "run " + runId + " has no steps: it runs one container (its attempts are in GET /runs/" + runId + ")"));
        StepSpec spec = stepOf(pipeline, runId, step);
        if (spec.forEach().isEmpty()) {
            throw new NotFoundException("step " + step + " of run " + runId + " has no items: it runs once"
                    + " (its attempts are in GET /runs/" + runId + ")");
        }
        Optional<UnitStatus> wanted = Optional.ofNullable(status).filter(s -> !s.isBlank()).map(RunsResource::unitStatus);
        return pipeline.unitsOf(step).stream()
                .filter(unit -> unit.item() != TaskRequest.NO_ITEM)
                .filter(unit -> wanted.isEmpty() || unit.status() == wanted.get())
                .skip(offset).limit(limit).map(RunView.ItemView::of).toList();
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
    @Operation(summary = "The last lines of an attempt's output (the latest attempt unless one is named); a pipeline"
            + " run's step, or one item of a forEach step. With follow=true, server-sent events: the last lines, then"
            + " each new line, until the attempt ends")
    public String log(@PathParam("runId") String runId, @QueryParam("step") String step,
                      @QueryParam("item") String item, @QueryParam("attempt") String attempt,
                      @QueryParam("lines") @DefaultValue("200") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10000")) String linesText) {
        int lines = count("lines", linesText, 1, MAX_LINES);
        LogUnit unit = logUnit(runId, step, item);
        Attempt chosen = withRunningTask(runId, unit, unit.attempt(attemptNumber(attempt)));
        List<String> last = logs.tail(unit.task(chosen), lines).orElseThrow(() -> noLog(unit, chosen));
        return last.isEmpty() ? "" : String.join("\n", last) + "\n";
    }

    /**
     * The same log followed: server-sent events ({@code line}, then {@code end} or {@code error}). Chosen for
     * {@code follow=true} by {@link LogFollowFilter}; every 400 and 404 is answered before the stream starts.
     */
    @GET
    @Path("/{runId}/log")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(hidden = true)
    public Multi<OutboundSseEvent> followLog(@PathParam("runId") String runId, @QueryParam("step") String step,
                                             @QueryParam("item") String item, @QueryParam("attempt") String attempt,
                                             @QueryParam("lines") @DefaultValue("100") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "10000")) String linesText,
                                             @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        int lines = count("lines", linesText, 1, MAX_LINES);
        LogUnit unit = logUnit(runId, step, item);
        Optional<Integer> named = attemptNumber(attempt);
        Optional<LogFollow.Resume> resume = Optional.ofNullable(lastEventId).filter(id -> !id.isBlank())
                .map(LogFollow::parseId);
        if (resume.isPresent() && named.isPresent() && !named.get().equals(resume.get().attempt())) {
            throw new MalformedRequestException("Last-Event-ID: " + lastEventId + " is an event of attempt "
                    + resume.get().attempt() + ", not of attempt " + named.get() + " (the attempt parameter)");
        }
        if (resume.isPresent() && unit.attempts().stream().noneMatch(a -> a.number() == resume.get().attempt())) {
            throw new MalformedRequestException("Last-Event-ID: " + lastEventId + " is an event of attempt "
                    + resume.get().attempt() + ", which " + unit.name() + " does not have");
        }
        Attempt recorded = unit.attempt(resume.map(LogFollow.Resume::attempt).or(() -> named));
        Attempt chosen = withRunningTask(runId, unit, recorded);
        TaskLogs.Cursor cursor = logs.follow(unit.task(chosen)).orElseThrow(() -> noLog(unit, chosen));
        LogFollowers.Lease lease = followers.admit(caller.get());
        try {
            LogFollow follow = new LogFollow(cursor, chosen.number(),
                    () -> logUnit(runId, step, item).same(chosen), () -> find(runId).status().name(), followers.timing());
            return followers.stream(lease, follow, follow.start(lines, resume), sse);
        } catch (RuntimeException e) {
            lease.release();
            throw e;
        }
    }

    /**
     * The attempt with its task, when it runs and its engine does not know the task yet (Step Functions mode learns
     * it when the attempt ends): its log is the task's, which a person reads, or follows, while it runs.
     */
    private Attempt withRunningTask(String runId, LogUnit unit, Attempt attempt) {
        if (!attempt.isRunning() || !attempt.taskId().isBlank() || !attempt.logLocation().isBlank()) {
            return attempt;
        }
        return runningTasks.taskOf(runId, unit.step(), unit.item(), attempt.number())
                .map(task -> new Attempt(attempt.number(), attempt.capacity(), task, attempt.ranOn(), attempt.logLocation(),
                        attempt.startedAt(), attempt.deadline(), attempt.stop(), attempt.outcome(), attempt.endedAt(),
                        attempt.costUsd()))
                .orElse(attempt);
    }

    /** A unit whose log was asked for: its run, its name for messages, its step, item and its attempts now. */
    private record LogUnit(Run run, String name, String step, int item, List<Attempt> attempts) {

        /** The attempt numbered so, the latest when none is named; a 404 when it has none such. */
        Attempt attempt(Optional<Integer> number) {
            return attempts.stream()
                    .filter(a -> number.isEmpty() || a.number() == number.get())
                    .reduce((first, last) -> last)
                    .orElseThrow(() -> new NotFoundException(name + " has no attempt" + number.map(n -> " " + n).orElse(" yet")));
        }

        /**
         * The launch {@code chosen} names as the engine has it now (Spot relaunches share its number); while it runs
         * the Step Functions engine shows it without its task.
         */
        Optional<Attempt> same(Attempt chosen) {
            List<Attempt> numbered = attempts.stream().filter(a -> a.number() == chosen.number()).toList();
            return numbered.stream().filter(a -> a.taskId().equals(chosen.taskId())).reduce((first, last) -> last)
                    .or(() -> numbered.stream().filter(a -> a.taskId().isBlank()).reduce((first, last) -> last));
        }

        TaskLogs.Task task(Attempt attempt) {
            return new TaskLogs.Task(run.job(), step, attempt.taskId(), attempt.logLocation());
        }
    }

    private LogUnit logUnit(String runId, String step, String item) {
        Run run = find(runId);
        Optional<PipelineRun> pipeline = engine.pipeline(runId);
        if (pipeline.isPresent()) {
            UnitRun chosen = unitOf(pipeline.get(), runId, step, item);
            String name = "step " + chosen.step() + (chosen.item() == TaskRequest.NO_ITEM ? "" : " item " + chosen.item())
                    + " of run " + runId;
            return new LogUnit(run, name, chosen.step(), chosen.item(), chosen.attempts());
        }
        if (step != null && !step.isBlank() && !StepSpec.MAIN.equals(step)) {
            throw new NotFoundException("run " + runId + " has no step " + step + ": it runs one container (step "
                    + StepSpec.MAIN + ")");
        }
        if (item != null && !item.isBlank()) {
            throw new NotFoundException("run " + runId + " has no items: it runs one container");
        }
        return new LogUnit(run, "run " + runId, StepSpec.MAIN, TaskRequest.NO_ITEM, run.attempts());
    }

    private static Optional<Integer> attemptNumber(String attempt) {
        return Optional.ofNullable(attempt).filter(a -> !a.isBlank()).map(a -> count("attempt", a, 1));
    }

    private static NotFoundException noLog(LogUnit unit, Attempt chosen) {
        return new NotFoundException("attempt " + chosen.number() + " of " + unit.name() + " has no log this orchestrator can read"
                + (chosen.logLocation().isBlank() ? "" : " (its log is at " + chosen.logLocation() + ")"));
    }

    /** The unit a log request names: a step that runs once, or one item of a forEach step. */
    private static UnitRun unitOf(PipelineRun pipeline, String runId, String step, String item) {
        if (step == null || step.isBlank()) {
            throw new MalformedRequestException("step: run " + runId + " is a pipeline; name one of its steps ("
                    + pipeline.job().steps().stream().map(StepSpec::name).collect(Collectors.joining(", ")) + ")");
        }
        StepSpec spec = stepOf(pipeline, runId, step);
        boolean named = item != null && !item.isBlank();
        if (spec.forEach().isPresent() && !named) {
            throw new MalformedRequestException("item: step " + step + " runs once per item; name one (item=0 is the"
                    + " first; GET /runs/" + runId + "/steps/" + step + "/items lists them)");
        }
        if (spec.forEach().isEmpty() && named) {
            throw new MalformedRequestException("item: step " + step + " runs once; it has no items");
        }
        int index = named ? count("item", item, 0) : TaskRequest.NO_ITEM;
        return pipeline.unit(step, index).orElseThrow(() -> new NotFoundException(
                "step " + step + (named ? " item " + index : "") + " of run " + runId + " has not started"));
    }

    private static StepSpec stepOf(PipelineRun pipeline, String runId, String step) {
        return pipeline.job().step(step).orElseThrow(() -> new NotFoundException("run " + runId + " has no step "
                + step + " (its steps: " + pipeline.job().steps().stream().map(StepSpec::name)
                .collect(Collectors.joining(", ")) + ")"));
    }

    /** A whole number of at least {@code min}, or a 400 naming the parameter. */
    private static int count(String name, String text, int min) {
        return count(name, text, min, Integer.MAX_VALUE);
    }

    /**
     * A whole number from {@code min} to {@code max}, or a 400 naming the parameter. Parsed here rather than by the
     * framework, which answers a query value an int cannot hold ({@code abc}, {@code 99999999999}) with a bare 404.
     */
    private static int count(String name, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new MalformedRequestException(name + ": " + text + " is not a whole number "
                + (max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max));
    }

    private static UnitStatus unitStatus(String text) {
        try {
            return UnitStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("status: " + text + " is not an item status (one of "
                    + Arrays.stream(UnitStatus.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")");
        }
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
