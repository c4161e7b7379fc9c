package dev.skiff.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.EventMatch;
import dev.skiff.jobs.EventRouter;
import dev.skiff.workflows.RunIds;
import java.util.function.Supplier;

/**
 * What {@code app/EventIntake} does with one event up to starting runs, step by step: read the body,
 * check the fields a run id needs, route the parsed event (match and map parameters), and compute
 * each match's event run id. It hands the router the tree it read, through
 * {@link EventRouter#route(JsonNode)}; EventIntake itself still writes the tree out and the router
 * reads it again, which the benchmark measures separately through {@code EventIntake.accept}.
 */
final class IntakePath {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Supplier<EventRouter> router;

    IntakePath(Supplier<EventRouter> router) {
        this.router = router;
    }

    /** @return the number of runs the event asks for */
    int accept(String body) throws Exception {
        JsonNode event = mapper.readTree(body);
        if (event == null || !event.isObject() || !textual(event, "source") || !textual(event, "detail-type") || !event.hasNonNull("id")) {
            throw new IllegalArgumentException("not an EventBridge event: " + body);
        }
        String source = event.get("source").asText();
        String id = event.get("id").asText();
        int runs = 0;
        for (EventMatch match : router.get().route(event)) {
            if (!RunIds.event(match.jobName(), source, id).isEmpty()) {
                runs++;
            }
        }
        return runs;
    }

    private static boolean textual(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank();
    }
}
