package dev.skiff.orchestrator.adapter.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import dev.skiff.orchestrator.adapter.embedded.RunStore.StoredUnit;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.PipelineProgress;
import dev.skiff.workflows.Run;
import java.util.ArrayList;
import java.util.Comparator;
import dev.skiff.workflows.PipelineProgress.StepState;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import dev.skiff.workflows.RunStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a pipeline run's steps stand, read from its stored units and items, in the terms of {@code PipelineProgress}. */
final class PipelineStates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PipelineStates() {
    }

    static Map<String, StepState> of(List<StoredUnit> units, Map<String, String> items) {
        Map<String, Map<Integer, UnitStatus>> byStep = new HashMap<>();
        for (StoredUnit unit : units) {
            byStep.computeIfAbsent(unit.step(), s -> new HashMap<>()).put(unit.item(), statusOf(unit.run().status()));
        }
        Map<String, StepState> states = new HashMap<>();
        for (String step : union(byStep, items)) {
            Optional<Integer> count = Optional.ofNullable(items.get(step)).map(text -> json(text).size());
            states.put(step, new StepState(count, byStep.getOrDefault(step, Map.of())));
        }
        return states;
    }

    /** Each step as a person reads it: its status, a single step's attempts, a forEach step's item counts. */
    static List<RunEngine.StepRun> steps(JobSpec job, List<StoredUnit> units, Map<String, String> items) {
        var states = of(units, items);
        var progress = new PipelineProgress(job);
        var steps = new ArrayList<RunEngine.StepRun>();
        for (StepSpec step : job.steps()) {
            StepState state = states.getOrDefault(step.name(), StepState.NOT_STARTED);
            List<Run> own = units.stream().filter(u -> u.step().equals(step.name())).map(StoredUnit::run).toList();
            Optional<Run> single = units.stream()
                    .filter(u -> u.step().equals(step.name()) && u.item() == TaskRequest.NO_ITEM)
                    .map(StoredUnit::run).findFirst();
            Optional<RunEngine.ItemCounts> counts = state.itemCount().map(total -> new RunEngine.ItemCounts(total,
                    count(state, UnitStatus.SUCCEEDED), count(state, UnitStatus.FAILED), count(state, UnitStatus.RUNNING)));
            Optional<Run> failed = own.stream().filter(r -> statusOf(r.status()) == UnitStatus.FAILED)
                    .min(Comparator.comparing(r -> r.endedAt().orElse(r.createdAt())));
            steps.add(new RunEngine.StepRun(step.name(), progress.statusOf(step, state).name(),
                    single.map(Run::attempts).orElse(List.of()), counts,
                    failed.flatMap(Run::error), failed.flatMap(Run::cause)));
        }
        return steps;
    }

    private static int count(StepState state, UnitStatus status) {
        return (int) state.units().values().stream().filter(s -> s == status).count();
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

    private static java.util.Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        var all = new java.util.HashSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }
}
