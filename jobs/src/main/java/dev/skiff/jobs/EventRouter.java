package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.event.ruler.GenericMachine;

/**
 * Finds the jobs an event starts. Every event trigger of every job is one rule in a single
 * event-ruler machine, so matching costs about the same for 10 jobs as for 1,000.
 *
 * <p>Immutable once built, and safe to share between threads: event-ruler allows concurrent
 * matching when nothing adds rules, and nothing does after construction.
 */
public final class EventRouter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Names a rule: the job (by position, to index routes cheaply) and the trigger's index in it. */
    private record TriggerRef(int job, int trigger) {
    }

    /** What is needed after a match: the job's name and each trigger's parameter paths. */
    private record Route(String jobName, List<Map<String, EventPath>> triggerParameters) {
    }

    private final GenericMachine<TriggerRef> machine;
    private final List<Route> routes;

    private EventRouter(GenericMachine<TriggerRef> machine, List<Route> routes) {
        this.machine = machine;
        this.routes = routes;
    }

    /**
     * @throws IllegalArgumentException when two jobs share a name, or a trigger was not built by
     *                                  {@link JobSpecs} and its pattern or a path is invalid
     */
    public static EventRouter of(Collection<JobSpec> jobs) {
        GenericMachine<TriggerRef> machine = new GenericMachine<>();
        List<Route> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JobSpec job : jobs) {
            if (!names.add(job.name())) {
                throw new IllegalArgumentException("job " + job.name() + " appears twice; job names are unique");
            }
            List<Map<String, EventPath>> parameters = new ArrayList<>();
            List<EventTrigger> triggers = job.triggers().events();
            for (int i = 0; i < triggers.size(); i++) {
                addRule(machine, new TriggerRef(routes.size(), i), job.name(), triggers.get(i));
                parameters.add(paths(triggers.get(i)));
            }
            routes.add(new Route(job.name(), List.copyOf(parameters)));
        }
        return new EventRouter(machine, List.copyOf(routes));
    }

    /**
     * The jobs whose event triggers match, in the order the jobs were given; one match per job,
     * naming its first matching trigger.
     *
     * @throws InvalidEventException when the event is not a JSON object
     */
    public List<EventMatch> route(String eventJson) {
        JsonNode event = read(eventJson);
        List<TriggerRef> matched = machine.rulesForJSONEvent(event);
        if (matched.isEmpty()) {
            return List.of();
        }
        // job position -> first matching trigger; ordered by job position for a stable answer
        Map<Integer, Integer> firstTrigger = new TreeMap<>();
        for (TriggerRef ref : matched) {
            firstTrigger.merge(ref.job(), ref.trigger(), Math::min);
        }
        List<EventMatch> matches = new ArrayList<>(firstTrigger.size());
        firstTrigger.forEach((job, trigger) -> matches.add(match(routes.get(job), trigger, event)));
        return List.copyOf(matches);
    }

    private static EventMatch match(Route route, int trigger, JsonNode event) {
        Map<String, String> parameters = new LinkedHashMap<>();
        route.triggerParameters().get(trigger)
                .forEach((name, path) -> path.extract(event).ifPresent(value -> parameters.put(name, value)));
        return new EventMatch(route.jobName(), trigger, parameters);
    }

    private static JsonNode read(String eventJson) {
        if (eventJson == null) {
            throw new InvalidEventException("event is missing: expected a JSON object");
        }
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (JsonProcessingException e) {
            var where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidEventException("event is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (event == null || !event.isObject()) {
            throw new InvalidEventException("event must be a JSON object, was " + (event == null ? "empty" : event.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return event;
    }

    private static void addRule(GenericMachine<TriggerRef> machine, TriggerRef ref, String job, EventTrigger trigger) {
        try {
            machine.addRule(ref, trigger.pattern());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("job " + job + " triggers.events[" + ref.trigger() + "]: pattern does not compile: " + e.getMessage(), e);
        }
    }

    private static Map<String, EventPath> paths(EventTrigger trigger) {
        Map<String, EventPath> paths = new LinkedHashMap<>();
        trigger.parameters().forEach((name, path) -> paths.put(name, EventPath.parse(path)));
        return Map.copyOf(paths);
    }
}
