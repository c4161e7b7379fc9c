package dev.skiff.orchestrator.port;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.PipelineProgress;
import dev.skiff.workflows.SkiffErrors;
import dev.skiff.workflows.PipelineProgress.StepState;
import dev.skiff.workflows.PipelineProgress.UnitStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline run as its engine recorded it: every unit it started (a step, or one item of a forEach step) with its
 * attempts, and the number of items of each forEach step whose items are known. Both engines give this; what a person
 * reads of it ({@link #steps}) is worked out here once, with the rules of {@link PipelineProgress}.
 *
 * @param job        the spec the run runs by
 * @param itemCounts by step name, for forEach steps whose items were resolved
 * @param units      in the order they were started
 */
public record PipelineRun(JobSpec job, Map<String, Integer> itemCounts, List<UnitRun> units) {

    public PipelineRun {
        itemCounts = Map.copyOf(itemCounts);
        units = List.copyOf(units);
    }

    /**
     * One unit: a step that runs once ({@code item} is {@link TaskRequest#NO_ITEM}), or one item of a forEach step.
     *
     * @param itemJson the item as JSON text, for a unit of a forEach step when the engine knows it
     * @param error    the Skiff error of a unit that failed, and its cause
     */
    public record UnitRun(String step, int item, Optional<String> itemJson, UnitStatus status, List<Attempt> attempts,
                          Optional<String> error, Optional<String> cause) {
        public UnitRun {
            attempts = List.copyOf(attempts);
        }

        /** What the unit's attempts are estimated to have cost; empty when none has an estimate. */
        public Optional<BigDecimal> costUsd() {
            return attempts.stream().map(Attempt::costUsd).flatMap(Optional::stream).reduce(BigDecimal::add);
        }

        /** When its last attempt ended; {@link Instant#MAX} while none has (or it had none). */
        Instant endedAt() {
            return attempts.stream().map(Attempt::endedAt).flatMap(Optional::stream).max(Instant::compareTo)
                    .orElse(Instant.MAX);
        }
    }

    /**
     * One step as a person reads it.
     *
     * @param status   WAITING, RUNNING, SUCCEEDED or FAILED
     * @param attempts the attempts of a step that runs once; empty for a forEach step (its items are counted)
     * @param items    for a forEach step whose items are known, how its items stand
     * @param costUsd  the estimated cost of every attempt of the step (all its items' too); empty when none has one
     * @param error    the Skiff error of a step that failed, and its cause: its first unit to fail (not a unit cancelled
     *                 because another failed)
     */
    public record StepRun(String name, List<String> dependsOn, boolean forEach, String status, List<Attempt> attempts,
                          Optional<ItemCounts> items, Optional<BigDecimal> costUsd, Optional<String> error,
                          Optional<String> cause) {
        public StepRun {
            dependsOn = List.copyOf(dependsOn);
            attempts = List.copyOf(attempts);
        }
    }

    /** How a forEach step's items stand: those not started are {@code total - succeeded - failed - running}. */
    public record ItemCounts(int total, int succeeded, int failed, int running) {
    }

    /** The steps in the order of the spec, each as far as it got. */
    public List<StepRun> steps() {
        var progress = new PipelineProgress(job);
        var states = states();
        var steps = new ArrayList<StepRun>();
        for (StepSpec step : job.steps()) {
            StepState state = states.getOrDefault(step.name(), StepState.NOT_STARTED);
            List<UnitRun> own = unitsOf(step.name());
            Optional<ItemCounts> counts = state.itemCount().map(total -> new ItemCounts(total,
                    count(own, UnitStatus.SUCCEEDED), count(own, UnitStatus.FAILED), count(own, UnitStatus.RUNNING)));
            // The step failed because of its first unit to fail on its own; the siblings a failure stopped were
            // cancelled after it (and an engine may date their end no later than it).
            Optional<UnitRun> failed = own.stream().filter(u -> u.status() == UnitStatus.FAILED)
                    .min(Comparator.comparing((UnitRun u) -> u.error().filter(SkiffErrors.CANCELLED::equals).isPresent())
                            .thenComparing(UnitRun::endedAt));
            steps.add(new StepRun(step.name(), step.dependsOn(), step.forEach().isPresent(),
                    progress.statusOf(step, state).name(),
                    unit(step.name(), TaskRequest.NO_ITEM).map(UnitRun::attempts).orElse(List.of()), counts,
                    own.stream().map(UnitRun::costUsd).flatMap(Optional::stream).reduce(BigDecimal::add),
                    failed.flatMap(UnitRun::error), failed.flatMap(UnitRun::cause)));
        }
        return steps;
    }

    /** Where each step stands, in the terms {@link PipelineProgress} decides by. */
    public Map<String, StepState> states() {
        Map<String, Map<Integer, UnitStatus>> byStep = new HashMap<>();
        for (UnitRun unit : units) {
            byStep.computeIfAbsent(unit.step(), s -> new HashMap<>()).put(unit.item(), unit.status());
        }
        Map<String, StepState> states = new HashMap<>();
        for (StepSpec step : job.steps()) {
            Optional<Integer> count = Optional.ofNullable(itemCounts.get(step.name()));
            Map<Integer, UnitStatus> started = byStep.getOrDefault(step.name(), Map.of());
            if (count.isPresent() || !started.isEmpty()) {
                states.put(step.name(), new StepState(count, started));
            }
        }
        return states;
    }

    /** The step's units, items in index order. */
    public List<UnitRun> unitsOf(String step) {
        return units.stream().filter(u -> u.step().equals(step)).sorted(Comparator.comparingInt(UnitRun::item)).toList();
    }

    public Optional<UnitRun> unit(String step, int item) {
        return units.stream().filter(u -> u.step().equals(step) && u.item() == item).findFirst();
    }

    /** The estimated cost of every attempt of the run; empty when none has one. */
    public Optional<BigDecimal> costUsd() {
        return units.stream().map(UnitRun::costUsd).flatMap(Optional::stream).reduce(BigDecimal::add);
    }

    private static int count(List<UnitRun> units, UnitStatus status) {
        return (int) units.stream().filter(u -> u.status() == status).count();
    }
}
