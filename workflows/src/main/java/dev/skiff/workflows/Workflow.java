package dev.skiff.workflows;

import dev.skiff.jobs.JobSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's steps and their dependencies: a graph without cycles whose steps are named uniquely. A job without
 * {@code steps} is the single step {@value dev.skiff.jobs.StepSpec#MAIN}.
 */
record Workflow(String job, List<Step> steps) {

    Workflow {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("workflow " + job + " has no steps");
        }
        var names = new HashSet<String>();
        for (Step step : steps) {
            if (!names.add(step.name())) {
                throw new IllegalArgumentException("workflow " + job + " has two steps named " + step.name());
            }
        }
        for (Step step : steps) {
            for (String dependency : step.dependsOn()) {
                if (!names.contains(dependency)) {
                    throw new IllegalArgumentException(
                            "step " + step.name() + " of " + job + " depends on unknown step " + dependency);
                }
            }
        }
        executionOrder(job, steps);
    }

    static Workflow of(JobSpec spec) {
        return new Workflow(spec.name(), spec.steps().stream().map(Step::of).toList());
    }

    /** The step of that name. */
    Step step(String name) {
        return steps.stream().filter(step -> step.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("workflow " + job + " has no step " + name));
    }

    /**
     * Each step's dependencies without those implied by others (the transitive reduction): d after a, b and c where
     * b and c are after a is d after b and c. In declaration order; the graph's meaning is unchanged.
     */
    Map<String, List<String>> reducedDependencies() {
        var reaches = reachability();
        var reduced = new LinkedHashMap<String, List<String>>();
        for (Step step : steps) {
            reduced.put(step.name(), step.dependsOn().stream().distinct()
                    .filter(dependency -> step.dependsOn().stream()
                            .noneMatch(other -> !other.equals(dependency) && reaches.get(dependency).contains(other)))
                    .toList());
        }
        return reduced;
    }

    /** For each step, the steps that depend on it directly or through others. */
    Map<String, Set<String>> reachability() {
        var reaches = new LinkedHashMap<String, Set<String>>();
        List<Step> order = executionOrder();
        for (int i = order.size() - 1; i >= 0; i--) {
            Step step = order.get(i);
            var below = new HashSet<String>();
            for (Step later : order.subList(i + 1, order.size())) {
                if (later.dependsOn().contains(step.name())) {
                    below.add(later.name());
                    below.addAll(reaches.get(later.name()));
                }
            }
            reaches.put(step.name(), below);
        }
        return reaches;
    }

    /**
     * The steps one after another, each after all it depends on; ties keep declaration order so the
     * compiled definition is stable. Running them in this order honours every dependency.
     */
    List<Step> executionOrder() {
        return executionOrder(job, steps);
    }

    private static List<Step> executionOrder(String job, List<Step> steps) {
        var pending = new LinkedHashMap<String, Step>();
        steps.forEach(step -> pending.put(step.name(), step));
        var done = new HashSet<String>();
        var order = new ArrayList<Step>();
        while (!pending.isEmpty()) {
            Step ready = firstReady(pending, done);
            if (ready == null) {
                throw new IllegalArgumentException("steps of " + job + " depend on each other in a cycle: "
                        + pending.keySet());
            }
            pending.remove(ready.name());
            done.add(ready.name());
            order.add(ready);
        }
        return List.copyOf(order);
    }

    private static Step firstReady(Map<String, Step> pending, Set<String> done) {
        return pending.values().stream()
                .filter(step -> done.containsAll(step.dependsOn()))
                .findFirst()
                .orElse(null);
    }
}
