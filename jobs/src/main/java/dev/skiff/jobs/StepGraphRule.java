package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps form a graph a run can walk: names are unique, every dependency names another step, no step depends on
 * itself through others (the cycle is named), and every step has an image and a command, its own or the job's.
 */
final class StepGraphRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        List<JsonNode> steps = SpecNodes.items(root.path("steps"));
        if (steps.isEmpty() || steps.stream().anyMatch(step -> !step.isObject())) {
            return;
        }
        Map<String, Integer> indexByName = names(steps, out);
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String at = SpecPaths.item("steps", i);
            List<JsonNode> dependsOn = SpecNodes.items(step.path("dependsOn"));
            for (int d = 0; d < dependsOn.size(); d++) {
                JsonNode dependency = dependsOn.get(d);
                if (!dependency.isTextual()) {
                    continue;
                }
                String path = SpecPaths.item(SpecPaths.field(at, "dependsOn"), d);
                if (dependency.textValue().equals(step.path("name").asText())) {
                    out.semantic(path, dependency, "is the step itself (a step cannot wait for itself)");
                } else if (!indexByName.containsKey(dependency.textValue())) {
                    out.semantic(path, dependency, "is not a step of this job (steps: " + String.join(", ", indexByName.keySet()) + ")");
                }
            }
            for (String field : List.of("image", "command")) {
                if (!step.has(field) && !root.has(field) && step.isObject()) {
                    out.semantic(SpecPaths.field(at, field), null,
                            "is required: neither the step nor the job names " + (field.equals("image") ? "an image" : "a command"));
                }
            }
        }
        cycles(steps, indexByName, out);
    }

    /** Each name once; a repeated name is reported at its later steps. */
    private static Map<String, Integer> names(List<JsonNode> steps, Violations out) {
        Map<String, Integer> indexByName = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode name = steps.get(i).path("name");
            if (!name.isTextual()) {
                continue;
            }
            Integer first = indexByName.putIfAbsent(name.textValue(), i);
            if (first != null) {
                out.semantic(SpecPaths.field(SpecPaths.item("steps", i), "name"), name,
                        "is also the name of steps[" + first + "] (step names are unique in a job)");
            }
        }
        return indexByName;
    }

    /** Reports each cycle once, at the dependsOn of its first step in document order, naming every step on it. */
    private static void cycles(List<JsonNode> steps, Map<String, Integer> indexByName, Violations out) {
        Set<String> done = new HashSet<>();
        Set<Set<String>> reported = new HashSet<>();
        for (String start : indexByName.keySet()) {
            walk(start, new ArrayList<>(), steps, indexByName, done, reported, out);
        }
    }

    private static void walk(String name, List<String> trail, List<JsonNode> steps, Map<String, Integer> indexByName,
                             Set<String> done, Set<Set<String>> reported, Violations out) {
        int onTrail = trail.indexOf(name);
        if (onTrail >= 0) {
            List<String> cycle = new ArrayList<>(trail.subList(onTrail, trail.size()));
            if (cycle.size() > 1 && reported.add(new HashSet<>(cycle))) {
                String first = cycle.stream().min((a, b) -> indexByName.get(a) - indexByName.get(b)).orElseThrow();
                int at = indexByName.get(first);
                // Written in the order the steps wait: first depends on the next, ..., which depends on first.
                int rotate = cycle.indexOf(first);
                List<String> ordered = new ArrayList<>(cycle.subList(rotate, cycle.size()));
                ordered.addAll(cycle.subList(0, rotate));
                ordered.add(first);
                out.semantic(SpecPaths.field(SpecPaths.item("steps", at), "dependsOn"), steps.get(at).path("dependsOn"),
                        "makes a cycle: " + String.join(" -> ", ordered)
                                + " (each waits for the next; steps must form a graph without cycles)");
            }
            return;
        }
        if (done.contains(name)) {
            return;
        }
        trail.add(name);
        for (JsonNode dependency : SpecNodes.items(steps.get(indexByName.get(name)).path("dependsOn"))) {
            if (dependency.isTextual() && indexByName.containsKey(dependency.textValue())
                    && !dependency.textValue().equals(name)) {
                walk(dependency.textValue(), trail, steps, indexByName, done, reported, out);
            }
        }
        trail.remove(trail.size() - 1);
        done.add(name);
    }
}
