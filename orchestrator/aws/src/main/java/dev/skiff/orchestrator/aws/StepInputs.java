package dev.skiff.orchestrator.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.ForEach;
import dev.skiff.jobs.StepSpec;
import dev.skiff.jobs.StepValue;
import dev.skiff.orchestrator.adapter.s3.S3Listing;
import dev.skiff.orchestrator.adapter.s3.S3TaskOutputs;
import dev.skiff.orchestrator.port.StepOutputs;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.RunValues;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a pipeline's step reads when it is about to start, resolved in the orchestrator with {@link RunValues} as the
 * embedded engine resolves it: a forEach's items (a run parameter, an upstream step's output, or the objects under an
 * S3 prefix) and a step's parameters. The run's parameters come with the dispatch message; the upstream outputs from
 * the {@link StepOutputs} store, read once per request.
 *
 * @param outputs     the outputs of once-running steps
 * @param listing     lists a forEach's S3 prefix; empty where no S3 is configured
 * @param taskOutputs where tasks write their outputs; empty where no S3 is configured (tasks then get no output URI)
 */
public record StepInputs(StepOutputs outputs, Optional<S3Listing> listing, Optional<S3TaskOutputs> taskOutputs) {

    /** No S3: a step reads only the run's parameters and its item. */
    public static final StepInputs NONE = new StepInputs(new StepOutputs() {
        @Override
        public void keep(String runId, String step, String json) {
            throw new IllegalStateException("no store for step outputs is configured (skiff.jobs.location is not on S3)");
        }

        @Override
        public Map<String, String> of(String runId) {
            return Map.of();
        }
    }, Optional.empty(), Optional.empty());

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The answer to an items request: {@code {"items": [...], "maxFailures": n}}.
     *
     * @throws RunValues.UnresolvableException when the items cannot be found, or are too many
     */
    public String items(DispatchRequest request, StepSpec step) {
        ForEach forEach = step.forEach().orElseThrow(() -> new RunValues.UnresolvableException(
                "step " + step.name() + " has no forEach, so it has no items (its spec changed under the run?)"));
        JsonNode items;
        if (forEach.items().isPresent()) {
            items = values(request).items(forEach.items().get());
        } else {
            String location = forEach.list().orElseThrow();
            items = listing.orElseThrow(() -> new RunValues.UnresolvableException("forEach.list " + location
                    + ": listing needs S3, and this orchestrator has no S3 client")).items(location);
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("items", items);
        answer.put("maxFailures", maxFailures(forEach, items.size()));
        return answer.toString();
    }

    /** The largest number of failed items the step tolerates out of {@code total}, as the compiled Choice compares it. */
    static int maxFailures(ForEach forEach, int total) {
        var tolerated = forEach.tolerated();
        return tolerated.isPercent() ? (int) ((long) tolerated.percent() * total / 100) : tolerated.count();
    }

    /**
     * The step's parameters as environment variables, their references resolved (the item among them, for an item's
     * launch).
     *
     * @throws RunValues.UnresolvableException when a reference names nothing
     */
    public Map<String, String> parameters(DispatchRequest request, StepSpec step) {
        if (step.parameters().isEmpty()) {
            return Map.of();
        }
        RunValues values = values(request);
        if (request.item().isPresent()) {
            values = values.withItem(json(request.item().get(), "the item"));
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        for (Map.Entry<String, StepValue> parameter : step.parameters().entrySet()) {
            resolved.put(parameter.getKey(), values.text(parameter.getValue()));
        }
        return resolved;
    }

    private RunValues values(DispatchRequest request) {
        Map<String, JsonNode> read = new HashMap<>();
        outputs.of(request.runId()).forEach((name, text) -> read.put(name, json(text, "the output of step " + name)));
        return new RunValues(request.parameters(), read, Optional.empty());
    }

    private static JsonNode json(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RunValues.UnresolvableException(what + " is not JSON: " + e.getOriginalMessage());
        }
    }
}
