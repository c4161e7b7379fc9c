package dev.skiff.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The rules of the Amazon States Language that can be checked without AWS, applied to a compiled definition and to
 * every nested state machine in it (Parallel branches, Map item processors): what Step Functions' validator would
 * refuse with "MISSING_TRANSITION_TARGET", "UNREACHABLE_STATE", a duplicate or over-long state name, and so on.
 */
final class AslRules {

    static final int MAX_STATE_NAME = 80;

    private AslRules() {
    }

    /** Every problem found, each naming the state; empty for a valid definition. */
    static List<String> problems(JsonNode definition) {
        var problems = new ArrayList<String>();
        checkMachine("definition", definition, problems, new HashSet<>());
        return problems;
    }

    /** Every state of the definition, nested ones included, in document order. */
    static void forEachState(JsonNode definition, Consumer<JsonNode> visitor) {
        definition.path("States").forEach(state -> {
            visitor.accept(state);
            state.path("Branches").forEach(branch -> forEachState(branch, visitor));
            if (state.has("ItemProcessor")) {
                forEachState(state.get("ItemProcessor"), visitor);
            }
        });
    }

    private static void checkMachine(String where, JsonNode machine, List<String> problems, Set<String> allNames) {
        JsonNode states = machine.path("States");
        String start = machine.path("StartAt").asText();
        if (!states.isObject() || states.isEmpty()) {
            problems.add(where + ": has no States");
            return;
        }
        if (!states.has(start)) {
            problems.add(where + ": StartAt " + start + " is not a state");
        }
        states.fieldNames().forEachRemaining(name -> {
            if (!allNames.add(name)) {
                problems.add(where + ": state name " + name + " is used twice in the state machine");
            }
            if (name.isEmpty() || name.length() > MAX_STATE_NAME) {
                problems.add(where + ": state name " + name + " is not 1-" + MAX_STATE_NAME + " characters");
            }
        });
        states.fields().forEachRemaining(entry -> checkState(where + "/" + entry.getKey(), entry.getValue(), states,
                problems, allNames));
        Set<String> reached = reachable(start, states);
        states.fieldNames().forEachRemaining(name -> {
            if (!reached.contains(name)) {
                problems.add(where + ": state " + name + " cannot be reached from " + start);
            }
        });
    }

    private static void checkState(String where, JsonNode state, JsonNode states, List<String> problems,
                                   Set<String> allNames) {
        String type = state.path("Type").asText();
        for (String target : targets(state)) {
            if (!states.has(target)) {
                problems.add(where + ": transition to " + target + ", which is not a state of its scope");
            }
        }
        boolean terminal = List.of("Succeed", "Fail").contains(type);
        if (type.equals("Choice")) {
            if (state.has("Next") || state.has("End")) {
                problems.add(where + ": a Choice may have neither Next nor End");
            }
            if (state.path("Choices").isEmpty()) {
                problems.add(where + ": a Choice needs Choices");
            }
        } else if (terminal) {
            if (state.has("Next") || state.has("End")) {
                problems.add(where + ": a " + type + " state may have neither Next nor End");
            }
        } else if (state.has("Next") == state.path("End").asBoolean()) {
            problems.add(where + ": needs exactly one of Next and End: true");
        }
        if (List.of("Task", "Parallel", "Map").contains(type)) {
            for (JsonNode retrier : state.path("Retry")) {
                checkErrorEquals(where + " Retry", retrier.path("ErrorEquals"), problems);
            }
            for (JsonNode catcher : state.path("Catch")) {
                checkErrorEquals(where + " Catch", catcher.path("ErrorEquals"), problems);
            }
        }
        if (type.equals("Task") && state.has("HeartbeatSeconds")
                && state.path("HeartbeatSeconds").asLong() >= state.path("TimeoutSeconds").asLong()) {
            problems.add(where + ": HeartbeatSeconds must be below TimeoutSeconds");
        }
        if (type.equals("Parallel")) {
            if (state.path("Branches").isEmpty()) {
                problems.add(where + ": a Parallel needs Branches");
            }
            int i = 0;
            for (JsonNode branch : state.path("Branches")) {
                checkMachine(where + " branch " + i++, branch, problems, allNames);
            }
        }
        if (type.equals("Map")) {
            JsonNode processor = state.path("ItemProcessor");
            if (!processor.path("ProcessorConfig").path("Mode").asText().equals("INLINE")) {
                problems.add(where + ": the Map is not an inline Map");
            }
            if (state.has("ToleratedFailureCount") || state.has("ToleratedFailurePercentage")) {
                problems.add(where + ": an inline Map cannot have ToleratedFailure* (Distributed Map only)");
            }
            if (!state.path("MaxConcurrency").canConvertToInt() || state.path("MaxConcurrency").asInt() < 0) {
                problems.add(where + ": MaxConcurrency must be an integer, 0 or more");
            }
            checkMachine(where + " item processor", processor, problems, allNames);
        }
    }

    private static void checkErrorEquals(String where, JsonNode names, List<String> problems) {
        if (names.isEmpty()) {
            problems.add(where + ": ErrorEquals is empty");
        }
        for (JsonNode name : names) {
            if (name.asText().equals(SkiffErrors.STATES_ALL) && names.size() > 1) {
                problems.add(where + ": States.ALL must appear alone");
            }
        }
    }

    private static List<String> targets(JsonNode state) {
        var targets = new ArrayList<String>();
        if (state.has("Next")) {
            targets.add(state.get("Next").asText());
        }
        if (state.has("Default")) {
            targets.add(state.get("Default").asText());
        }
        state.path("Choices").forEach(choice -> targets.add(choice.path("Next").asText()));
        state.path("Catch").forEach(catcher -> targets.add(catcher.path("Next").asText()));
        return targets;
    }

    private static Set<String> reachable(String start, JsonNode states) {
        var seen = new LinkedHashSet<String>();
        var unvisited = new ArrayDeque<String>();
        unvisited.add(start);
        while (!unvisited.isEmpty()) {
            String name = unvisited.poll();
            if (states.has(name) && seen.add(name)) {
                unvisited.addAll(targets(states.get(name)));
            }
        }
        return seen;
    }
}
