package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.app.EventIntake;
import dev.skiff.orchestrator.app.EventIntake.EventResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

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

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Match events against every job's event patterns and start one run per matching job")
    public Response accept(String body) {
        var accepted = intake.accept(body, caller.get());
        if (!accepted.batch()) {
            EventResult result = accepted.results().get(0);
            if (result.runs().isEmpty() && result.errors().isEmpty()) {
                return ProblemMapper.problem(422, "Unprocessable Content",
                        "event " + result.eventId() + " from " + result.source() + " matched no job's event pattern",
                        List.of());
            }
            if (result.runs().isEmpty()) {
                return ProblemMapper.problem(422, "Unprocessable Content",
                        "event " + result.eventId() + " matched, but no run started", result.errors());
            }
            return Response.accepted(result).build();
        }
        int failed = (int) accepted.results().stream().filter(r -> r.runs().isEmpty()).count();
        return Response.accepted(new BatchResult(failed, accepted.results())).build();
    }
}
