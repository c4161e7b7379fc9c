package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.EventIntake.EventResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Events in: one EventBridge event, or a PutEvents-style batch. */
@Path("/events")
public class EventsResource {

    private final EventIntake intake;
    private final CurrentCaller caller;

    public EventsResource(EventIntake intake, CurrentCaller caller) {
        this.intake = intake;
        this.caller = caller;
    }

    /** The answer for a batch, in the spirit of PutEvents: one result per entry, in order. */
    public record BatchResult(int failedEntryCount, List<EventResult> entries) {
    }

    /**
     * An event that matches no job's pattern is accepted with an empty {@code runs} list, as EventBridge accepts it:
     * a relay that treats a 4xx as a failure would otherwise retry or dead-letter an event nothing is waiting for.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @BodyLimited
    @Operation(summary = "Match events against every job's event patterns and start one run per matching job. "
            + "With an Idempotency-Key header the event ids come from the key, so the same post twice starts each run once")
    @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeys.HEADER, required = false,
            description = "1-255 characters; the same key (per job, or per event source) starts each run once")
    public Response accept(@Context HttpHeaders headers, String body) {
        var accepted = intake.accept(body, caller.get(), IdempotencyKeys.of(headers));
        if (!accepted.batch()) {
            EventResult result = accepted.results().get(0);
            if (result.runs().isEmpty() && !result.errors().isEmpty()) {
                return ProblemMapper.problem(422, "Unprocessable Content",
                        "event " + result.eventId() + " matched, but no run started", result.errors());
            }
            return Response.accepted(result).build();
        }
        // As in PutEvents, an entry fails when it could not be taken in; one that matches no job was taken in.
        int failed = (int) accepted.results().stream().filter(r -> !r.errors().isEmpty()).count();
        return Response.accepted(new BatchResult(failed, accepted.results())).build();
    }
}
