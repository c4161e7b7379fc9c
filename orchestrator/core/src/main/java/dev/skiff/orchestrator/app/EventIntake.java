package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.EventMatch;
import dev.skiff.jobs.RunEvents;
import dev.skiff.jobs.SkiffEvents;
import dev.skiff.orchestrator.domain.InvalidRequestException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.NotReadyException;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.workflows.RunIds;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
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
    /**
     * @param retryable whether a later try could start a run this one could not: false when every error is final (the
     *                  parameters do not fit the job, the job is gone), true when one may pass (the engine was down)
     */
    public record EventResult(String eventId, String source, List<StartedRun> runs, List<String> errors,
                              boolean retryable) {
    }

    public record Accepted(List<EventResult> results, boolean batch) {
    }

    /** How long an event waits for the first read of the registry. */
    static final Duration REGISTRY_WAIT = Duration.ofSeconds(30);

    private final JobCatalog catalog;
    private final RunDispatcher dispatcher;
    private final IncomingEvents incoming;
    private final JsonBodies bodies;

    public EventIntake(JobCatalog catalog, RunDispatcher dispatcher, ObjectMapper mapper, Clock clock) {
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.incoming = new IncomingEvents(mapper, clock);
        this.bodies = new JsonBodies(mapper);
    }

    /**
     * Events from the intake queue, already read: the event bus's policy decided who may put them, so they start
     * every matching job.
     *
     * @param root one EventBridge event, or a PutEvents request
     */
    public Accepted accept(JsonNode root) {
        return accept(root, Caller.ANYONE, Optional.empty());
    }

    /** As {@link #accept(JsonNode)}, from the body's text. */
    public Accepted accept(String body) {
        return accept(bodies.read(body));
    }

    /**
     * Events a caller posted through the HTTP API. A team may not post reserved sources and starts only its own
     * jobs ({@link TeamEventRules}); {@link Caller#ANYONE} (authentication off) starts every matching job.
     *
     * @param body            one EventBridge event, or a PutEvents request
     * @param idempotencyKey  when present, the event ids: the key for one event, key#index for the entries of a batch
     */
    public Accepted accept(String body, Caller caller, Optional<String> idempotencyKey) {
        return accept(bodies.read(body), caller, idempotencyKey);
    }

    private Accepted accept(JsonNode root, Caller caller, Optional<String> idempotencyKey) {
        awaitRegistry();
        var parsed = incoming.parse(root, idempotencyKey);
        TeamEventRules.requireOpenSources(caller, parsed);
        var results = new ArrayList<EventResult>();
        for (ObjectNode event : parsed.events()) {
            results.add(route(event, caller));
        }
        return new Accepted(results, parsed.batch());
    }

    private EventResult route(ObjectNode event, Caller caller) {
        String source = event.get("source").asText();
        String id = eventId(event, source);
        var runs = new ArrayList<StartedRun>();
        var errors = new ArrayList<String>();
        boolean retryable = false;
        var snapshot = catalog.snapshot();
        List<EventMatch> matches = isWebhookRun(event, source)
                ? List.of(webhookRun(event))
                : snapshot.router().route(event).stream()
                        .filter(match -> mayStart(caller, snapshot.jobs().get(match.jobName())))
                        .toList();
        for (EventMatch match : matches) {
            String runId = RunIds.event(match.jobName(), source, id);
            try {
                var started = dispatcher.dispatch(new Trigger(match.jobName(), runId, "event", match.parameters()));
                runs.add(new StartedRun(match.jobName(), runId, started.created()));
            } catch (SkiffException e) {
                LOG.warnf("event %s from %s matched job %s but no run started: %s", id, source, match.jobName(), e.getMessage());
                errors.add(match.jobName() + ": " + e.getMessage() + details(e));
                retryable |= !(e instanceof InvalidRequestException || e instanceof NotFoundException);
            }
        }
        return new EventResult(id, source, runs, errors, retryable);
    }

    /**
     * Right after a start, events (queued ones above all) can arrive before the registry is read: matched against no
     * job, they would be dropped as unmatched. They wait for the first read instead, and are refused as not ready
     * (the queue brings them back; an HTTP caller gets 503) if it takes longer than {@link #REGISTRY_WAIT}.
     */
    private void awaitRegistry() {
        try {
            if (catalog.awaitLoaded(REGISTRY_WAIT)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new NotReadyException("the job registry has not been read yet (the service is starting); send the event again");
    }

    private static boolean mayStart(Caller caller, RegisteredJob job) {
        // A job removed since the router matched it has no owner left to compare; the dispatcher then reports it gone.
        return TeamEventRules.mayStart(caller, job == null ? null : job.spec().owner());
    }

    /**
     * Skiff's own Lambda trigger, and the orchestrator publishing run events, cannot set the id of an event they put
     * on a bus (PutEvents assigns one), so each carries its deterministic id in {@code detail.skiffEventId}: a retried
     * invocation then leads to the same run id (the one the trigger already answered its caller with), and a run event
     * published twice starts one run of each job that follows it.
     */
    private static String eventId(ObjectNode event, String source) {
        JsonNode own = event.path("detail").path(SkiffEvents.EVENT_ID_FIELD);
        boolean ours = SkiffEvents.SOURCE.equals(source) || RunEvents.SOURCE.equals(source);
        return ours && own.isTextual() && !own.asText().isBlank() ? own.asText() : event.get("id").asText();
    }

    /** A signed webhook names its job itself, as {@code POST /jobs/{name}/runs} does; no pattern is needed. */
    private static boolean isWebhookRun(ObjectNode event, String source) {
        return SkiffEvents.SOURCE.equals(source) && SkiffEvents.WEBHOOK_RUN_REQUESTED.equals(event.path("detail-type").asText())
                && event.path("detail").path(SkiffEvents.JOB_FIELD).isTextual();
    }

    private static EventMatch webhookRun(ObjectNode event) {
        JsonNode detail = event.path("detail");
        var parameters = new LinkedHashMap<String, String>();
        detail.path(SkiffEvents.PARAMETERS_FIELD).fields().forEachRemaining(field -> parameters.put(field.getKey(),
                field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString()));
        return new EventMatch(detail.path(SkiffEvents.JOB_FIELD).asText(), -1, parameters);
    }

    private static String details(SkiffException e) {
        return e instanceof InvalidRequestException invalid ? " (" + String.join("; ", invalid.problems()) + ")" : "";
    }
}
