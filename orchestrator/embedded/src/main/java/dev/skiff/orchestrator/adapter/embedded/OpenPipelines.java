package dev.skiff.orchestrator.adapter.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.workflows.PipelineProgress.StepState;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import dev.skiff.workflows.RunStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where each open pipeline run's units stand, kept in memory beside what the store holds: every write of a unit or of
 * a step's items updates it, and a run missing here (after a restart) is read from the store once. Deciding what a run
 * does next then costs nothing per unit: reading every unit back from H2 after each change made a fan-out of n items
 * cost n² reads.
 */
final class OpenPipelines {

    /** One run's units by step and item, and its steps' resolved items. */
    static final class Units {
        private final Map<String, Map<Integer, UnitStatus>> statuses = new HashMap<>();
        private final Map<String, JsonNode> items = new HashMap<>();

        void unit(String step, int item, RunStatus status) {
            statuses.computeIfAbsent(step, s -> new HashMap<>()).put(item, PipelineStates.statusOf(status));
        }

        void items(String step, JsonNode value) {
            items.put(step, value);
        }

        Optional<JsonNode> itemsOf(String step) {
            return Optional.ofNullable(items.get(step));
        }

        boolean allEnded() {
            return statuses.values().stream().flatMap(m -> m.values().stream()).noneMatch(s -> s == UnitStatus.RUNNING);
        }

        Map<String, StepState> states() {
            Map<String, StepState> states = new HashMap<>();
            for (String step : union()) {
                Optional<Integer> count = Optional.ofNullable(items.get(step)).map(JsonNode::size);
                states.put(step, new StepState(count, statuses.getOrDefault(step, Map.of())));
            }
            return states;
        }

        private java.util.Set<String> union() {
            var steps = new java.util.HashSet<>(statuses.keySet());
            steps.addAll(items.keySet());
            return steps;
        }
    }

    private final Map<String, Units> byRun = new HashMap<>();

    /** The run's units, read with {@code load} when this process has not seen them yet. */
    Units of(String runId, Function<String, Units> load) {
        return byRun.computeIfAbsent(runId, load);
    }

    /** Records a unit's new status, if its run is open here (else it is read in full when next needed). */
    void unitChanged(String runId, String step, int item, RunStatus status) {
        Units units = byRun.get(runId);
        if (units != null) {
            units.unit(step, item, status);
        }
    }

    void itemsResolved(String runId, String step, JsonNode items) {
        Units units = byRun.get(runId);
        if (units != null) {
            units.items(step, items);
        }
    }

    void closed(String runId) {
        byRun.remove(runId);
    }
}
