package dev.skiff.workflows;

import dev.skiff.jobs.ForEach;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.StepSpec;
import dev.skiff.jobs.ToleratedFailures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a pipeline run does next, from where its steps stand: which forEach steps need their items, which steps and
 * items may start, which must stop, and whether the run has ended. Pure: the embedded engine asks it after every
 * change it has written down, and the compiled state machine means the same (docs/pipelines.md):
 * <ul>
 *   <li>a step starts once every step it depends on has succeeded;</li>
 *   <li>a forEach step's items start in index order, at most {@code maxConcurrency} at once;</li>
 *   <li>without tolerated failures, the first failed item fails the step at once, as a Map without a Catch does, and
 *       items not yet started never start; with tolerated failures every item runs, and the step fails when more
 *       failed than it tolerates;</li>
 *   <li>a failed step fails the run: units still running are stopped, steps not started never start.</li>
 * </ul>
 */
public final class PipelineProgress {

    /** Where one unit (a step, or one item of a forEach step) stands, as the engine has recorded it. */
    public enum UnitStatus {
        /** Launched or waiting to be (pending, retrying): not ended. */
        RUNNING,
        SUCCEEDED,
        /** Ended unsuccessfully after its retries (failed, timed out, cancelled). */
        FAILED
    }

    /** One step's or one item's task; {@code item} is {@link #NO_ITEM} for a step without forEach. */
    public record Unit(String step, int item) {
    }

    public static final int NO_ITEM = -1;

    /**
     * What the engine knows of one step.
     *
     * @param itemCount the number of items once they were resolved; empty before, and for a step without forEach
     * @param units     every unit the engine started, by item index ({@link #NO_ITEM} for a step without forEach,
     *                  and for a forEach step whose items could not be resolved, recorded as failed)
     */
    public record StepState(Optional<Integer> itemCount, Map<Integer, UnitStatus> units) {

        public static final StepState NOT_STARTED = new StepState(Optional.empty(), Map.of());

        public StepState {
            units = Map.copyOf(units);
        }
    }

    /** How a step stands as a whole. */
    public enum StepStatus { WAITING, RUNNING, SUCCEEDED, FAILED }

    /**
     * What to do now.
     *
     * @param resolveItems forEach steps that may start and whose items are not known yet
     * @param start        units to start now
     * @param stop         running units to stop, because the run failed
     * @param outcome      the run's end, once it has one
     */
    public record Next(List<String> resolveItems, List<Unit> start, List<Unit> stop, Optional<End> outcome) {
    }

    /** The run's end; on failure, the step that failed it. */
    public record End(boolean succeeded, Optional<String> failedStep) {
    }

    private final JobSpec job;

    public PipelineProgress(JobSpec job) {
        this.job = job;
    }

    public Next next(Map<String, StepState> states) {
        Map<String, StepStatus> status = new LinkedHashMap<>();
        job.steps().forEach(step -> status.put(step.name(), statusOf(step, stateOf(states, step))));
        Optional<String> failed = job.steps().stream().map(StepSpec::name)
                .filter(name -> status.get(name) == StepStatus.FAILED).findFirst();
        if (failed.isPresent()) {
            return new Next(List.of(), List.of(), running(states), Optional.of(new End(false, failed)));
        }
        if (status.values().stream().allMatch(s -> s == StepStatus.SUCCEEDED)) {
            return new Next(List.of(), List.of(), List.of(), Optional.of(new End(true, Optional.empty())));
        }
        var resolve = new ArrayList<String>();
        var start = new ArrayList<Unit>();
        for (StepSpec step : job.steps()) {
            boolean ready = step.dependsOn().stream().allMatch(d -> status.get(d) == StepStatus.SUCCEEDED);
            StepState state = stateOf(states, step);
            if (!ready || status.get(step.name()) == StepStatus.SUCCEEDED) {
                continue;
            }
            if (step.forEach().isEmpty()) {
                if (state.units().isEmpty()) {
                    start.add(new Unit(step.name(), NO_ITEM));
                }
            } else if (state.itemCount().isEmpty()) {
                resolve.add(step.name());
            } else {
                start.addAll(itemsToStart(step.name(), step.forEach().get(), state));
            }
        }
        return new Next(List.copyOf(resolve), List.copyOf(start), List.of(), Optional.empty());
    }

    /** How the step stands, from its units. */
    public StepStatus statusOf(StepSpec step, StepState state) {
        if (step.forEach().isEmpty()) {
            UnitStatus unit = state.units().get(NO_ITEM);
            if (unit == null) {
                return StepStatus.WAITING;
            }
            return switch (unit) {
                case RUNNING -> StepStatus.RUNNING;
                case SUCCEEDED -> StepStatus.SUCCEEDED;
                case FAILED -> StepStatus.FAILED;
            };
        }
        if (state.itemCount().isEmpty()) {
            // Items that could not be resolved (a bad reference, too many) fail the step as a whole.
            return state.units().get(NO_ITEM) == UnitStatus.FAILED ? StepStatus.FAILED : StepStatus.WAITING;
        }
        int total = state.itemCount().get();
        ToleratedFailures tolerated = step.forEach().get().tolerated();
        long failed = count(state, UnitStatus.FAILED);
        long succeeded = count(state, UnitStatus.SUCCEEDED);
        if (failed > 0 && toleratesNothing(tolerated)) {
            return StepStatus.FAILED; // fail fast, as a Map without a Catch
        }
        if (failed + succeeded < total) {
            return StepStatus.RUNNING;
        }
        return tolerated.tolerates((int) failed, total) ? StepStatus.SUCCEEDED : StepStatus.FAILED;
    }

    /**
     * A count of 0 or a share of 0%: the first failure fails the step, as the compiled Map without a Catch does
     * (ForEachStates), rather than every item running first.
     */
    public static boolean toleratesNothing(ToleratedFailures tolerated) {
        return tolerated.isPercent() ? tolerated.percent() == 0 : tolerated.count() == 0;
    }

    private static List<Unit> itemsToStart(String step, ForEach forEach, StepState state) {
        long running = count(state, UnitStatus.RUNNING);
        var start = new ArrayList<Unit>();
        for (int item = 0; item < state.itemCount().get() && running + start.size() < forEach.maxConcurrency(); item++) {
            if (!state.units().containsKey(item)) {
                start.add(new Unit(step, item));
            }
        }
        return start;
    }

    private List<Unit> running(Map<String, StepState> states) {
        var running = new ArrayList<Unit>();
        for (StepSpec step : job.steps()) {
            stateOf(states, step).units().entrySet().stream()
                    .filter(e -> e.getValue() == UnitStatus.RUNNING)
                    .map(e -> new Unit(step.name(), e.getKey()))
                    .sorted(Comparator.comparingInt(Unit::item))
                    .forEach(running::add);
        }
        return List.copyOf(running);
    }

    private static StepState stateOf(Map<String, StepState> states, StepSpec step) {
        return states.getOrDefault(step.name(), StepState.NOT_STARTED);
    }

    private static long count(StepState state, UnitStatus status) {
        return state.units().values().stream().filter(s -> s == status).count();
    }
}
