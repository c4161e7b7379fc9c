package dev.skiff.orchestrator.adapter.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.embedded.RunStore.StoredUnit;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import dev.skiff.workflows.RunStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A pipeline run's stored units and items in the terms of {@link PipelineRun} and {@code PipelineProgress}. */
final class PipelineStates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineStates() {
    }

    static PipelineRun pipeline(JobSpec job, List<StoredUnit> units, Map<String, String> items) {
        Map<String, Integer> counts = new HashMap<>();
        items.forEach((step, text) -> counts.put(step, json(text).size()));
        return new PipelineRun(job, counts, units.stream().map(unit -> new PipelineRun.UnitRun(unit.step(), unit.item(),
                Optional.ofNullable(unit.environment().get(TaskEnvironment.ITEM)), statusOf(unit.run().status()),
                unit.run().attempts(), unit.run().error(), unit.run().cause())).toList());
    }

    static UnitStatus statusOf(RunStatus status) {
        if (!status.isTerminal()) {
            return UnitStatus.RUNNING;
        }
        return status == RunStatus.SUCCEEDED ? UnitStatus.SUCCEEDED : UnitStatus.FAILED;
    }

    /** Items as stored by the engine: a JSON array it wrote itself. */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored items or output are not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
