package dev.skiff.workflows;

import dev.skiff.jobs.JobSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's steps and their dependencies. Today every job is the single step {@value #MAIN_STEP}; the
 * model already holds a dependency graph so fan-out needs no change to the compiler's callers.
 */
record Workflow(String job, List<Step> steps) {

    /** The one step of a single-container job. */
    static final String MAIN_STEP = "main";

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
        return new Workflow(spec.name(), List.of(Step.root(MAIN_STEP)));
    }

    /**
     * The steps one after another, each after all it depends on; ties keep declaration order so the
     * compiled definition is stable. Running them in this order honours every dependency; running
     * independent steps in parallel is what fan-out will add.
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
