package dev.skiff.workflows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link StepPlan} into the definition's states: a series chains its parts with Next, a set of parts side by
 * side is a Parallel state ({@code Parallel <n>}, or {@code Level <n>} for a level), numbered in document order.
 *
 * <p>Failures: a step at the top catches every error into $.error and goes to {@value WorkflowCompiler#FAILED_STATE},
 * which fails the run with that error and cause. Inside a Parallel's branch nothing is caught: the error fails the
 * branch, the Parallel fails with the same error and cause (Step Functions stops the other branches), and the
 * outermost Parallel's Catch keeps it in $.error for the same Fail state. The Parallel's result is discarded
 * ({@code ResultPath: null}), so its input, with $.parameters, goes on unchanged.
 */
final class PlanStates {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String job;
    private final TaskStates tasks;
    private final ForEachStates forEachStates;
    private final Map<StepPlan, String> parallelNames = new IdentityHashMap<>();

    PlanStates(String job, CompileOptions options, Retriers.LostHeartbeat lost) {
        this.job = job;
        this.tasks = new TaskStates(job, options, lost);
        this.forEachStates = new ForEachStates(tasks);
    }

    ObjectNode definition(StepPlan plan) {
        nameParallels(plan, new int[] {0, 0});
        var root = JSON.objectNode();
        root.put("Comment", "Skiff job " + job);
        root.put("StartAt", firstState(plan));
        var states = root.putObject("States");
        add(plan, WorkflowCompiler.SUCCEEDED_STATE, states, false);
        states.set(WorkflowCompiler.SUCCEEDED_STATE, JSON.objectNode().put("Type", "Succeed"));
        states.set(WorkflowCompiler.FAILED_STATE, failState());
        return root;
    }

    /** Sets Next, or End when there is no next state (the last state of a branch). */
    static void link(ObjectNode state, String next) {
        if (next == null) {
            state.put("End", true);
        } else {
            state.put("Next", next);
        }
    }

    /** Numbers the Parallel states in document order: counters[0] for Parallel, counters[1] for Level. */
    private void nameParallels(StepPlan plan, int[] counters) {
        if (plan instanceof StepPlan.Series series) {
            series.parts().forEach(part -> nameParallels(part, counters));
        } else if (plan instanceof StepPlan.Branches branches) {
            parallelNames.put(branches, "Parallel " + ++counters[0]);
            branches.parts().forEach(part -> nameParallels(part, counters));
        } else if (plan instanceof StepPlan.Levels levels) {
            levels.levels().forEach(level -> {
                if (level instanceof StepPlan.Branches branches) {
                    parallelNames.put(branches, "Level " + ++counters[1]);
                }
            });
        }
    }

    private String firstState(StepPlan plan) {
        if (plan instanceof StepPlan.Single single) {
            return single.step().forEach().isPresent() ? ForEachStates.firstState(single.step()) : single.step().name();
        } else if (plan instanceof StepPlan.Series series) {
            return firstState(series.parts().get(0));
        } else if (plan instanceof StepPlan.Levels levels) {
            return firstState(levels.levels().get(0));
        }
        return parallelNames.get(plan);
    }

    /**
     * Adds the plan's states to {@code states}.
     *
     * @param next     the state after the plan, or null when the plan ends its branch
     * @param inBranch true inside a Parallel branch
     */
    private void add(StepPlan plan, String next, ObjectNode states, boolean inBranch) {
        if (plan instanceof StepPlan.Single single) {
            addStep(single.step(), next, states, inBranch);
        } else if (plan instanceof StepPlan.Series series) {
            addInSeries(series.parts(), next, states, inBranch);
        } else if (plan instanceof StepPlan.Levels levels) {
            addInSeries(levels.levels(), next, states, inBranch);
        } else {
            addParallel((StepPlan.Branches) plan, next, states, inBranch);
        }
    }

    private void addInSeries(List<StepPlan> parts, String next, ObjectNode states, boolean inBranch) {
        for (int i = 0; i < parts.size(); i++) {
            add(parts.get(i), i + 1 < parts.size() ? firstState(parts.get(i + 1)) : next, states, inBranch);
        }
    }

    private void addStep(Step step, String next, ObjectNode states, boolean inBranch) {
        if (step.forEach().isPresent()) {
            forEachStates.add(step, step.forEach().get(), next, states, inBranch);
            return;
        }
        var task = tasks.launch(step, false);
        if (!inBranch) {
            TaskStates.catchInto(task, WorkflowCompiler.FAILED_STATE);
        }
        link(task, next);
        states.set(step.name(), task);
    }

    private void addParallel(StepPlan.Branches branches, String next, ObjectNode states, boolean inBranch) {
        var parallel = JSON.objectNode();
        parallel.put("Type", "Parallel");
        var array = parallel.putArray("Branches");
        for (StepPlan part : branches.parts()) {
            var branch = array.addObject();
            branch.put("StartAt", firstState(part));
            add(part, null, branch.putObject("States"), true);
        }
        parallel.putNull("ResultPath");
        if (!inBranch) {
            TaskStates.catchInto(parallel, WorkflowCompiler.FAILED_STATE);
        }
        link(parallel, next);
        states.set(parallelNames.get(branches), parallel);
    }

    /** Fails the run with the failed step's own error name and cause, as the Catch stored them. */
    private static ObjectNode failState() {
        var state = JSON.objectNode();
        state.put("Type", "Fail");
        state.put("ErrorPath", "$.error.Error");
        state.put("CausePath", "$.error.Cause");
        return state;
    }
}
