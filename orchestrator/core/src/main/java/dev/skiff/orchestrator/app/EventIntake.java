package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.EventMatch;
import dev.skiff.jobs.EventText;
import dev.skiff.jobs.InvalidEventException;
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
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Matches events against every job's event patterns and starts one run per matching job. The run
 * id comes from the event's source and id, so an event delivered twice starts one run.
 *
 * <p>Most events match no job. An event that comes as text is matched as text, the way event-ruler reads it
 * ({@link EventEnvelope} finds the few fields the intake needs). The parameters a matching job maps are read from the
 * text too, reading only the values at their paths, when the text is strict JSON (what the mapper surely
 * reads as event-ruler did); else from the tree, read then. Anything but one plain event (a batch, Skiff's own events, text the envelope cannot read
 * plainly) is read into a tree first, as always; so is every event when the mapper reads JSON more strictly than
 * event-ruler would ({@link TextMatching}).
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
    private final TextMatching text;
    private final ObjectMapper mapper;
    private final LongAdder ruledOutBySource = new LongAdder();

    public EventIntake(JobCatalog catalog, RunDispatcher dispatcher, ObjectMapper mapper, Clock clock) {
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.incoming = new IncomingEvents(mapper, clock);
        this.bodies = new JsonBodies(mapper);
        this.text = TextMatching.of(mapper);
        this.mapper = mapper;
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
        return accept(body, Caller.ANYONE, Optional.empty());
    }

    /**
     * One message from the intake queue, as text: an event without an id takes {@code idWhenMissing} (the message's
     * own id, the same on each delivery).
     *
     * @param read the message read into the event it stands for, or refused; called only when the text is not one
     *             plain event, or when a job matches and needs the tree
     */
    public Accepted acceptQueued(String body, String idWhenMissing, Supplier<JsonNode> read) {
        return acceptText(body, Caller.ANYONE, Optional.empty(), Optional.of(idWhenMissing), read);
    }

    /**
     * Events a caller posted through the HTTP API. A team may not post reserved sources and starts only its own
     * jobs ({@link TeamEventRules}); {@link Caller#ANYONE} (authentication off) starts every matching job.
     *
     * @param body            one EventBridge event, or a PutEvents request
     * @param idempotencyKey  when present, the event ids: the key for one event, key#index for the entries of a batch
     */
    public Accepted accept(String body, Caller caller, Optional<String> idempotencyKey) {
        return acceptText(body, caller, idempotencyKey, Optional.empty(), () -> bodies.read(body));
    }

    private Accepted accept(JsonNode root, Caller caller, Optional<String> idempotencyKey) {
        awaitRegistry();
        return acceptTree(root, caller, idempotencyKey);
    }

    private Accepted acceptTree(JsonNode root, Caller caller, Optional<String> idempotencyKey) {
        var parsed = incoming.parse(root, idempotencyKey);
        TeamEventRules.requireOpenSources(caller, parsed);
        var results = new ArrayList<EventResult>();
        for (ObjectNode event : parsed.events()) {
            results.add(route(event, caller));
        }
        return new Accepted(results, parsed.batch());
    }

    /**
     * One plain event matched as text; the tree is read only for a job that matches and maps parameters. Whatever
     * the text path cannot answer exactly as the tree path would goes the tree path.
     */
    private Accepted acceptText(String body, Caller caller, Optional<String> idempotencyKey, Optional<String> idWhenMissing,
                                Supplier<JsonNode> read) {
        if (!registryRead()) {
            // Read first, then wait: a body that cannot be read is refused at once, as before the registry was read
            return accept(read.get(), caller, idempotencyKey);
        }
        EventEnvelope envelope = text.envelope(body);
        var snapshot = catalog.snapshot();
        boolean idGiven = idempotencyKey.isPresent() || envelope != null && envelope.id() == null;
        if (envelope == null || ownSource(envelope.source()) || idGiven && snapshot.router().matchesOnEventId()) {
            return acceptTree(read.get(), caller, idempotencyKey);
        }
        String id = idempotencyKey.orElseGet(() -> envelope.id() != null ? envelope.id()
                : idWhenMissing.orElseGet(() -> UUID.randomUUID().toString()));
        List<EventMatch> matches;
        if (envelope.strictJson() && !snapshot.router().mayMatch(envelope.source(), envelope.detailType())) {
            // No pattern names this source (with this detail-type), and event-ruler would read the text: it matches nothing
            ruledOutBySource.increment();
            matches = List.of();
        } else {
            try {
                // Strict JSON the mapper reads (TextMatching): the parameters are read from the text, as the tree would give them
                matches = envelope.strictJson() ? snapshot.router().route(new EventText(body, id, mapper))
                        : snapshot.router().route(body, () -> incoming.complete(read.get(), id));
            } catch (InvalidEventException e) {
                // event-ruler could not read it: the tree path refuses it with the reader's own reason, as it always did
                return acceptTree(read.get(), caller, idempotencyKey);
            }
        }
        TeamEventRules.requireOpenSources(caller, List.of(envelope.source()), false);
        return new Accepted(List.of(start(id, envelope.source(), mayStart(caller, matches, snapshot))), false);
    }

    private EventResult route(ObjectNode event, Caller caller) {
        String source = event.get("source").asText();
        String id = eventId(event, source);
        var snapshot = catalog.snapshot();
        List<EventMatch> matches = isWebhookRun(event, source)
                ? List.of(webhookRun(event))
                : mayStart(caller, snapshot.router().route(event), snapshot);
        return start(id, source, matches);
    }

    private EventResult start(String id, String source, List<EventMatch> matches) {
        if (matches.isEmpty()) {
            return new EventResult(id, source, List.of(), List.of(), false);
        }
        var runs = new ArrayList<StartedRun>();
        var errors = new ArrayList<String>();
        boolean retryable = false;
        RunIds.EventRuns runIds = RunIds.forEvent(source, id);
        for (EventMatch match : matches) {
            String runId = runIds.of(match.jobName());
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

    /**
     * How many events this intake answered as matching nothing without asking event-ruler, because no job's pattern
     * names their source (or their detail-type with it) and their text is JSON event-ruler reads.
     */
    public long eventsRuledOutBySource() {
        return ruledOutBySource.sum();
    }

    private boolean registryRead() {
        try {
            return catalog.awaitLoaded(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<EventMatch> mayStart(Caller caller, List<EventMatch> matches, JobCatalog.Snapshot snapshot) {
        if (caller.team().isEmpty() || matches.isEmpty()) {
            return matches;
        }
        return matches.stream().filter(match -> mayStart(caller, snapshot.jobs().get(match.jobName()))).toList();
    }

    private static boolean mayStart(Caller caller, RegisteredJob job) {
        // A job removed since the router matched it has no owner left to compare; the dispatcher then reports it gone.
        return TeamEventRules.mayStart(caller, job == null ? null : job.spec().owner());
    }

    /** Skiff's own events take their id from {@code detail}, and a webhook names its job there: read as a tree. */
    private static boolean ownSource(String source) {
        return SkiffEvents.SOURCE.equals(source) || RunEvents.SOURCE.equals(source);
    }

    /**
     * Skiff's own Lambda trigger, and the orchestrator publishing run events, cannot set the id of an event they put
     * on a bus (PutEvents assigns one), so each carries its deterministic id in {@code detail.skiffEventId}: a retried
     * invocation then leads to the same run id (the one the trigger already answered its caller with), and a run event
     * published twice starts one run of each job that follows it.
     */
    private static String eventId(ObjectNode event, String source) {
        JsonNode own = event.path("detail").path(SkiffEvents.EVENT_ID_FIELD);
        return ownSource(source) && own.isTextual() && !own.asText().isBlank() ? own.asText() : event.get("id").asText();
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
