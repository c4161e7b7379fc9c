package dev.skiff.orchestrator.adapter.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.jobs.ForEach;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.StepOutputs;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunValues;
import dev.skiff.workflows.RunValues.UnresolvableException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a pipeline unit reads when it is about to start, resolved by {@link RunValues} as in AWS mode: a forEach's
 * items, and a unit's item and step parameters, which become its task's variables.
 */
final class UnitInputs {

    private final StepOutputs outputs;
    private final LocalListing listing;

    UnitInputs(StepOutputs outputs, LocalListing listing) {
        this.outputs = outputs;
        this.listing = listing;
    }

    /**
     * @throws UnresolvableException when the items cannot be had ({@link RunValues.TooManyItemsException} for too many)
     */
    JsonNode items(Run run, ForEach forEach) {
        if (forEach.list().isPresent()) {
            return listing.list(forEach.list().get());
        }
        return values(run).items(forEach.items().orElseThrow());
    }

    /**
     * The unit's own variables: its item ({@code SKIFF_ITEM}, {@code SKIFF_ITEM_INDEX}) and its step's parameters.
     *
     * @param item the unit's item, or empty for a step without forEach
     * @throws UnresolvableException when a parameter's reference names nothing
     */
    Map<String, String> environment(Run run, StepSpec step, int index, Optional<JsonNode> item) {
        RunValues values = item.map(values(run)::withItem).orElseGet(() -> values(run));
        var environment = new LinkedHashMap<String, String>();
        if (index != TaskRequest.NO_ITEM) {
            environment.put(TaskEnvironment.ITEM, item.orElseThrow().toString());
            environment.put(TaskEnvironment.ITEM_INDEX, Integer.toString(index));
        }
        step.parameters().forEach((name, value) -> environment.put(name, values.text(value)));
        return environment;
    }

    private RunValues values(Run run) {
        var parsed = new HashMap<String, JsonNode>();
        outputs.of(run.runId()).forEach((step, json) -> parsed.put(step, PipelineStates.json(json)));
        return new RunValues(run.parameters(), parsed, Optional.empty());
    }
}
