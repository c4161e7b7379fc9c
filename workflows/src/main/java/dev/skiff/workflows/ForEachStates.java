package dev.skiff.workflows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.ForEach;

/**
 * The states of a forEach step {@code s}: the items request {@code s.items}, then the inline Map {@code s} that
 * launches each item. With failures tolerated each iteration ends in {@code s.itemSucceeded} ({@code {"failed": 0}})
 * or, caught, {@code s.itemFailed} ({@code {"failed": 1}}); the Map counts the 1s and the Choice {@code s.tolerance}
 * fails the step through {@code s.tooManyFailed} when they exceed {@code $.fanOut.maxFailures}. Without tolerance the
 * first failed item fails the Map with that item's own error (and Step Functions stops the other items).
 *
 * <p>Inline Map's ToleratedFailure* fields are refused by AWS (Distributed Map only) and ignored by moto, hence the
 * counting.
 */
final class ForEachStates {

    /** The ItemSelector's fields, the iteration's input. */
    static final String ITEM = "item";
    static final String INDEX = "index";

    /**
     * The number of failed iterations, from the Map's result array of {"failed": 0|1}: the number of '1' characters in
     * its JSON text, as the pieces StringSplit cuts it into, minus one (the text starts with '[' and ends with ']', and
     * each 1 is followed by '}', so no piece is empty). A JSONPath filter such as {@code $[?(@.failed == 1)]} is
     * simpler, but moto 5.2.5 fails it with States.Runtime when no item failed.
     */
    static final String FAILED_COUNT =
            "States.MathAdd(States.ArrayLength(States.StringSplit(States.JsonToString($), '1')), -1)";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final TaskStates tasks;

    ForEachStates(TaskStates tasks) {
        this.tasks = tasks;
    }

    /** The name of the step's first state. */
    static String firstState(Step step) {
        return step.name() + ".items";
    }

    /**
     * Adds the step's states to {@code states}.
     *
     * @param next     the state after the step, or null when the step ends its branch
     * @param inBranch true inside a Parallel branch, where failures propagate to the Parallel's Catch
     */
    void add(Step step, ForEach forEach, String next, ObjectNode states, boolean inBranch) {
        String s = step.name();
        boolean tolerant = forEach.tolerated().count() > 0 || forEach.tolerated().percent() > 0;

        var items = tasks.items(step);
        if (!inBranch) {
            TaskStates.catchInto(items, WorkflowCompiler.FAILED_STATE);
        }
        items.put("Next", s);
        states.set(firstState(step), items);

        var map = JSON.objectNode();
        map.put("Type", "Map");
        map.put("ItemsPath", "$.fanOut.items");
        map.put("MaxConcurrency", forEach.maxConcurrency());
        var selector = map.putObject("ItemSelector");
        selector.put(ITEM + ".$", "$$.Map.Item.Value");
        selector.put(INDEX + ".$", "$$.Map.Item.Index");
        selector.put(DispatchRequest.PARAMETERS + ".$", "$.parameters");
        map.set("ItemProcessor", processor(step, tolerant));
        if (tolerant) {
            map.putObject("ResultSelector").put("failed.$", FAILED_COUNT);
            map.put("ResultPath", "$.fanOut.outcome");
        } else {
            // Results are not carried in the state (outputs are read from the output store).
            map.putNull("ResultPath");
        }
        if (!inBranch) {
            TaskStates.catchInto(map, WorkflowCompiler.FAILED_STATE);
        }
        states.set(s, map);
        if (!tolerant) {
            PlanStates.link(map, next);
            return;
        }
        map.put("Next", s + ".tolerance");
        String after = next;
        if (after == null) {
            // A Choice cannot end a branch; this state does.
            after = s + ".done";
        }
        var choice = JSON.objectNode();
        choice.put("Type", "Choice");
        var rule = choice.putArray("Choices").addObject();
        rule.put("Variable", "$.fanOut.outcome.failed");
        rule.put("NumericGreaterThanPath", "$.fanOut.maxFailures");
        rule.put("Next", s + ".tooManyFailed");
        choice.put("Default", after);
        states.set(s + ".tolerance", choice);
        var fail = JSON.objectNode();
        fail.put("Type", "Fail");
        fail.put("Error", SkiffErrors.TOO_MANY_FAILED_ITEMS);
        fail.put("Cause", "more items of step " + s + " failed than its forEach.toleratedFailures allows");
        states.set(s + ".tooManyFailed", fail);
        if (next == null) {
            states.set(after, JSON.objectNode().put("Type", "Succeed"));
        }
    }

    private ObjectNode processor(Step step, boolean tolerant) {
        String s = step.name();
        var processor = JSON.objectNode();
        processor.putObject("ProcessorConfig").put("Mode", "INLINE");
        processor.put("StartAt", s + ".item");
        var states = processor.putObject("States");
        var task = tasks.launch(step, true);
        states.set(s + ".item", task);
        if (!tolerant) {
            task.put("End", true);
            return processor;
        }
        TaskStates.catchInto(task, s + ".itemFailed");
        task.put("Next", s + ".itemSucceeded");
        states.set(s + ".itemSucceeded", outcome(0));
        states.set(s + ".itemFailed", outcome(1));
        return processor;
    }

    private static ObjectNode outcome(int failed) {
        var pass = JSON.objectNode();
        pass.put("Type", "Pass");
        pass.putObject("Result").put("failed", failed);
        pass.put("End", true);
        return pass;
    }
}
