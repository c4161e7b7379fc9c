package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.EventMatch;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.workflows.RunIds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Matches events against every job's event patterns and starts one run per matching job. The run
 * id comes from the event's source and id, so an event delivered twice starts one run.
 */
public final class EventIntake {

    private static final Logger LOG = Logger.getLogger(EventIntake.class);

    /** One run an event led to; {@code created} is false when the event had been seen before. */
    public record StartedRun(String job, String runId, boolean created) {
    }

    /** What became of one event: the runs it started, or why a matching job could not start. */
    public record EventResult(String eventId, String source, List<StartedRun> runs, List<String> errors) {
    }

    public record Accepted(List<EventResult> results, boolean batch) {
    }

    private final JobCatalog catalog;
    private final RunDispatcher dispatcher;
    private final IncomingEvents incoming;

    public EventIntake(JobCatalog catalog, RunDispatcher dispatcher, ObjectMapper mapper, Clock clock) {
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.incoming = new IncomingEvents(mapper, clock);
    }

    /** @param body one EventBridge event, or a PutEvents request */
    public Accepted accept(String body) {
        var parsed = incoming.parse(body);
        var results = new ArrayList<EventResult>();
        for (ObjectNode event : parsed.events()) {
            results.add(route(event));
        }
        return new Accepted(results, parsed.batch());
    }

    private EventResult route(ObjectNode event) {
        String id = event.get("id").asText();
        String source = event.get("source").asText();
        var runs = new ArrayList<StartedRun>();
        var errors = new ArrayList<String>();
        for (EventMatch match : catalog.snapshot().router().route(event.toString())) {
            String runId = RunIds.event(match.jobName(), source, id);
            try {
                var started = dispatcher.dispatch(new Trigger(match.jobName(), runId, "event", match.parameters()));
                runs.add(new StartedRun(match.jobName(), runId, started.created()));
            } catch (SkiffException e) {
                LOG.warnf("event %s from %s matched job %s but no run started: %s", id, source, match.jobName(), e.getMessage());
                errors.add(match.jobName() + ": " + e.getMessage() + details(e));
            }
        }
        return new EventResult(id, source, runs, errors);
    }

    private static String details(SkiffException e) {
        return e instanceof InvalidRequestException invalid ? " (" + String.join("; ", invalid.problems()) + ")" : "";
    }
}
